package io.mooseng.s3.xml;

import io.mooseng.core.model.ObjectChecksum;

import java.util.Base64;

/**
 * The checksum elements of S3's documents (ChecksumCRC32 ... ChecksumSHA256, ChecksumType), unwrapped into the
 * element that has them: at most one value is set, and absent ones are not written.
 */
public record ChecksumElements(String checksumCRC32, String checksumCRC32C, String checksumCRC64NVME, String checksumSHA1,
                               String checksumSHA256, String checksumType) {

    /** The value as the headers carry it ("-N" after a composite), without the type (a part's); null for null. */
    public static ChecksumElements of(ObjectChecksum c) {
        return c == null ? null : build(c, c.text(), null);
    }

    /** The value as the headers carry it and its type (an object's); null for null. */
    public static ChecksumElements withType(ObjectChecksum c) {
        return c == null ? null : build(c, c.text(), c.type().name());
    }

    /** The bare value and its type, as GetObjectAttributes answers them (the part count is in ObjectParts); null for null. */
    public static ChecksumElements bare(ObjectChecksum c) {
        return c == null ? null : build(c, Base64.getEncoder().encodeToString(c.value()), c.type().name());
    }

    private static ChecksumElements build(ObjectChecksum c, String v, String type) {
        return switch (c.algorithm()) {
            case CRC32 -> new ChecksumElements(v, null, null, null, null, type);
            case CRC32C -> new ChecksumElements(null, v, null, null, null, type);
            case CRC64NVME -> new ChecksumElements(null, null, v, null, null, type);
            case SHA1 -> new ChecksumElements(null, null, null, v, null, type);
            case SHA256 -> new ChecksumElements(null, null, null, null, v, type);
        };
    }
}
