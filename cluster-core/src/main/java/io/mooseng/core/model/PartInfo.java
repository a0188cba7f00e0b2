package io.mooseng.core.model;

/** One uploaded part of a multipart upload. */
public record PartInfo(int partNumber, long size, String etag, long mtimeMillis, ObjectManifest manifest) {
}
