package io.mooseng.core.checksum;

import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Locale;
import java.util.zip.CRC32;
import java.util.zip.CRC32C;
import java.util.zip.Checksum;

/**
 * The additional checksums of S3 (x-amz-checksum-*), computed over content as it streams. The
 * CRCs can be combined from the CRCs of consecutive pieces ({@link CrcCombine}), so a multipart
 * object gets a full-object value from its parts'; the digests cannot.
 */
public enum ChecksumAlgorithm {
    CRC32(4), CRC32C(4), CRC64NVME(8), SHA1(20), SHA256(32);

    private final int byteLength;

    ChecksumAlgorithm(int byteLength) {
        this.byteLength = byteLength;
    }

    /** Incremental state of one checksum. Not thread-safe. */
    public interface Accumulator {
        void update(ByteBuffer data);

        /** The checksum as big-endian bytes (S3 sends it base64 encoded). */
        byte[] finish();
    }

    /** Size of the checksum in bytes. */
    public int byteLength() {
        return byteLength;
    }

    /** The header (or trailer) carrying this checksum, e.g. {@code x-amz-checksum-crc32}. */
    public String headerName() {
        return "x-amz-checksum-" + name().toLowerCase(Locale.ROOT);
    }

    /** Whether a value for the whole can be computed from the values of its pieces (a full-object multipart checksum). */
    public boolean combinable() {
        return this == CRC32 || this == CRC32C || this == CRC64NVME;
    }

    /** The algorithm S3 names so (CRC32, crc32c, ...), or null for anything else. */
    public static ChecksumAlgorithm named(String name) {
        for (ChecksumAlgorithm a : values()) {
            if (a.name().equalsIgnoreCase(name.trim())) {
                return a;
            }
        }
        return null;
    }

    /** The algorithm a header or trailer name carries, or null for anything else. */
    public static ChecksumAlgorithm fromHeaderName(String name) {
        String lower = name.toLowerCase(Locale.ROOT);
        for (ChecksumAlgorithm a : values()) {
            if (a.headerName().equals(lower)) {
                return a;
            }
        }
        return null;
    }

    public Accumulator newAccumulator() {
        return switch (this) {
            case CRC32 -> crc(new CRC32());
            case CRC32C -> crc(new CRC32C());
            case CRC64NVME -> {
                Crc64Nvme crc = new Crc64Nvme();
                yield accumulator(crc::update, () -> ByteBuffer.allocate(8).putLong(crc.value()).array());
            }
            case SHA1 -> digest("SHA-1");
            case SHA256 -> digest("SHA-256");
        };
    }

    private static Accumulator crc(Checksum crc) {
        return accumulator(crc::update, () -> ByteBuffer.allocate(4).putInt((int) crc.getValue()).array());
    }

    private static Accumulator accumulator(java.util.function.Consumer<ByteBuffer> update, java.util.function.Supplier<byte[]> finish) {
        return new Accumulator() {
            @Override
            public void update(ByteBuffer data) {
                update.accept(data);
            }

            @Override
            public byte[] finish() {
                return finish.get();
            }
        };
    }

    /** This checksum of {@code data} as a whole. */
    public byte[] of(byte[] data) {
        Accumulator a = newAccumulator();
        a.update(ByteBuffer.wrap(data));
        return a.finish();
    }

    private static Accumulator digest(String name) {
        MessageDigest md;
        try {
            md = MessageDigest.getInstance(name);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(name + " is part of every JRE", e);
        }
        return accumulator(md::update, md::digest);
    }
}
