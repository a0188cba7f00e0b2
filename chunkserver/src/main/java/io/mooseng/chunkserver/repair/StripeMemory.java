package io.mooseng.chunkserver.repair;

import io.vertx.core.Vertx;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.util.ArrayDeque;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Native memory for the rebuilds running on one chunkserver. Each rebuild takes a
 * {@link Stripe}: shard-sized regions for the shard it makes and the survivors it decodes
 * from. Stripes are reused by the next rebuild, so survivors are received into memory that is
 * neither zeroed again nor collected (a fresh 1 MiB array per survivor cost more CPU than the
 * decode), and the decoded shard is written to disk from native memory without the JDK's
 * copy of a heap buffer. There are never more stripes than rebuilds running at once; all are
 * let go once none has run for {@value #IDLE_FREE_MILLIS} ms, so an idle chunkserver holds none
 * (freeing them whenever the count touched zero, as it does between two rebuilds of a repair,
 * cost as much zeroing as the arrays did). The memory is the garbage collector's to free
 * ({@link Arena#ofAuto()}): a stripe still held when its chunkserver closes is not leaked.
 */
final class StripeMemory {
    static final long IDLE_FREE_MILLIS = 5_000;

    private final Vertx vertx;
    private final long idleFreeMillis;
    private final ArrayDeque<Stripe> idle = new ArrayDeque<>();
    private int taken;
    private long lastGivenNanos;
    private boolean checkPending;

    /**
     * @param vertx          for the timer that frees idle stripes
     * @param idleFreeMillis how long all stripes must have been idle to be freed
     */
    StripeMemory(Vertx vertx, long idleFreeMillis) {
        this.vertx = vertx;
        this.idleFreeMillis = idleFreeMillis;
    }

    /** A stripe of {@code regions} regions of {@code regionBytes} each, until {@link #give}n back. */
    synchronized Stripe take(int regions, int regionBytes) {
        Stripe stripe = idle.isEmpty() ? new Stripe() : idle.pop();
        stripe.reset(regions, regionBytes);
        taken++;
        return stripe;
    }

    /** Returns a stripe once nothing reads or writes its regions any more. */
    synchronized void give(Stripe stripe) {
        taken--;
        idle.push(stripe);
        lastGivenNanos = System.nanoTime();
        if (!checkPending) {
            checkPending = true;
            vertx.setTimer(idleFreeMillis, t -> freeIfIdle());
        }
    }

    /** Whether any stripe's memory is held (for tests). */
    synchronized boolean holdsMemory() {
        return taken > 0 || !idle.isEmpty();
    }

    private synchronized void freeIfIdle() {
        long idleMillis = (System.nanoTime() - lastGivenNanos) / 1_000_000;
        if (taken == 0 && idleMillis >= idleFreeMillis) {
            idle.clear(); // the collector frees their memory
            checkPending = false;
        } else if (taken == 0 || !idle.isEmpty()) {
            vertx.setTimer(Math.max(1, idleFreeMillis - idleMillis), t -> freeIfIdle());
        } else {
            checkPending = false; // all taken: the next give() checks again
        }
    }

    /** Regions of one rebuild, handed out in turn; past the last one, fresh heap buffers. */
    static final class Stripe {
        private final AtomicInteger next = new AtomicInteger();
        private MemorySegment memory = MemorySegment.NULL;
        private int regions;
        private int regionBytes;

        private void reset(int count, int bytes) {
            long needed = (long) count * bytes;
            if (memory.byteSize() < needed) {
                memory = Arena.ofAuto().allocate(needed, 4096);
            }
            regions = count;
            regionBytes = bytes;
            next.set(0);
        }

        /**
         * The next region, as a direct buffer of {@code regionBytes}; once all are handed out (a
         * failed read was replaced by another), a heap buffer of the same size.
         */
        ByteBuffer region() {
            int i = next.getAndIncrement();
            if (i >= regions || regionBytes == 0) {
                return ByteBuffer.allocate(regionBytes);
            }
            return memory.asSlice((long) i * regionBytes, regionBytes).asByteBuffer();
        }
    }
}
