package io.mooseng.core.model;

/**
 * An upload in progress: object properties are fixed at creation, applied at completion.
 *
 * @param encryption the data key every part is encrypted with, kept wrapped as on an object
 *                   (its salt names the upload's encryption); null for a plaintext upload
 */
public record MultipartUpload(String uploadId, String bucket, String key, long initiatedMillis,
                              ObjectProperties properties, StorageClass storageClass, ObjectEncryption encryption) {
    public MultipartUpload(String uploadId, String bucket, String key, long initiatedMillis,
                           ObjectProperties properties, StorageClass storageClass) {
        this(uploadId, bucket, key, initiatedMillis, properties, storageClass, null);
    }
}
