package io.mooseng.chunkserver.transport;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;

import java.nio.ByteBuffer;

/**
 * The pooled direct buffer a short READ is read into by the store's worker thread, then
 * written to the socket by the event loop (which releases it once written). Asked again
 * when the store retries on a moved record: the earlier buffer is given back first.
 */
final class RangeBuffer {
    private final ByteBufAllocator memory;
    private ByteBuf buffer;

    RangeBuffer(ByteBufAllocator memory) {
        this.memory = memory;
    }

    /** A view of a new buffer of exactly {@code bytes}, for the store to fill. */
    ByteBuffer forStore(int bytes) {
        release();
        buffer = memory.directBuffer(bytes, bytes);
        return buffer.nioBuffer(0, bytes);
    }

    /** The filled buffer, now owned by the caller; {@code bytes} as the store reported them. */
    ByteBuf take(int bytes) {
        ByteBuf filled = buffer.writerIndex(bytes);
        buffer = null;
        return filled;
    }

    /** Gives back a buffer that will not be sent. */
    void release() {
        if (buffer != null) {
            buffer.release();
            buffer = null;
        }
    }
}
