package io.mooseng.core.model;

/** A part as named by the client in CompleteMultipartUpload. */
public record CompletedPart(int partNumber, String etag) {
}
