package io.mooseng.core.model;

/**
 * An upload in progress: object properties are fixed at creation, applied at completion.
 *
 * @param encryption the data key every part is encrypted with, kept wrapped as on an object
 *                   (its salt names the upload's encryption); null for a plaintext upload
 * @param checksum   the checksum every part gets and the object's is made from, or null for none
 */
public record MultipartUpload(String uploadId, String bucket, String key, long initiatedMillis,
                              ObjectProperties properties, StorageClass storageClass, ObjectEncryption encryption,
                              UploadChecksum checksum) {
    public MultipartUpload(String uploadId, String bucket, String key, long initiatedMillis,
                           ObjectProperties properties, StorageClass storageClass, ObjectEncryption encryption) {
        this(uploadId, bucket, key, initiatedMillis, properties, storageClass, encryption, null);
    }

    public MultipartUpload(String uploadId, String bucket, String key, long initiatedMillis,
                           ObjectProperties properties, StorageClass storageClass) {
        this(uploadId, bucket, key, initiatedMillis, properties, storageClass, null);
    }
}
