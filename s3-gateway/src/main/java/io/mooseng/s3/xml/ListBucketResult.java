package io.mooseng.s3.xml;

import com.fasterxml.jackson.dataformat.xml.annotation.JacksonXmlProperty;
import com.fasterxml.jackson.dataformat.xml.annotation.JacksonXmlRootElement;

import java.util.List;

/** ListObjects (version 1) response; {@code nextMarker} only when a delimiter was given, as S3. */
@JacksonXmlRootElement(localName = "ListBucketResult")
public record ListBucketResult(String name, String prefix, String marker, String nextMarker, int maxKeys,
                               String delimiter, String encodingType, boolean isTruncated,
                               List<ObjectEntry> contents, List<CommonPrefix> commonPrefixes) {

    @JacksonXmlProperty(isAttribute = true, localName = "xmlns")
    public String xmlns() {
        return S3Xml.NAMESPACE;
    }
}
