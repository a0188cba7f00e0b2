package io.mooseng.chunkserver.transport;

import io.mooseng.core.memory.LentBytes;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;

import java.nio.ByteBuffer;

/**
 * Where the bytes of one read land: the caller's memory when they fit there, else pooled
 * native memory lent to the caller, else a fresh array. Pooled or the caller's memory is not
 * zeroed for every read as a fresh array is. The pooled buffer is this object's until
 * {@link #hand} gives it to the caller; {@link #release} gives back one that never was.
 * Confined to one thread at a time.
 */
final class ReadMemory {
    private final ByteBuffer into;
    private final boolean lend;
    private ByteBuf pooled;

    /**
     * @param into where the bytes go if they fit (from its position), or null
     * @param lend without room in {@code into}: pooled memory lent to the caller, else a fresh array
     */
    ReadMemory(ByteBuffer into, boolean lend) {
        this.into = into;
        this.lend = lend;
    }

    /** Memory for {@code length} bytes (position 0, capacity {@code length}); asked again, the earlier one is given back. */
    ByteBuffer forBytes(int length) {
        release();
        if (into != null && into.remaining() >= length) {
            return into.slice(into.position(), length);
        }
        if (lend) {
            pooled = ByteBufAllocator.DEFAULT.directBuffer(length, length);
            return pooled.nioBuffer(0, length).slice();
        }
        return ByteBuffer.allocate(length);
    }

    /** The result, {@code wanted} being a part of the last memory handed out: lent if pooled. */
    LentBytes hand(ByteBuffer wanted) {
        ByteBuf lent = pooled;
        pooled = null;
        return lent == null ? LentBytes.owned(wanted) : LentBytes.lent(wanted, lent::release);
    }

    /** Gives back pooled memory not handed to the caller. */
    void release() {
        if (pooled != null) {
            pooled.release();
            pooled = null;
        }
    }
}
