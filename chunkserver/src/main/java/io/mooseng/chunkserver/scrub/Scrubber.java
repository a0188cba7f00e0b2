package io.mooseng.chunkserver.scrub;

import io.mooseng.chunkserver.store.SegmentShardStore;
import io.mooseng.core.error.ErrorCode;
import io.mooseng.core.error.MooseException;
import io.mooseng.core.model.ShardId;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Re-verifies every shard of a store in the background, so bit rot is found while the
 * other shards of its block can still rebuild it, not when a client finally reads it.
 *
 * <p>A pass reads each shard whole through {@link SegmentShardStore#get}, which checks the
 * piece and whole-shard CRC32Cs and quarantines a shard that fails them; the scrubber only
 * paces the reads and counts. Reads are paced to {@code bytesPerSecond} so client I/O keeps
 * most of the disk. After a pass it pauses, then starts over with the shards present then.
 * An I/O error other than corruption ends the pass early (logged once).
 *
 * <p>Threading: one daemon thread; {@link #close} stops it without interrupting it (an
 * interrupt would close the store's file channels).
 */
public final class Scrubber implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(Scrubber.class);
    /** Pause between passes in production: a pass of a full disk takes days anyway. */
    public static final Duration PASS_PAUSE = Duration.ofMinutes(1);

    private final SegmentShardStore store;
    private final long bytesPerSecond;
    private final Duration passPause;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition stopRequested = lock.newCondition();
    private final AtomicLong scrubbedBytes = new AtomicLong();
    private final AtomicLong scrubbedShards = new AtomicLong();
    private final AtomicLong corruptShards = new AtomicLong();
    private final AtomicLong completedPasses = new AtomicLong();
    private boolean stopping;
    private Thread thread;

    /**
     * @param bytesPerSecond shard bytes verified per second; 0 turns scrubbing off
     * @param passPause      wait between the end of a pass and the start of the next
     */
    public Scrubber(SegmentShardStore store, long bytesPerSecond, Duration passPause) {
        if (bytesPerSecond < 0) {
            throw new IllegalArgumentException("bytesPerSecond must not be negative: " + bytesPerSecond);
        }
        this.store = store;
        this.bytesPerSecond = bytesPerSecond;
        this.passPause = passPause;
    }

    /** Starts the background thread, unless the rate is 0. Call once. */
    public void start() {
        if (bytesPerSecond == 0) {
            log.info("scrubbing off: dir={}", store.directory());
            return;
        }
        thread = new Thread(this::run, "mooseng-scrubber-" + store.directory().getFileName());
        thread.setDaemon(true);
        thread.start();
    }

    /** Stops the thread after the shard it is reading, and waits for it. */
    @Override
    public void close() throws InterruptedException {
        lock.lock();
        try {
            stopping = true;
            stopRequested.signalAll();
        } finally {
            lock.unlock();
        }
        if (thread != null) {
            thread.join();
        }
    }

    /** Shard bytes verified since start. */
    public long scrubbedBytes() {
        return scrubbedBytes.get();
    }

    /** Shards verified since start, corrupt ones included. */
    public long scrubbedShards() {
        return scrubbedShards.get();
    }

    /** Shards found corrupt (and so quarantined) since start. */
    public long corruptShardsFound() {
        return corruptShards.get();
    }

    /** Passes over the whole store finished since start. */
    public long completedPasses() {
        return completedPasses.get();
    }

    private void run() {
        while (true) {
            long started = System.nanoTime();
            long bytes = pass(started);
            if (bytes < 0) {
                return;
            }
            log.debug("scrub pass done: dir={} bytes={} corruptTotal={} millis={}", store.directory(), bytes,
                    corruptShards.get(), (System.nanoTime() - started) / 1_000_000);
            if (!sleepUntil(System.nanoTime() + passPause.toNanos())) {
                return;
            }
        }
    }

    /** @return shard bytes read in this pass, or -1 if asked to stop */
    private long pass(long started) {
        List<ShardId> ids = new ArrayList<>();
        store.forEach(ids::add);
        long bytes = 0;
        for (ShardId id : ids) {
            long size = store.size(id);
            if (size < 0) {
                continue;
            }
            // pace before reading, so a pass of N bytes never takes less than N / rate
            if (!sleepUntil(started + (long) ((bytes + size) * 1e9 / bytesPerSecond))) {
                return -1;
            }
            try {
                store.get(id, 0, (int) size);
            } catch (MooseException e) {
                if (e.code() == ErrorCode.SHARD_NOT_FOUND) {
                    continue; // deleted since the pass started
                }
                if (e.code() != ErrorCode.SHARD_CORRUPT) {
                    return endPassEarly(id, e, bytes);
                }
                corruptShards.incrementAndGet();
            } catch (IOException e) {
                return endPassEarly(id, e, bytes);
            }
            bytes += size;
            scrubbedBytes.addAndGet(size);
            scrubbedShards.incrementAndGet();
        }
        completedPasses.incrementAndGet();
        return bytes;
    }

    private long endPassEarly(ShardId id, Exception e, long bytes) {
        // one line per pass, however many shards a failing disk would fail
        log.warn("scrub pass ended early: dir={} shard={} cause={}", store.directory(), id, e.toString());
        return bytes;
    }

    /** @return false if asked to stop before {@code deadlineNanos} */
    private boolean sleepUntil(long deadlineNanos) {
        lock.lock();
        try {
            long left;
            while (!stopping && (left = deadlineNanos - System.nanoTime()) > 0) {
                stopRequested.awaitNanos(left);
            }
            return !stopping;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        } finally {
            lock.unlock();
        }
    }
}
