package io.mooseng.s3.xml;

import com.fasterxml.jackson.annotation.JsonUnwrapped;
import com.fasterxml.jackson.dataformat.xml.annotation.JacksonXmlProperty;
import com.fasterxml.jackson.dataformat.xml.annotation.JacksonXmlRootElement;

import java.util.List;

/** ListParts response; the checksum algorithm and type are the upload's (null for an upload without a checksum). */
@JacksonXmlRootElement(localName = "ListPartsResult")
public record ListPartsResult(String bucket, String key, String uploadId, Owner initiator, Owner owner,
                              String storageClass, int partNumberMarker, Integer nextPartNumberMarker,
                              int maxParts, boolean isTruncated, String checksumAlgorithm, String checksumType,
                              @JacksonXmlProperty(localName = "Part") List<Part> parts) {

    /** @param checksum the part's, or null */
    public record Part(int partNumber, String lastModified, String eTag, long size, @JsonUnwrapped ChecksumElements checksum) {
    }

    @JacksonXmlProperty(isAttribute = true, localName = "xmlns")
    public String xmlns() {
        return S3Xml.NAMESPACE;
    }
}
