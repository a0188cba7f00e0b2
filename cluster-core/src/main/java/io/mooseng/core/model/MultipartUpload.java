package io.mooseng.core.model;

/** An upload in progress: object properties are fixed at creation, applied at completion. */
public record MultipartUpload(String uploadId, String bucket, String key, long initiatedMillis,
                              ObjectProperties properties, StorageClass storageClass) {
}
