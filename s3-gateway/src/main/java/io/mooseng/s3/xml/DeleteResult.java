package io.mooseng.s3.xml;

import com.fasterxml.jackson.dataformat.xml.annotation.JacksonXmlProperty;
import com.fasterxml.jackson.dataformat.xml.annotation.JacksonXmlRootElement;

import java.util.List;

/** DeleteObjects response: per key, deleted or an error. */
@JacksonXmlRootElement(localName = "DeleteResult")
public record DeleteResult(List<Deleted> deleted, @JacksonXmlProperty(localName = "Error") List<Failed> errors) {

    public record Deleted(String key) {
    }

    public record Failed(String key, String code, String message) {
    }

    @JacksonXmlProperty(isAttribute = true, localName = "xmlns")
    public String xmlns() {
        return S3Xml.NAMESPACE;
    }
}
