package io.mooseng.metadata.codec;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Appends a compact binary encoding to a growable buffer: LEB128 varints for counts and
 * sizes, zig-zag varints for values that may be negative, big-endian fixed-width integers
 * where byte order must sort (keys), and length-prefixed UTF-8 strings. Not thread-safe.
 */
public final class BinaryWriter {
    private byte[] buf;
    private int len;

    public BinaryWriter() {
        this(64);
    }

    public BinaryWriter(int capacity) {
        buf = new byte[Math.max(capacity, 16)];
    }

    public BinaryWriter u8(int v) {
        ensure(1);
        buf[len++] = (byte) v;
        return this;
    }

    public BinaryWriter bool(boolean v) {
        return u8(v ? 1 : 0);
    }

    /** Unsigned LEB128; meant for non-negative values (a negative one takes 10 bytes). */
    public BinaryWriter varLong(long v) {
        ensure(10);
        while ((v & ~0x7FL) != 0) {
            buf[len++] = (byte) ((v & 0x7F) | 0x80);
            v >>>= 7;
        }
        buf[len++] = (byte) v;
        return this;
    }

    /** Zig-zag LEB128: small magnitudes of either sign stay short. */
    public BinaryWriter zigzag(long v) {
        return varLong((v << 1) ^ (v >> 63));
    }

    public BinaryWriter fixed64(long v) {
        ensure(8);
        for (int shift = 56; shift >= 0; shift -= 8) {
            buf[len++] = (byte) (v >>> shift);
        }
        return this;
    }

    public BinaryWriter fixed32(int v) {
        ensure(4);
        for (int shift = 24; shift >= 0; shift -= 8) {
            buf[len++] = (byte) (v >>> shift);
        }
        return this;
    }

    /** Bytes without a length: the reader must know where they end. */
    public BinaryWriter raw(byte[] b) {
        ensure(b.length);
        System.arraycopy(b, 0, buf, len, b.length);
        len += b.length;
        return this;
    }

    public BinaryWriter bytes(byte[] b) {
        varLong(b.length);
        return raw(b);
    }

    public BinaryWriter nullableBytes(byte[] b) {
        bool(b != null);
        return b == null ? this : bytes(b);
    }

    public BinaryWriter string(String s) {
        return bytes(s.getBytes(StandardCharsets.UTF_8));
    }

    public BinaryWriter nullableString(String s) {
        bool(s != null);
        return s == null ? this : string(s);
    }

    public byte[] toByteArray() {
        return Arrays.copyOf(buf, len);
    }

    private void ensure(int n) {
        if (len + n > buf.length) {
            buf = Arrays.copyOf(buf, Math.max(buf.length * 2, len + n));
        }
    }
}
