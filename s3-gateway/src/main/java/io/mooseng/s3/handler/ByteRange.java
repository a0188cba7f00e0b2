package io.mooseng.s3.handler;

import io.mooseng.s3.error.S3Error;

import java.util.Locale;

/** A satisfiable byte range of an object, inclusive at both ends, from an HTTP Range header. */
public record ByteRange(long first, long last) {

    public long length() {
        return last - first + 1;
    }

    public String contentRange(long size) {
        return "bytes " + first + "-" + last + "/" + size;
    }

    /**
     * Reads {@code bytes=a-b}, {@code bytes=a-} and {@code bytes=-n} against an object of
     * {@code size} bytes; an end beyond the object is clamped.
     *
     * @return null to serve the whole object: no header, or one S3 ignores (malformed, or
     *         several ranges, which S3 answers with the full object)
     * @throws io.mooseng.s3.error.S3Exception InvalidRange (416, with {@code Content-Range: bytes *&#47;size})
     *         when the range starts beyond the object, or asks for the last 0 bytes
     */
    public static ByteRange parse(String header, long size) {
        if (header == null) {
            return null;
        }
        String h = header.trim();
        if (!h.toLowerCase(Locale.ROOT).startsWith("bytes=") || h.indexOf(',') >= 0) {
            return null;
        }
        String spec = h.substring(6).trim();
        int dash = spec.indexOf('-');
        if (dash < 0) {
            return null;
        }
        String from = spec.substring(0, dash).trim();
        String to = spec.substring(dash + 1).trim();
        if (from.isEmpty()) {
            long suffix = number(to);
            if (suffix < 0) {
                return null;
            }
            if (suffix == 0 || size == 0) {
                throw unsatisfiable(size);
            }
            return new ByteRange(Math.max(0, size - suffix), size - 1);
        }
        long first = number(from);
        long last = to.isEmpty() ? Long.MAX_VALUE : number(to);
        if (first < 0 || last < 0 || last < first) {
            return null;
        }
        if (first >= size) {
            throw unsatisfiable(size);
        }
        return new ByteRange(first, Math.min(last, size - 1));
    }

    /** A run of digits as a number (saturating at Long.MAX_VALUE), or -1 when not digits. */
    private static long number(String digits) {
        if (digits.isEmpty()) {
            return -1;
        }
        long n = 0;
        for (int i = 0; i < digits.length(); i++) {
            char c = digits.charAt(i);
            if (c < '0' || c > '9') {
                return -1;
            }
            n = n > (Long.MAX_VALUE - 9) / 10 ? Long.MAX_VALUE : n * 10 + (c - '0');
        }
        return n;
    }

    private static io.mooseng.s3.error.S3Exception unsatisfiable(long size) {
        return S3Error.INVALID_RANGE.exception().withHeader("Content-Range", "bytes */" + size);
    }
}
