package io.mooseng.s3.xml;

import com.fasterxml.jackson.dataformat.xml.annotation.JacksonXmlProperty;
import com.fasterxml.jackson.dataformat.xml.annotation.JacksonXmlRootElement;

import java.util.List;

/** ListObjectsV2 response. */
@JacksonXmlRootElement(localName = "ListBucketResult")
public record ListBucketV2Result(String name, String prefix, String delimiter, int maxKeys, String encodingType,
                                 int keyCount, boolean isTruncated, String continuationToken,
                                 String nextContinuationToken, String startAfter,
                                 List<ObjectEntry> contents, List<CommonPrefix> commonPrefixes) {

    @JacksonXmlProperty(isAttribute = true, localName = "xmlns")
    public String xmlns() {
        return S3Xml.NAMESPACE;
    }
}
