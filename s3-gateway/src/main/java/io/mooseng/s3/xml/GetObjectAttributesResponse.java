package io.mooseng.s3.xml;

import com.fasterxml.jackson.annotation.JsonUnwrapped;
import com.fasterxml.jackson.dataformat.xml.annotation.JacksonXmlProperty;
import com.fasterxml.jackson.dataformat.xml.annotation.JacksonXmlRootElement;

import java.util.List;

/** GetObjectAttributes response: only the attributes asked for are set (the others are null, not written). */
@JacksonXmlRootElement(localName = "GetObjectAttributesResponse")
public record GetObjectAttributesResponse(@JacksonXmlProperty(localName = "ETag") String etag, ChecksumElements checksum,
                                          ObjectParts objectParts, String storageClass, Long objectSize) {

    /** A multipart object's parts: their count, and a page of them with their checksums if the object keeps them. */
    public record ObjectParts(int partsCount, Integer partNumberMarker, Integer nextPartNumberMarker, Integer maxParts,
                              Boolean isTruncated, @JacksonXmlProperty(localName = "Part") List<Part> parts) {
    }

    public record Part(int partNumber, long size, @JsonUnwrapped ChecksumElements checksum) {
    }

    @JacksonXmlProperty(isAttribute = true, localName = "xmlns")
    public String xmlns() {
        return S3Xml.NAMESPACE;
    }
}
