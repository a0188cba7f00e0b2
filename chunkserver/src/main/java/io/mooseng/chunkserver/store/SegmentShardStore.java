package io.mooseng.chunkserver.store;

import io.mooseng.core.chunk.ShardStore;
import io.mooseng.core.error.ErrorCode;
import io.mooseng.core.error.MooseException;
import io.mooseng.core.model.ShardId;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.EOFException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.FileStore;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.IntFunction;

/**
 * A log-structured {@link ShardStore}: every put and delete appends a record to the active
 * segment file of a directory, and an in-memory index maps each shard id to its current
 * record (see {@link RecordHeader} for the format). Small and large shards share the same
 * files, so a small shard costs one append instead of a file of its own.
 *
 * <ul>
 *   <li>Durability: {@code put} and {@code delete} return after an fsync covering their
 *       record; concurrent callers share fsyncs ({@link GroupCommit}).</li>
 *   <li>Integrity: CRC32C per 64 KiB piece and of the whole payload; {@code get} verifies
 *       the pieces it returns (and the whole when it returns all of a shard).</li>
 *   <li>Recovery: open scans the segments' headers to rebuild the index; after an unclean
 *       stop it also verifies the payloads of the last segment and cuts off a torn tail.</li>
 *   <li>Space: each segment counts its live bytes; a background {@link Compactor} rewrites
 *       sealed segments that are mostly dead ({@link #startCompactor()}).</li>
 *   <li>Damage: a shard found corrupt is quarantined ({@link #quarantine}): a tombstone
 *       makes it missing, so the master rebuilds it from the other shards of its block.</li>
 * </ul>
 *
 * <p>Threading: all methods are thread-safe and blocking; reads are positional and run
 * concurrently with appends. Do not interrupt threads inside store calls: an interrupt
 * closes the underlying FileChannel, after which the store fails until reopened.
 * Memory: about 130 bytes of heap per shard for the index.
 */
public final class SegmentShardStore implements ShardStore {
    private static final Logger log = LoggerFactory.getLogger(SegmentShardStore.class);
    private static final String LOCK_FILE = "store.lock";
    /** A piece checksum in a record's table: big-endian, as {@link RecordHeader} writes it. */
    private static final ValueLayout.OfInt CHECKSUM = ValueLayout.JAVA_INT_UNALIGNED.withOrder(ByteOrder.BIG_ENDIAN);

    private final Path dir;
    private final FileStore fileStore;
    private final FileChannel lockChannel;
    private final Map<Integer, Segment> segments;
    private final ShardIndex index;
    private final SegmentLog segmentLog;
    private final GroupCommit commit;
    private final ShardLocks locks = new ShardLocks();
    private final Compactor compactor;
    private final long compactIntervalMillis;
    private final AtomicLong quarantined = new AtomicLong();
    private final LostShards lost = new LostShards();
    private final AtomicBoolean closed = new AtomicBoolean();

    private SegmentShardStore(Path dir, FileChannel lockChannel, Map<Integer, Segment> segments, ShardIndex index,
                              Segment active, StoreOptions options) throws IOException {
        this.dir = dir;
        this.fileStore = Files.getFileStore(dir);
        this.lockChannel = lockChannel;
        this.segments = segments;
        this.index = index;
        this.segmentLog = new SegmentLog(dir, options.segmentBytes(), segments, active);
        this.commit = new GroupCommit(segmentLog, index);
        this.compactor = new Compactor(dir, segments, index, segmentLog, commit, locks, this::quarantine,
                options.compactDeadRatio(), closed::get);
        this.compactIntervalMillis = options.compactIntervalMillis();
    }

    /** Opens (creating if needed) the store in {@code dir} with default options. */
    public static SegmentShardStore open(Path dir) throws IOException {
        return open(dir, StoreOptions.defaults());
    }

    /**
     * Opens (creating if needed) the store in {@code dir}, rebuilding the index from the
     * segment files. One process at a time: a second open of the same directory fails.
     */
    public static SegmentShardStore open(Path dir, StoreOptions options) throws IOException {
        Files.createDirectories(dir);
        FileChannel lock = lockDirectory(dir);
        try {
            return new StoreRecovery(dir).recover(
                    (segments, index, active) -> new SegmentShardStore(dir, lock, segments, index, active, options));
        } catch (IOException | RuntimeException e) {
            lock.close();
            throw e;
        }
    }

    @Override
    public void put(ShardId id, ByteBuffer data) throws IOException {
        append(id, data, PieceChecksums.of(data));
    }

    /**
     * Like {@link #put(ShardId, ByteBuffer)}, but first checks the data against the CRC32C
     * expected (its sender's, or for a rebuilt shard the one recorded at write time), computed
     * once with the piece checksums.
     *
     * @throws MooseException SHARD_CORRUPT if the data does not match; nothing is stored
     */
    public void put(ShardId id, ByteBuffer data, int expectedCrc32c) throws IOException {
        PieceChecksums sums = PieceChecksums.of(data);
        if (sums.whole() != expectedCrc32c) {
            throw new MooseException(ErrorCode.SHARD_CORRUPT, String.format(
                    "shard %s does not match its CRC32C: expected %08x, data has %08x; not stored", id, expectedCrc32c, sums.whole()));
        }
        append(id, data, sums);
    }

    private void append(ShardId id, ByteBuffer data, PieceChecksums sums) throws IOException {
        commit.checkHealthy();
        try (ShardLocks.Held held = locks.lock(id)) {
            commit.awaitDurable(segmentLog.appendPut(id, data, sums, null).seq());
        }
    }

    @Override
    public ByteBuffer get(ShardId id, long offset, int length) throws IOException {
        return atRecord(id, offset, length, (at, segment, end) -> ShardReader.read(id, at, segment, offset, end),
                at -> ByteBuffer.allocate(0));
    }

    /**
     * Locates bytes [offset, offset+length) of a shard, clipped to its size, to be sent
     * straight from its segment file and verified by the receiver (see {@link ShardRange}).
     * Reads only the piece checksums of the range. A segment retired by compaction after the
     * lookup is handled as {@link #get} handles it: the shard is looked up again.
     *
     * @throws MooseException SHARD_NOT_FOUND; SHARD_CORRUPT if the segment file ends inside
     *                        the record (the shard is then quarantined, as by {@link #get})
     */
    public ShardRange openRange(ShardId id, long offset, int length) throws IOException {
        return atRecord(id, offset, length, (at, segment, end) -> {
            FileChannel file = openForReading(segment);
            if (file == null) {
                throw new ClosedChannelException();
            }
            try {
                return range(id, at, segment.path(), file, PieceSpan.covering(offset, end, at.length()));
            } catch (IOException | RuntimeException e) {
                file.close();
                throw e;
            }
        }, ShardRange::empty);
    }

    /**
     * Like {@link #openRange}, but the pieces are read into memory, into a buffer of exactly
     * their size that {@code buffers} hands out (a pooled one of the transport; asked again if
     * compaction moved the shard meanwhile): for a short range two positional reads on the
     * segment's open channel cost less than a channel of its own, a residency probe and a
     * sendfile. Not verified here either: the receiver checks the pieces.
     */
    public ShardRange readRange(ShardId id, long offset, int length, IntFunction<ByteBuffer> buffers) throws IOException {
        return atRecord(id, offset, length, (at, segment, end) -> {
            PieceSpan span = PieceSpan.covering(offset, end, at.length());
            int[] pieces = pieceTable(id, at, segment.channel(), segment.path(), span);
            ByteBuffer bytes = buffers.apply(span.bytes());
            try {
                segment.readFully(bytes, span.payloadPosition(at));
            } catch (EOFException e) {
                throw ShardReader.corrupt(id, at, "the segment ends inside the record");
            }
            return ShardRange.inMemory(bytes.flip(), span.from(), pieces, at.length(), at.crc());
        }, ShardRange::empty);
    }

    /**
     * Like {@link #readRange}, for a thread that must not wait for the disk (an event loop):
     * reads the piece checksums and the pieces only if the page cache holds them all. Nothing
     * is quarantined here: a record found short is left to {@link #readRange}, which does.
     *
     * @return the range, or null if some of it is not in memory, the platform cannot read
     *         without waiting or compaction moved the shard: read it with {@link #readRange}
     * @throws MooseException SHARD_NOT_FOUND
     */
    public ShardRange readCachedRange(ShardId id, long offset, int length, IntFunction<ByteBuffer> buffers) {
        Location at = locate(id, offset, length);
        long end = Math.min(at.length(), offset + length);
        if (offset >= end) {
            return ShardRange.empty(at);
        }
        Segment segment = segments.get(at.segment());
        if (segment == null) {
            return null;
        }
        PieceSpan span = PieceSpan.covering(offset, end, at.length());
        try (Arena scratch = Arena.ofConfined()) {
            MemorySegment table = scratch.allocate(4L * span.pieces(), 4);
            if (!segment.readCached(table, span.tablePosition(at), scratch)) {
                return null;
            }
            ByteBuffer bytes = buffers.apply(span.bytes());
            if (!segment.readCached(MemorySegment.ofBuffer(bytes), span.payloadPosition(at), scratch)) {
                return null;
            }
            return ShardRange.inMemory(bytes, span.from(), table.toArray(CHECKSUM), at.length(), at.crc());
        }
    }

    /** One read of a shard's record where the index points now. */
    private interface RecordRead<T> {
        /** @param end the end of the range, clipped to the shard; @throws ClosedChannelException if the segment was retired */
        T read(Location at, Segment segment, long end) throws IOException;
    }

    /**
     * Runs {@code read} on the record of the shard, again on its new record when compaction
     * retired the segment after the lookup; {@code empty} answers a range that starts at or
     * past the shard's end. A record found damaged quarantines the shard.
     */
    private <T> T atRecord(ShardId id, long offset, int length, RecordRead<T> read, Function<Location, T> empty)
            throws IOException {
        Location at = locate(id, offset, length);
        while (true) {
            long end = Math.min(at.length(), offset + length);
            if (offset >= end) {
                return empty.apply(at);
            }
            Segment segment = segments.get(at.segment());
            try {
                if (segment != null) {
                    return read.read(at, segment, end);
                }
            } catch (ClosedChannelException e) {
                // compaction may have retired the segment after the lookup; if not, the store is closed
                if (at.equals(index.get(id))) {
                    throw e;
                }
            } catch (MooseException e) {
                throw quarantineCorrupt(id, at, e);
            }
            at = relocate(id, at);
        }
    }

    /** A channel of its own on the segment's file, or null if compaction unlinked the file since the lookup. */
    private static FileChannel openForReading(Segment segment) throws IOException {
        try {
            return FileChannel.open(segment.path(), StandardOpenOption.READ);
        } catch (NoSuchFileException e) {
            return null;
        }
    }

    /** @throws MooseException SHARD_CORRUPT if the file ends inside the record */
    private static ShardRange range(ShardId id, Location at, Path path, FileChannel file, PieceSpan span) throws IOException {
        if (file.size() < span.payloadPosition(at) + span.bytes()) {
            throw ShardReader.corrupt(id, at, "the segment ends inside the record");
        }
        int[] pieces = pieceTable(id, at, file, path, span);
        // the bytes are sent from the event loop: make it find them in memory, not wait there for the disk
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment payload = file.map(FileChannel.MapMode.READ_ONLY, span.payloadPosition(at), span.bytes(), arena);
            if (!payload.isLoaded()) {
                payload.load();
            }
        }
        return new ShardRange(file, null, span.payloadPosition(at), span.from(), span.bytes(), pieces, at.length(), at.crc());
    }

    /** The checksums of the pieces of {@code span}; @throws MooseException SHARD_CORRUPT if the file ends first */
    private static int[] pieceTable(ShardId id, Location at, FileChannel file, Path path, PieceSpan span) throws IOException {
        ByteBuffer table = ByteBuffer.allocate(4 * span.pieces());
        try {
            Segment.readFully(file, path, table, span.tablePosition(at));
        } catch (EOFException e) {
            throw ShardReader.corrupt(id, at, "the segment ends inside the record");
        }
        int[] pieces = new int[span.pieces()];
        table.flip().asIntBuffer().get(pieces);
        return pieces;
    }

    /** Where the shard is now that the record at {@code at} could not be read: compaction moved it on, or it is gone. */
    private Location relocate(ShardId id, Location at) throws IOException {
        Location now = locate(id);
        if (now.equals(at)) {
            throw new IOException("shard " + id + " points into " + Segment.fileName(at.segment())
                    + ", which is not open in " + dir);
        }
        return now;
    }

    /** The shard's record, for a read of [offset, offset+length). */
    private Location locate(ShardId id, long offset, int length) {
        if (offset < 0 || length < 0) {
            throw new IllegalArgumentException("negative offset or length: " + offset + ", " + length);
        }
        return locate(id);
    }

    private Location locate(ShardId id) {
        Location at = index.get(id);
        if (at == null) {
            throw new MooseException(ErrorCode.SHARD_NOT_FOUND, "shard " + id + " not found in " + dir);
        }
        return at;
    }

    /** Quarantines the shard whose read failed with {@code e} (SHARD_CORRUPT); @return e to rethrow */
    private MooseException quarantineCorrupt(ShardId id, Location at, MooseException e) {
        try {
            quarantine(id, at, e.getMessage());
        } catch (IOException | RuntimeException failure) {
            e.addSuppressed(failure);
        }
        return e;
    }

    @Override
    public long size(ShardId id) {
        Location at = index.get(id);
        return at == null ? -1 : at.length();
    }

    /**
     * Appends a durable tombstone if the shard is present. Writes of one shard run one at a
     * time: a delete racing a put of the same shard sees it either before or after.
     */
    @Override
    public boolean delete(ShardId id) throws IOException {
        commit.checkHealthy();
        try (ShardLocks.Held held = locks.lock(id)) {
            if (index.get(id) == null) {
                return false;
            }
            commit.awaitDurable(segmentLog.appendTombstone(id).seq());
            return true;
        }
    }

    /**
     * Takes a damaged shard out of service: appends a durable tombstone, so it is reported
     * missing from now on and the master rebuilds it elsewhere, and logs it at ERROR. Reads
     * that find a shard corrupt do this themselves.
     *
     * @param reason what is wrong with it, for the log
     * @return whether the shard was present
     */
    public boolean quarantine(ShardId id, String reason) throws IOException {
        return quarantine(id, null, reason);
    }

    /** @param damaged the record found damaged: a later version of the shard is left alone; null: any */
    private boolean quarantine(ShardId id, Location damaged, String reason) throws IOException {
        commit.checkHealthy();
        try (ShardLocks.Held held = locks.lock(id)) {
            Location at = index.get(id);
            if (at == null || (damaged != null && !damaged.equals(at))) {
                return false;
            }
            commit.awaitDurable(segmentLog.appendTombstone(id).seq());
            quarantined.incrementAndGet();
            lost.add(id);
            log.error("shard quarantined: shard={} segment={} offset={} dir={} reason={}", id,
                    Segment.fileName(at.segment()), at.offset(), dir, reason);
            return true;
        }
    }

    /** Shards quarantined and not yet reported to the leader (the chunkserver's heartbeat reports them). */
    public LostShards lost() {
        return lost;
    }

    /** Shards quarantined since open. */
    public long quarantinedShards() {
        return quarantined.get();
    }

    /**
     * Starts compacting in the background every {@link StoreOptions#compactIntervalMillis}
     * (unless that is 0), until close.
     */
    public void startCompactor() {
        if (compactIntervalMillis > 0) {
            compactor.start(compactIntervalMillis);
        }
    }

    /** Runs one compaction round now (waiting for a background one to finish first). */
    public CompactionResult compactOnce() throws IOException {
        return compactor.compactOnce();
    }

    /** Segments rewritten by compaction since open, for metrics. */
    public long compactedSegments() {
        return compactor.compactedSegments();
    }

    /** Bytes of segment files reclaimed by compaction since open, for metrics. */
    public long reclaimedBytes() {
        return compactor.reclaimedBytes();
    }

    @Override
    public void forEach(Consumer<ShardId> action) {
        index.forEach(action);
    }

    @Override
    public Usage usage() {
        long disk = segments.values().stream().mapToLong(Segment::sizeBytes).sum();
        try {
            return new Usage(index.size(), index.livePayloadBytes(), disk,
                    fileStore.getTotalSpace(), fileStore.getUsableSpace());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the capacity of " + dir, e);
        }
    }

    /** Space accounting per segment file, oldest first. */
    public List<SegmentStats> segments() {
        return segments.values().stream()
                .map(s -> new SegmentStats(s.id(), s.sizeBytes(), s.liveBytes()))
                .sorted(Comparator.comparingInt(SegmentStats::id))
                .toList();
    }

    /** fsyncs of segment data since open (group commits plus segment rolls), for metrics. */
    public long fsyncCount() {
        return segmentLog.fsyncCount();
    }

    public Path directory() {
        return dir;
    }

    /** Stops the compactor, waits for in-flight writes, syncs, marks the shutdown clean and closes the files. */
    @Override
    public void close() throws IOException {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        try {
            compactor.stop();
            commit.awaitDurable(segmentLog.close());
            Segment active = segmentLog.active();
            segmentLog.force(active);
            markClean(active);
        } finally {
            for (Segment s : segments.values()) {
                s.close();
            }
            lockChannel.close();
        }
    }

    private void markClean(Segment active) {
        try {
            CleanShutdown.write(dir, active);
        } catch (IOException e) {
            // a missing or partial marker only costs the next open a verification pass
            log.warn("could not mark {} as cleanly closed", dir, e);
        }
    }

    private static FileChannel lockDirectory(Path dir) throws IOException {
        FileChannel ch = FileChannel.open(dir.resolve(LOCK_FILE), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
        FileLock lock;
        try {
            lock = ch.tryLock();
        } catch (OverlappingFileLockException e) {
            lock = null;
        }
        if (lock == null) {
            ch.close();
            throw new IOException("shard store " + dir + " is already open");
        }
        return ch;
    }
}
