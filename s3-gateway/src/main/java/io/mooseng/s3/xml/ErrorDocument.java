package io.mooseng.s3.xml;

import com.fasterxml.jackson.dataformat.xml.annotation.JacksonXmlRootElement;

/** The body of every error response; S3 writes it without a namespace. */
@JacksonXmlRootElement(localName = "Error")
public record ErrorDocument(String code, String message, String resource, String requestId) {
}
