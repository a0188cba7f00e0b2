package io.mooseng.metadata.codec;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Reads what {@link BinaryWriter} wrote. Truncated or malformed input throws
 * {@link IllegalArgumentException}, never reads past the end. Not thread-safe.
 */
public final class BinaryReader {
    private final byte[] buf;
    private int pos;
    private final int end;

    public BinaryReader(byte[] buf) {
        this(buf, 0, buf.length);
    }

    public BinaryReader(byte[] buf, int offset, int length) {
        this.buf = buf;
        this.pos = offset;
        this.end = offset + length;
    }

    public int u8() {
        need(1);
        return buf[pos++] & 0xFF;
    }

    public boolean bool() {
        int v = u8();
        if (v > 1) {
            throw new IllegalArgumentException("bad boolean " + v);
        }
        return v == 1;
    }

    public long varLong() {
        long v = 0;
        for (int shift = 0; shift < 64; shift += 7) {
            int b = u8();
            v |= (long) (b & 0x7F) << shift;
            if ((b & 0x80) == 0) {
                return v;
            }
        }
        throw new IllegalArgumentException("varint longer than 10 bytes");
    }

    /** A varint that must fit an int of at least zero (counts, lengths). */
    public int varInt() {
        long v = varLong();
        if (v < 0 || v > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("count out of range: " + v);
        }
        return (int) v;
    }

    public long zigzag() {
        long v = varLong();
        return (v >>> 1) ^ -(v & 1);
    }

    public long fixed64() {
        need(8);
        long v = 0;
        for (int i = 0; i < 8; i++) {
            v = (v << 8) | (buf[pos++] & 0xFF);
        }
        return v;
    }

    public int fixed32() {
        need(4);
        int v = 0;
        for (int i = 0; i < 4; i++) {
            v = (v << 8) | (buf[pos++] & 0xFF);
        }
        return v;
    }

    public byte[] raw(int n) {
        need(n);
        byte[] b = Arrays.copyOfRange(buf, pos, pos + n);
        pos += n;
        return b;
    }

    public byte[] bytes() {
        return raw(varInt());
    }

    public byte[] nullableBytes() {
        return bool() ? bytes() : null;
    }

    public String string() {
        int n = varInt();
        need(n);
        String s = new String(buf, pos, n, StandardCharsets.UTF_8);
        pos += n;
        return s;
    }

    public String nullableString() {
        return bool() ? string() : null;
    }

    /** Whether anything is left to read: a field appended to a value after older values were written. */
    public boolean hasMore() {
        return pos < end;
    }

    /** Fails unless everything was read: trailing bytes mean a format mismatch. */
    public void expectEnd() {
        if (pos != end) {
            throw new IllegalArgumentException((end - pos) + " unexpected trailing bytes");
        }
    }

    private void need(int n) {
        if (n < 0 || end - pos < n) {
            throw new IllegalArgumentException("truncated input: need " + n + " bytes, have " + (end - pos));
        }
    }
}
