package io.mooseng.core.memory;

import java.nio.ByteBuffer;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Bytes that may live in memory a transport lends (pooled, off-heap): read them, then
 * {@link #release} them exactly once, after which they may hold anything. Lending lets a
 * shard go from the chunkserver's socket to the client's without a fresh array per read
 * (zeroed by the JVM) and without the copy into native memory a heap buffer needs on its
 * way to a socket. Bytes on the heap come as {@link #owned}: releasing them does nothing.
 *
 * <p>Thread-safe: release may come from any thread; later releases do nothing.
 */
public final class LentBytes {
    private static final Runnable RELEASED = () -> { };
    /** Bytes lent and not yet released, process-wide (a gauge, and how tests find leaks). */
    private static final AtomicLong OUTSTANDING = new AtomicLong();

    private final ByteBuffer bytes;
    /** What {@link #bytes} held when lent: reading moves its position. */
    private final int length;
    private final AtomicReference<Runnable> giveBack;
    private final boolean lent;

    private LentBytes(ByteBuffer bytes, Runnable giveBack, boolean lent) {
        this.bytes = bytes;
        this.length = bytes.remaining();
        this.giveBack = new AtomicReference<>(giveBack);
        this.lent = lent;
    }

    /** Bytes the holder may keep (on the heap, or memory nobody reuses). */
    public static LentBytes owned(ByteBuffer bytes) {
        return new LentBytes(bytes, RELEASED, false);
    }

    /** Lent bytes; {@code giveBack} runs once, on the first release. */
    public static LentBytes lent(ByteBuffer bytes, Runnable giveBack) {
        OUTSTANDING.addAndGet(bytes.remaining());
        return new LentBytes(bytes, giveBack, true);
    }

    /**
     * The bytes (position to limit; reading them may move the position). Do not write them; do
     * not read them after {@link #release}.
     */
    public ByteBuffer bytes() {
        return bytes;
    }

    /** How many bytes there are (however far {@link #bytes} has been read). */
    public int length() {
        return length;
    }

    /** Whether the bytes are lent, i.e. released memory is reused. */
    public boolean isLent() {
        return lent;
    }

    /** Gives the memory back (the first call only). */
    public void release() {
        Runnable r = giveBack.getAndSet(RELEASED);
        if (r != RELEASED) {
            OUTSTANDING.addAndGet(-length);
            r.run();
        }
    }

    /** Lent bytes not yet released in this process. */
    public static long outstanding() {
        return OUTSTANDING.get();
    }
}
