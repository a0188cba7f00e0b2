package io.mooseng.s3.xml;

import com.fasterxml.jackson.dataformat.xml.annotation.JacksonXmlRootElement;

/**
 * The body of every error response; S3 writes it without a namespace.
 *
 * @param region the region a request must be signed for, on AuthorizationHeaderMalformed
 *               (clients such as s3cmd retry with it); else null and left out
 */
@JacksonXmlRootElement(localName = "Error")
public record ErrorDocument(String code, String message, String region, String resource, String requestId) {
}
