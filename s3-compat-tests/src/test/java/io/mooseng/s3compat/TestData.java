package io.mooseng.s3compat;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/** Deterministic test content and the digests S3 answers with. */
final class TestData {
    static final int KiB = 1 << 10;
    static final int MiB = 1 << 20;

    private TestData() {
    }

    /** {@code size} pseudo-random bytes; the same seed always gives the same bytes. */
    static byte[] bytes(long seed, int size) {
        try (InputStream in = stream(seed, size)) {
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** {@code size} pseudo-random bytes generated on the fly, never held in memory. */
    static InputStream stream(long seed, long size) {
        return new PseudoRandomStream(seed, size);
    }

    static Path file(Path dir, String name, long seed, long size) throws IOException {
        Path f = dir.resolve(name);
        try (InputStream in = stream(seed, size)) {
            Files.copy(in, f);
        }
        return f;
    }

    static String sha256(byte[] data) {
        return HexFormat.of().formatHex(digest("SHA-256").digest(data));
    }

    /** SHA-256 of everything left in {@code in}; reads in 1 MiB steps so any size streams through. */
    static String sha256(InputStream in) throws IOException {
        MessageDigest md = digest("SHA-256");
        byte[] buf = new byte[MiB];
        for (int n; (n = in.read(buf)) >= 0; ) {
            md.update(buf, 0, n);
        }
        return HexFormat.of().formatHex(md.digest());
    }

    static String sha256(Path file) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            return sha256(in);
        }
    }

    static byte[] md5(byte[] data) {
        return digest("MD5").digest(data);
    }

    static String md5Hex(byte[] data) {
        return HexFormat.of().formatHex(md5(data));
    }

    /** The ETag S3 gives a single-request upload: the quoted hex MD5 of the content. */
    static String etag(byte[] data) {
        return '"' + md5Hex(data) + '"';
    }

    static MessageDigest digest(String algorithm) {
        try {
            return MessageDigest.getInstance(algorithm);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** SplitMix64 output, 8 bytes per step: fast enough to feed multi-GiB uploads. */
    private static final class PseudoRandomStream extends InputStream {
        private final long size;
        private long position;
        private long state;
        private long word;
        private int wordLeft;

        PseudoRandomStream(long seed, long size) {
            this.size = size;
            this.state = seed;
        }

        @Override
        public int read() {
            byte[] one = new byte[1];
            return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
        }

        @Override
        public int read(byte[] b, int off, int len) {
            if (position >= size) {
                return -1;
            }
            int n = (int) Math.min(len, size - position);
            for (int i = 0; i < n; i++) {
                if (wordLeft == 0) {
                    word = next();
                    wordLeft = 8;
                }
                b[off + i] = (byte) word;
                word >>>= 8;
                wordLeft--;
            }
            position += n;
            return n;
        }

        @Override
        public int available() {
            return (int) Math.min(Integer.MAX_VALUE, size - position);
        }

        private long next() {
            long z = (state += 0x9E3779B97F4A7C15L);
            z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
            z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
            return z ^ (z >>> 31);
        }
    }

    /** Where {@code needle} first occurs in {@code hay}, or -1. */
    static int indexOf(byte[] hay, byte[] needle) {
        outer:
        for (int i = 0; i + needle.length <= hay.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (hay[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }
}
