package io.mooseng.s3.xml;

import com.fasterxml.jackson.dataformat.xml.annotation.JacksonXmlProperty;
import com.fasterxml.jackson.dataformat.xml.annotation.JacksonXmlRootElement;

/** CreateMultipartUpload response. */
@JacksonXmlRootElement(localName = "InitiateMultipartUploadResult")
public record InitiateMultipartUploadResult(String bucket, String key, String uploadId) {

    @JacksonXmlProperty(isAttribute = true, localName = "xmlns")
    public String xmlns() {
        return S3Xml.NAMESPACE;
    }
}
