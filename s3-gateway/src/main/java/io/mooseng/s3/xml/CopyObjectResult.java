package io.mooseng.s3.xml;

import com.fasterxml.jackson.annotation.JsonUnwrapped;
import com.fasterxml.jackson.dataformat.xml.annotation.JacksonXmlProperty;
import com.fasterxml.jackson.dataformat.xml.annotation.JacksonXmlRootElement;

/** CopyObject response. */
@JacksonXmlRootElement(localName = "CopyObjectResult")
public record CopyObjectResult(String lastModified, String eTag, @JsonUnwrapped ChecksumElements checksum) {

    @JacksonXmlProperty(isAttribute = true, localName = "xmlns")
    public String xmlns() {
        return S3Xml.NAMESPACE;
    }
}
