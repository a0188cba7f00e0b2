package io.mooseng.s3.xml;

import com.fasterxml.jackson.dataformat.xml.annotation.JacksonXmlProperty;
import com.fasterxml.jackson.dataformat.xml.annotation.JacksonXmlRootElement;

import java.util.List;

/** DeleteObjects response: per key, deleted or an error. */
@JacksonXmlRootElement(localName = "DeleteResult")
public record DeleteResult(List<Deleted> deleted, @JacksonXmlProperty(localName = "Error") List<Failed> errors) {

    /**
     * @param versionId             the version removed, when the request named one
     * @param deleteMarker          true when a delete marker was written, or removed by its id (else absent)
     * @param deleteMarkerVersionId that marker's version id
     */
    public record Deleted(String key, String versionId, Boolean deleteMarker, String deleteMarkerVersionId) {
    }

    public record Failed(String key, String versionId, String code, String message) {
    }

    @JacksonXmlProperty(isAttribute = true, localName = "xmlns")
    public String xmlns() {
        return S3Xml.NAMESPACE;
    }
}
