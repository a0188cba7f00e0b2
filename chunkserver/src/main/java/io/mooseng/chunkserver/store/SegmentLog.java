package io.mooseng.chunkserver.store;

import io.mooseng.core.error.ErrorCode;
import io.mooseng.core.error.Failures;
import io.mooseng.core.error.MooseException;
import io.mooseng.core.model.ShardId;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The append side of the store: writes records at the end of the active segment, rolls to
 * a new segment when the active one is full, and queues what it wrote for the group commit.
 *
 * <p>Threading: {@link #append} and {@link #drain} from any thread, serialized by one lock;
 * appends write with positional I/O so concurrent reads of older records are unaffected.
 */
final class SegmentLog {
    private static final Logger log = LoggerFactory.getLogger(SegmentLog.class);
    private static final ByteBuffer EMPTY = ByteBuffer.allocate(0);

    /** Records appended but not yet handed to a group commit, with the segment to fsync. */
    record Batch(long lastSeq, List<PendingRecord> records, Segment segment) {
    }

    private final Path dir;
    private final long maxSegmentBytes;
    private final Map<Integer, Segment> segments;
    private final ReentrantLock lock = new ReentrantLock();
    private final AtomicLong fsyncs = new AtomicLong();
    private Segment active;
    private long end;
    private long appendedSeq;
    private List<PendingRecord> pending = new ArrayList<>();
    private boolean closed;

    /**
     * @param segments every open segment by id; rolled segments are added to it
     * @param active   the segment to append to; its {@code sizeBytes} is where appends start
     */
    SegmentLog(Path dir, long maxSegmentBytes, Map<Integer, Segment> segments, Segment active) {
        this.dir = dir;
        this.maxSegmentBytes = maxSegmentBytes;
        this.segments = segments;
        this.active = active;
        this.end = active.sizeBytes();
    }

    /**
     * Appends a put record.
     *
     * @param data     the payload (position..limit), not modified
     * @param replaces for a compaction copy, the record it copies: the index takes the copy
     *                 only if it still points there; null for a client's put
     * @throws MooseException NO_SPACE when the disk is full
     */
    PendingRecord appendPut(ShardId id, ByteBuffer data, PieceChecksums sums, Location replaces) throws IOException {
        RecordHeader header = new RecordHeader(RecordType.PUT, id, data.remaining(), sums.whole());
        return append(header, header.encodeWithPieces(sums.pieces()), data, replaces);
    }

    /** Appends a tombstone; @throws MooseException NO_SPACE when the disk is full */
    PendingRecord appendTombstone(ShardId id) throws IOException {
        RecordHeader header = new RecordHeader(RecordType.DELETE, id, 0, 0);
        return append(header, header.encodeWithPieces(new int[0]), EMPTY, null);
    }

    /**
     * Appends one record. On a write failure the partial record is cut off again, so the
     * segment stays a sequence of whole records.
     *
     * @param head    header and piece table, encoded
     * @param payload the payload (position..limit), not modified
     */
    private PendingRecord append(RecordHeader header, ByteBuffer head, ByteBuffer payload, Location replaces)
            throws IOException {
        long size = header.recordBytes();
        lock.lock();
        try {
            if (closed) {
                throw new IOException("shard store in " + dir + " is closed");
            }
            if (end > 0 && end + size > maxSegmentBytes) {
                try {
                    roll();
                } catch (IOException e) {
                    throw diskFullAware(e, header);
                }
            }
            long start = end;
            try {
                active.writeFully(head.duplicate(), start);
                active.writeFully(payload.duplicate(), start + head.remaining());
            } catch (IOException e) {
                cutBack(start);
                throw diskFullAware(e, header);
            }
            end = start + size;
            active.setSizeBytes(end);
            Location at = new Location(active.id(), start, header.length(), header.payloadCrc());
            PendingRecord record = new PendingRecord(++appendedSeq, header.type(), header.id(), at, replaces);
            pending.add(record);
            return record;
        } finally {
            lock.unlock();
        }
    }

    /** Takes every record appended so far, for one group commit. */
    Batch drain() {
        lock.lock();
        try {
            Batch batch = new Batch(appendedSeq, pending, active);
            pending = new ArrayList<>();
            return batch;
        } finally {
            lock.unlock();
        }
    }

    /** fsyncs a segment's data (and its size, which fdatasync includes). */
    void force(Segment segment) throws IOException {
        segment.channel().force(false);
        fsyncs.incrementAndGet();
    }

    /** Sequence number of the last record appended. */
    long lastSeq() {
        lock.lock();
        try {
            return appendedSeq;
        } finally {
            lock.unlock();
        }
    }

    /** Number of fsyncs of segment data since open. */
    long fsyncCount() {
        return fsyncs.get();
    }

    /** Refuses further appends; @return the sequence number of the last record appended. */
    long close() {
        lock.lock();
        try {
            closed = true;
            return appendedSeq;
        } finally {
            lock.unlock();
        }
    }

    Segment active() {
        lock.lock();
        try {
            return active;
        } finally {
            lock.unlock();
        }
    }

    /** Seals the active segment (durable, so the leader only ever fsyncs the active one). */
    private void roll() throws IOException {
        force(active);
        Segment next = Segment.open(dir, active.id() + 1, true);
        // the new file's directory entry must be durable before any record in it is acknowledged
        syncDirectory(dir);
        segments.put(next.id(), next);
        log.debug("rolled {} at {} bytes to {}", active.path(), end, next.path());
        active = next;
        end = 0;
    }

    private void cutBack(long start) {
        try {
            active.channel().truncate(start);
        } catch (IOException e) {
            // the next append overwrites the leftovers at `start`; a crash before that leaves
            // a torn tail, which open() cuts off
            log.warn("could not truncate {} back to {}", active.path(), start, e);
        }
    }

    /** Throws NO_SPACE if {@code e} reports a full disk, else returns it to be rethrown. */
    private IOException diskFullAware(IOException e, RecordHeader header) {
        if (Failures.isDiskFull(e)) {
            throw new MooseException(ErrorCode.NO_SPACE, "no space left in " + dir + " for shard " + header.id()
                    + " (" + header.length() + " bytes)", e);
        }
        return e;
    }

    static void syncDirectory(Path dir) throws IOException {
        try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
            ch.force(true);
        }
    }
}
