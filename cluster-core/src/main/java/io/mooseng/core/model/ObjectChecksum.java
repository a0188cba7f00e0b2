package io.mooseng.core.model;

import io.mooseng.core.checksum.ChecksumAlgorithm;
import io.mooseng.core.checksum.ChecksumType;
import io.mooseng.core.checksum.CrcCombine;

import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Objects;

/**
 * An S3 additional checksum kept with an object (or a part): verified against the content when
 * it was written, or computed from its parts' when a multipart upload completed.
 *
 * @param value     the checksum, big-endian bytes of {@code algorithm}'s length
 * @param partCount for a {@link ChecksumType#COMPOSITE} checksum the number of parts, else 0
 */
public record ObjectChecksum(ChecksumAlgorithm algorithm, ChecksumType type, byte[] value, int partCount) {
    public ObjectChecksum {
        Objects.requireNonNull(algorithm, "algorithm");
        Objects.requireNonNull(type, "type");
        if (value.length != algorithm.byteLength()) {
            throw new IllegalArgumentException(algorithm + " checksums are " + algorithm.byteLength() + " bytes");
        }
        if ((type == ChecksumType.COMPOSITE) != (partCount > 0)) {
            throw new IllegalArgumentException("a composite checksum, and only one, counts parts");
        }
    }

    /** The full-object checksum {@code value} of content. */
    public static ObjectChecksum of(ChecksumAlgorithm algorithm, byte[] value) {
        return new ObjectChecksum(algorithm, ChecksumType.FULL_OBJECT, value, 0);
    }

    /** As S3 answers it: base64 of the value, and for a composite checksum "-N" after it. */
    public String text() {
        String b64 = Base64.getEncoder().encodeToString(value);
        return type == ChecksumType.COMPOSITE ? b64 + "-" + partCount : b64;
    }

    /**
     * The checksum of a multipart object from its parts' (full-object checksums of {@code algorithm},
     * in the object's order): the CRC of the whole combined from the parts' CRCs and sizes, or the
     * checksum of the parts' checksums concatenated (composite).
     *
     * @throws IllegalArgumentException for a part without such a checksum, or a full-object digest (only CRCs combine)
     */
    public static ObjectChecksum ofParts(ChecksumAlgorithm algorithm, ChecksumType type, List<ObjectChecksum> parts, List<Long> sizes) {
        for (ObjectChecksum p : parts) {
            if (p == null || p.algorithm != algorithm || p.type != ChecksumType.FULL_OBJECT) {
                throw new IllegalArgumentException("every part needs its " + algorithm + " checksum");
            }
        }
        if (type == ChecksumType.COMPOSITE) {
            ByteBuffer all = ByteBuffer.allocate(parts.size() * algorithm.byteLength());
            parts.forEach(p -> all.put(p.value));
            return new ObjectChecksum(algorithm, type, algorithm.of(all.array()), parts.size());
        }
        if (!algorithm.combinable()) {
            throw new IllegalArgumentException(algorithm + " has no full-object multipart checksum");
        }
        CrcCombine crc = CrcCombine.of(algorithm);
        long whole = crcOf(algorithm.of(new byte[0]));
        for (int i = 0; i < parts.size(); i++) {
            whole = crc.combine(whole, crcOf(parts.get(i).value), sizes.get(i));
        }
        return of(algorithm, crcBytes(algorithm, whole));
    }

    private static long crcOf(byte[] value) {
        long v = 0;
        for (byte b : value) {
            v = v << 8 | (b & 0xFF);
        }
        return v;
    }

    private static byte[] crcBytes(ChecksumAlgorithm algorithm, long crc) {
        byte[] out = new byte[algorithm.byteLength()];
        for (int i = out.length - 1; i >= 0; i--, crc >>>= 8) {
            out[i] = (byte) crc;
        }
        return out;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ObjectChecksum c && algorithm == c.algorithm && type == c.type && Arrays.equals(value, c.value)
                && partCount == c.partCount;
    }

    @Override
    public int hashCode() {
        return Objects.hash(algorithm, type, Arrays.hashCode(value), partCount);
    }

    @Override
    public String toString() {
        return "ObjectChecksum[" + algorithm + " " + type + " " + text() + "]";
    }
}
