package io.mooseng.chunkserver.store;

import io.mooseng.core.error.ErrorCode;
import io.mooseng.core.error.MooseException;
import io.mooseng.core.model.ShardId;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;

/**
 * Reclaims the dead space of sealed segments. A segment whose dead fraction reached the
 * threshold is rewritten: the records still needed are verified and appended again through
 * the normal append path, made durable, and only then is the file unlinked (and the
 * directory fsynced). A crash at any point leaves the old records or their durable copies,
 * or both; replay takes the later ones, which say the same.
 *
 * <p>What is still needed:
 * <ul>
 *   <li>a put the index points to. Copied under the stripe lock of its shard, and only if
 *       the index still points to it, so a concurrent delete or overwrite lands after the
 *       copy in the log and wins at replay as it does in memory ({@link ShardLocks}).</li>
 *   <li>a tombstone of a shard that is absent, while an older segment exists: it may shadow
 *       a put there, which replay would otherwise resurrect. If the shard is present, its
 *       current put is later in the log than the tombstone and shadows the same records.</li>
 * </ul>
 * A current put that fails verification is quarantined instead of copied.
 *
 * <p>Readers holding a location in a retired segment find its channel closed and look the
 * shard up again: the index moved to the copy before the segment was retired.
 *
 * <p>Threading: one round at a time ({@link #compactOnce} is synchronized); the background
 * thread runs rounds at a fixed delay.
 */
final class Compactor {
    private static final Logger log = LoggerFactory.getLogger(Compactor.class);
    /** Records per lock-and-fsync round: bounds how long writers of those shards wait. */
    private static final int BATCH_RECORDS = 256;
    /** Payload bytes held in memory per batch (a larger shard is a batch of its own). */
    private static final long BATCH_BYTES = 8L << 20;
    private static final ByteBuffer EMPTY = ByteBuffer.allocate(0);

    /** Appends a durable tombstone for a shard whose current record is damaged. */
    interface Quarantine {
        void quarantine(ShardId id, Location damaged, String reason) throws IOException;
    }

    /** A record of the segment being rewritten that may still be needed. */
    private record Candidate(ShardId id, RecordType type, Location at) {
    }

    private final Path dir;
    private final Map<Integer, Segment> segments;
    private final ShardIndex index;
    private final SegmentLog segmentLog;
    private final GroupCommit commit;
    private final ShardLocks locks;
    private final Quarantine quarantine;
    private final double deadRatio;
    private final BooleanSupplier closing;
    private final AtomicLong compactedSegments = new AtomicLong();
    private final AtomicLong reclaimedBytes = new AtomicLong();
    private ScheduledExecutorService background;

    Compactor(Path dir, Map<Integer, Segment> segments, ShardIndex index, SegmentLog segmentLog, GroupCommit commit,
              ShardLocks locks, Quarantine quarantine, double deadRatio, BooleanSupplier closing) {
        this.dir = dir;
        this.segments = segments;
        this.index = index;
        this.segmentLog = segmentLog;
        this.commit = commit;
        this.locks = locks;
        this.quarantine = quarantine;
        this.deadRatio = deadRatio;
        this.closing = closing;
    }

    /** Runs {@link #compactOnce} every {@code intervalMillis} on a daemon thread until {@link #stop}. */
    synchronized void start(long intervalMillis) {
        if (background != null) {
            return;
        }
        ScheduledThreadPoolExecutor executor = new ScheduledThreadPoolExecutor(1, r -> {
            Thread t = new Thread(r, "mooseng-compactor-" + dir.getFileName());
            t.setDaemon(true);
            return t;
        });
        executor.scheduleWithFixedDelay(this::compactInBackground, intervalMillis, intervalMillis, TimeUnit.MILLISECONDS);
        background = executor;
    }

    /**
     * Stops the background thread, waiting for a running round to notice {@code closing}.
     * Never interrupts it: an interrupt would close the store's file channels.
     */
    void stop() throws IOException {
        ScheduledExecutorService executor;
        synchronized (this) {
            executor = background;
        }
        if (executor == null) {
            return;
        }
        executor.shutdown();
        try {
            if (!executor.awaitTermination(1, TimeUnit.MINUTES)) {
                log.warn("compactor still running after 1 min: dir={}", dir);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while stopping the compactor of " + dir, e);
        }
    }

    private void compactInBackground() {
        try {
            compactOnce();
        } catch (IOException | RuntimeException e) {
            // the next round retries; the segment stays as it was
            log.warn("compaction round failed: dir={}", dir, e);
        }
    }

    /** Rewrites every sealed segment whose dead fraction is at least the threshold, oldest first. */
    synchronized CompactionResult compactOnce() throws IOException {
        long started = System.nanoTime();
        int activeId = segmentLog.active().id();
        // records of freshly sealed segments may still wait for their group commit; the index
        // must know them all, or they would look dead
        commit.awaitDurable(segmentLog.lastSeq());
        List<Segment> due = segments.values().stream()
                .filter(s -> s.id() < activeId && s.sizeBytes() - s.liveBytes() >= deadRatio * s.sizeBytes())
                .sorted(Comparator.comparingInt(Segment::id))
                .toList();
        int done = 0;
        long reclaimed = 0;
        for (Segment segment : due) {
            if (closing.getAsBoolean()) {
                break;
            }
            long copied = rewrite(segment);
            if (copied < 0) {
                continue;
            }
            retire(segment);
            done++;
            reclaimed += segment.sizeBytes() - copied;
        }
        compactedSegments.addAndGet(done);
        reclaimedBytes.addAndGet(reclaimed);
        if (done > 0) {
            log.info("compacted: dir={} segments={} reclaimedBytes={} millis={}", dir, done, reclaimed,
                    (System.nanoTime() - started) / 1_000_000);
        }
        return new CompactionResult(done, reclaimed);
    }

    long compactedSegments() {
        return compactedSegments.get();
    }

    long reclaimedBytes() {
        return reclaimedBytes.get();
    }

    /** Copies what {@code segment} still holds to the log's end; @return bytes copied, or -1 if it must stay */
    private long rewrite(Segment segment) throws IOException {
        List<Candidate> candidates = new ArrayList<>();
        SegmentScanner.scan(segment, false, (header, pos) -> {
            Location at = new Location(segment.id(), pos, header.length(), header.payloadCrc());
            if (header.type() == RecordType.DELETE || at.equals(index.get(header.id()))) {
                candidates.add(new Candidate(header.id(), header.type(), at));
            }
        });
        boolean olderSegments = segments.keySet().stream().anyMatch(id -> id < segment.id());
        long copied = 0;
        int next = 0;
        while (next < candidates.size()) {
            if (closing.getAsBoolean()) {
                return -1;
            }
            int end = batchEnd(candidates, next);
            copied += copyBatch(segment, candidates.subList(next, end), olderSegments);
            next = end;
        }
        if (segment.liveBytes() != 0) {
            // the index still points here: records behind a header damaged since open
            log.warn("segment kept: file={} liveBytes={} reason=live records the scan could not reach",
                    segment.path(), segment.liveBytes());
            return -1;
        }
        return copied;
    }

    private static int batchEnd(List<Candidate> candidates, int from) {
        int end = from;
        long bytes = 0;
        while (end < candidates.size() && end - from < BATCH_RECORDS
                && (end == from || bytes + candidates.get(end).at().length() <= BATCH_BYTES)) {
            bytes += candidates.get(end).at().length();
            end++;
        }
        return end;
    }

    /**
     * Reads and verifies the batch's puts, then under their shards' locks appends what is
     * still needed and waits for one fsync. Should an append fail, the copies already
     * appended are harmless: anything written for their shards later lands after them.
     *
     * @return bytes appended
     */
    private long copyBatch(Segment segment, List<Candidate> batch, boolean olderSegments) throws IOException {
        List<ByteBuffer> payloads = new ArrayList<>(batch.size());
        List<ShardId> ids = new ArrayList<>(batch.size());
        for (Candidate c : batch) {
            payloads.add(c.type() == RecordType.PUT ? readVerified(segment, c) : null);
            ids.add(c.id());
        }
        long appended = 0;
        long lastSeq = 0;
        try (ShardLocks.Held held = locks.lockAll(ids)) {
            for (int i = 0; i < batch.size(); i++) {
                Candidate c = batch.get(i);
                Location now = index.get(c.id());
                PendingRecord copy = null;
                if (c.type() == RecordType.PUT && payloads.get(i) != null && c.at().equals(now)) {
                    ByteBuffer data = payloads.get(i);
                    copy = segmentLog.appendPut(c.id(), data, PieceChecksums.of(data), c.at());
                } else if (c.type() == RecordType.DELETE && now == null && olderSegments) {
                    copy = segmentLog.appendTombstone(c.id());
                }
                if (copy != null) {
                    appended += copy.location().recordBytes();
                    lastSeq = copy.seq();
                }
            }
            if (lastSeq > 0) {
                commit.awaitDurable(lastSeq);
            }
        }
        return appended;
    }

    /** The payload of a current put, verified; null if it is damaged (then it is quarantined). */
    private ByteBuffer readVerified(Segment segment, Candidate c) throws IOException {
        if (c.at().length() == 0) {
            return EMPTY;
        }
        try {
            return ShardReader.read(c.id(), c.at(), segment, 0, c.at().length());
        } catch (MooseException e) {
            if (e.code() != ErrorCode.SHARD_CORRUPT) {
                throw e;
            }
            quarantine.quarantine(c.id(), c.at(), e.getMessage());
            return null;
        }
    }

    /** Removes a segment nothing points to any more. */
    private void retire(Segment segment) throws IOException {
        segments.remove(segment.id());
        // readers still holding it get ClosedChannelException and look their shard up again
        segment.close();
        Files.delete(segment.path());
        SegmentLog.syncDirectory(dir);
        log.debug("segment retired: file={} sizeBytes={}", segment.path(), segment.sizeBytes());
    }
}
