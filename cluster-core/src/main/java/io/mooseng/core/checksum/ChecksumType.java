package io.mooseng.core.checksum;

/** What an object's checksum covers (S3's x-amz-checksum-type). */
public enum ChecksumType {
    /** The checksum of the whole content, however it was uploaded. */
    FULL_OBJECT,
    /** Of a multipart object: the checksum of its parts' checksums concatenated, answered with "-N" (N parts). */
    COMPOSITE
}
