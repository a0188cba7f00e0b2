package io.mooseng.fuse.kernel;

import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_INT_UNALIGNED;
import static java.lang.foreign.ValueLayout.JAVA_LONG_UNALIGNED;

/**
 * One request as read from /dev/fuse (struct fuse_in_header and its body), a view over the
 * reading thread's buffer: valid until the reply. Filesystems read the caller's identity;
 * the body is decoded by the dispatcher.
 */
public final class FuseRequest {
    private final MemorySegment buffer;
    private long length;

    FuseRequest(MemorySegment buffer) {
        this.buffer = buffer;
    }

    /** Takes the request the last read of {@code length} bytes put in the buffer. */
    void reset(long length) {
        this.length = length;
    }

    long length() {
        return length;
    }

    int opcode() {
        return buffer.get(JAVA_INT_UNALIGNED, 4);
    }

    public long unique() {
        return buffer.get(JAVA_LONG_UNALIGNED, 8);
    }

    public long nodeid() {
        return buffer.get(JAVA_LONG_UNALIGNED, 16);
    }

    /** The calling process's effective user id. */
    public int uid() {
        return buffer.get(JAVA_INT_UNALIGNED, 24);
    }

    public int gid() {
        return buffer.get(JAVA_INT_UNALIGNED, 28);
    }

    public int pid() {
        return buffer.get(JAVA_INT_UNALIGNED, 32);
    }

    // ---- the body: offsets relative to its start

    int i32(int offset) {
        return buffer.get(JAVA_INT_UNALIGNED, FuseProtocol.IN_HEADER + offset);
    }

    long i64(int offset) {
        return buffer.get(JAVA_LONG_UNALIGNED, FuseProtocol.IN_HEADER + offset);
    }

    /** The NUL-terminated name at {@code offset}. */
    String name(int offset) {
        int start = FuseProtocol.IN_HEADER + offset;
        return new String(bytes(start, nameEnd(offset) - offset - 1), StandardCharsets.UTF_8);
    }

    /** The offset just past the NUL that ends the name at {@code offset}. */
    int nameEnd(int offset) {
        long at = FuseProtocol.IN_HEADER + offset;
        while (at < length && buffer.get(JAVA_BYTE, at) != 0) {
            at++;
        }
        if (at >= length) {
            throw new FuseException(Errno.EINVAL, "name without its NUL in a request of " + length + " bytes");
        }
        return (int) (at + 1 - FuseProtocol.IN_HEADER);
    }

    /** {@code count} bytes of the body from {@code offset}, copied. */
    byte[] bytesAt(int offset, int count) {
        return bytes(FuseProtocol.IN_HEADER + offset, count);
    }

    private byte[] bytes(long start, int count) {
        if (count < 0 || start + count > length) {
            throw new FuseException(Errno.EINVAL, "a field runs past the request's " + length + " bytes");
        }
        byte[] b = new byte[count];
        MemorySegment.copy(buffer, JAVA_BYTE, start, b, 0, count);
        return b;
    }

    /** {@code count} bytes of the body from {@code offset}, in place (a WRITE's data). */
    ByteBuffer slice(int offset, int count) {
        long start = FuseProtocol.IN_HEADER + offset;
        if (count < 0 || start + count > length) {
            throw new FuseException(Errno.EINVAL, "data runs past the request's " + length + " bytes");
        }
        return buffer.asSlice(start, count).asByteBuffer();
    }
}
