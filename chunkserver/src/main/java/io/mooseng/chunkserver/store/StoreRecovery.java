package io.mooseng.chunkserver.store;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;

/**
 * Opens a store directory: rebuilds the index by replaying every segment in order, and
 * after an unclean stop cuts the torn tail off the last segment. Only the last segment can
 * have one: a segment is fsynced before the next one is started.
 */
final class StoreRecovery {
    private static final Logger log = LoggerFactory.getLogger(StoreRecovery.class);

    /** Builds the store from the recovered state. */
    interface StoreFactory {
        SegmentShardStore create(Map<Integer, Segment> segments, ShardIndex index, Segment active) throws IOException;
    }

    private final Path dir;
    private final Map<Integer, Segment> segments = new ConcurrentHashMap<>();
    private final ShardIndex index = new ShardIndex(segments);

    StoreRecovery(Path dir) {
        this.dir = dir;
    }

    SegmentShardStore recover(StoreFactory factory) throws IOException {
        long started = System.nanoTime();
        try {
            List<Integer> ids = segmentIds();
            Segment active;
            if (ids.isEmpty()) {
                Files.deleteIfExists(dir.resolve(CleanShutdown.FILE_NAME));
                active = Segment.open(dir, 1, true);
                SegmentLog.syncDirectory(dir);
                segments.put(active.id(), active);
            } else {
                int lastId = ids.get(ids.size() - 1);
                boolean clean = CleanShutdown.consume(dir, lastId, Files.size(dir.resolve(Segment.fileName(lastId))));
                boolean damaged = false;
                for (int id : ids) {
                    Segment segment = Segment.open(dir, id, false);
                    segments.put(id, segment);
                    damaged = replay(segment, id == lastId && !clean);
                }
                active = segments.get(lastId);
                if (damaged) {
                    // appends after the damage would be unreachable at the next open
                    active = Segment.open(dir, lastId + 1, true);
                    SegmentLog.syncDirectory(dir);
                    segments.put(active.id(), active);
                }
            }
            SegmentShardStore store = factory.create(segments, index, active);
            log.info("opened shard store {}: {} shards in {} segments, {} ms", dir, index.size(), segments.size(),
                    (System.nanoTime() - started) / 1_000_000);
            return store;
        } catch (IOException | RuntimeException e) {
            for (Segment s : segments.values()) {
                s.close();
            }
            throw e;
        }
    }

    private List<Integer> segmentIds() throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            return files.map(p -> Segment.idOf(p.getFileName().toString())).filter(id -> id >= 0).sorted().toList();
        }
    }

    /**
     * Replays one segment into the index.
     *
     * @param mayBeTorn whether the segment was being appended to when the store stopped
     *                  uncleanly: its payloads are verified and damage at its end is cut off
     * @return whether damage was found and left in place (the segment must not be appended to)
     */
    private boolean replay(Segment segment, boolean mayBeTorn) throws IOException {
        SegmentScanner.Result r = SegmentScanner.scan(segment, mayBeTorn, (header, pos) -> {
            if (header.type() == RecordType.PUT) {
                index.put(header.id(), new Location(segment.id(), pos, header.length(), header.payloadCrc()));
            } else {
                index.remove(header.id());
            }
        });
        if (r.skipped() > 0) {
            log.warn("{}: skipped {} records whose payload did not match its checksums", segment.path(), r.skipped());
        }
        if (r.intactEnd() == r.fileSize()) {
            segment.setSizeBytes(r.fileSize());
            return false;
        }
        if (mayBeTorn) {
            log.warn("{}: cutting off a torn tail of {} bytes at offset {}", segment.path(),
                    r.fileSize() - r.intactEnd(), r.intactEnd());
            segment.channel().truncate(r.intactEnd());
            segment.channel().force(false);
            segment.setSizeBytes(r.intactEnd());
            return false;
        }
        // this segment was fsynced whole (sealed, or closed cleanly): damage is corruption, not
        // a torn write; keep the bytes for inspection and let repair restore the shards after it
        log.error("{}: corrupt record at offset {}; the {} bytes after it are ignored", segment.path(),
                r.intactEnd(), r.fileSize() - r.intactEnd());
        segment.setSizeBytes(r.fileSize());
        return true;
    }
}
