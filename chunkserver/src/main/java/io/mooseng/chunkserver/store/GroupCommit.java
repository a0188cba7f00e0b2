package io.mooseng.chunkserver.store;

import java.io.IOException;

/**
 * Makes appended records durable with as few fsyncs as possible. A writer waiting for its
 * record either becomes the leader, if no fsync is running, or waits. The leader takes
 * everything appended so far, fsyncs once, applies those records to the index in log order
 * and releases every waiter they cover. Writers that append while an fsync runs are
 * covered by the next one, so under load one fsync serves many puts.
 *
 * <p>Applying only after the fsync means readers never see a shard that a crash could
 * still take away. After a failed fsync the page cache can no longer be trusted to match
 * the disk, so the store refuses all further writes (it must be reopened).
 */
final class GroupCommit {
    private final SegmentLog segmentLog;
    private final ShardIndex index;
    private final Object monitor = new Object();
    private long durableSeq;
    private boolean leading;
    private IOException failure;

    GroupCommit(SegmentLog segmentLog, ShardIndex index) {
        this.segmentLog = segmentLog;
        this.index = index;
    }

    /** Throws the fsync failure that stopped the store, if any. */
    void checkHealthy() throws IOException {
        synchronized (monitor) {
            throwIfFailed();
        }
    }

    /**
     * Returns once the record with sequence number {@code seq} is durable and applied.
     * Not interruptible: the record is in the log either way, and the caller must learn
     * whether it is durable.
     */
    void awaitDurable(long seq) throws IOException {
        boolean interrupted = false;
        try {
            synchronized (monitor) {
                while (true) {
                    throwIfFailed();
                    if (durableSeq >= seq) {
                        return;
                    }
                    if (!leading) {
                        leading = true;
                        break;
                    }
                    try {
                        monitor.wait();
                    } catch (InterruptedException e) {
                        interrupted = true;
                    }
                }
            }
            lead();
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private void lead() throws IOException {
        SegmentLog.Batch batch = segmentLog.drain();
        IOException error = null;
        try {
            segmentLog.force(batch.segment());
            apply(batch);
        } catch (IOException e) {
            error = e;
        } catch (RuntimeException | Error e) {
            // never leave `leading` set: every later writer would wait forever
            error = new IOException("group commit failed", e);
        }
        synchronized (monitor) {
            leading = false;
            if (error != null) {
                failure = error;
            } else {
                durableSeq = batch.lastSeq();
            }
            monitor.notifyAll();
            throwIfFailed();
        }
    }

    private void apply(SegmentLog.Batch batch) {
        for (PendingRecord r : batch.records()) {
            if (r.type() == RecordType.PUT && r.replaces() != null) {
                index.replace(r.id(), r.replaces(), r.location());
            } else if (r.type() == RecordType.PUT) {
                index.put(r.id(), r.location());
            } else {
                index.remove(r.id());
            }
        }
    }

    private void throwIfFailed() throws IOException {
        if (failure != null) {
            throw new IOException("shard store stopped after a failed fsync; reopen it", failure);
        }
    }
}
