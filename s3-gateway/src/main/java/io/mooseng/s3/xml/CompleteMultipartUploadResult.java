package io.mooseng.s3.xml;

import com.fasterxml.jackson.annotation.JsonUnwrapped;
import com.fasterxml.jackson.dataformat.xml.annotation.JacksonXmlProperty;
import com.fasterxml.jackson.dataformat.xml.annotation.JacksonXmlRootElement;

/** CompleteMultipartUpload response. */
@JacksonXmlRootElement(localName = "CompleteMultipartUploadResult")
public record CompleteMultipartUploadResult(String location, String bucket, String key, String eTag,
                                            @JsonUnwrapped ChecksumElements checksum) {

    @JacksonXmlProperty(isAttribute = true, localName = "xmlns")
    public String xmlns() {
        return S3Xml.NAMESPACE;
    }
}
