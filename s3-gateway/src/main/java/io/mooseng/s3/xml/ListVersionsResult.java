package io.mooseng.s3.xml;

import com.fasterxml.jackson.dataformat.xml.annotation.JacksonXmlProperty;
import com.fasterxml.jackson.dataformat.xml.annotation.JacksonXmlRootElement;

import java.util.List;

/** ListObjectVersions response: object versions and delete markers, each in listing order, and common prefixes. */
@JacksonXmlRootElement(localName = "ListVersionsResult")
public record ListVersionsResult(String name, String prefix, String keyMarker, String versionIdMarker, String nextKeyMarker,
                                 String nextVersionIdMarker, int maxKeys, String delimiter, String encodingType, boolean isTruncated,
                                 List<Version> version, List<DeleteMarker> deleteMarker, List<CommonPrefix> commonPrefixes) {

    public record Version(String key, String versionId, boolean isLatest, String lastModified, String eTag, long size,
                          String storageClass, Owner owner) {
    }

    public record DeleteMarker(String key, String versionId, boolean isLatest, String lastModified, Owner owner) {
    }

    @JacksonXmlProperty(isAttribute = true, localName = "xmlns")
    public String xmlns() {
        return S3Xml.NAMESPACE;
    }
}
