package io.mooseng.s3.xml;

import com.fasterxml.jackson.dataformat.xml.annotation.JacksonXmlProperty;
import com.fasterxml.jackson.dataformat.xml.annotation.JacksonXmlRootElement;

import java.util.List;

/** ListParts response. */
@JacksonXmlRootElement(localName = "ListPartsResult")
public record ListPartsResult(String bucket, String key, String uploadId, Owner initiator, Owner owner,
                              String storageClass, int partNumberMarker, Integer nextPartNumberMarker,
                              int maxParts, boolean isTruncated, @JacksonXmlProperty(localName = "Part") List<Part> parts) {

    public record Part(int partNumber, String lastModified, String eTag, long size) {
    }

    @JacksonXmlProperty(isAttribute = true, localName = "xmlns")
    public String xmlns() {
        return S3Xml.NAMESPACE;
    }
}
