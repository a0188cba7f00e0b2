package io.mooseng.chunkserver.store;

import io.mooseng.core.error.ErrorCode;
import io.mooseng.core.error.MooseException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

import static io.mooseng.chunkserver.store.TestShards.content;
import static io.mooseng.chunkserver.store.TestShards.id;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Compaction rewrites dead segments without losing, resurrecting or failing anything. */
class CompactionTest {
    private static final int SIZE = 4096;
    private static final long RECORD = RecordHeader.recordBytes(SIZE);
    /** Exactly four 4 KiB shards (or three and a tombstone) fit a segment. */
    private static final StoreOptions FOUR_PER_SEGMENT = StoreOptions.defaults().withSegmentBytes(4 * RECORD);

    @TempDir
    Path dir;
    @TempDir
    Path saved;

    private SegmentShardStore open() throws IOException {
        return SegmentShardStore.open(dir, FOUR_PER_SEGMENT);
    }

    private static void put(SegmentShardStore store, long n, long version) throws IOException {
        store.put(id(n), content(n * 1000 + version, SIZE));
    }

    private static void assertShard(SegmentShardStore store, long n, long version) throws IOException {
        assertEquals(content(n * 1000 + version, SIZE), store.get(id(n), 0, SIZE), "shard " + n + " version " + version);
    }

    private static void assertGone(SegmentShardStore store, long n) {
        assertEquals(-1, store.size(id(n)), "shard " + n + " must be gone");
        assertEquals(ErrorCode.SHARD_NOT_FOUND, assertThrows(MooseException.class, () -> store.get(id(n), 0, 1)).code());
    }

    private Set<Integer> segmentFiles() throws IOException {
        try (var files = Files.list(dir)) {
            Set<Integer> ids = new HashSet<>();
            files.forEach(p -> {
                int id = Segment.idOf(p.getFileName().toString());
                if (id >= 0) {
                    ids.add(id);
                }
            });
            return ids;
        }
    }

    @Test
    void reclaimsDeadSegmentsAndKeepsTheNewestVersions() throws IOException {
        try (SegmentShardStore store = open()) {
            for (int n = 0; n < 40; n++) {
                put(store, n, 1);
            }
            for (int n = 0; n < 20; n++) {
                put(store, n, 2);
            }
            for (int n = 20; n < 30; n++) {
                assertTrue(store.delete(id(n)));
            }
            long diskBefore = store.usage().diskBytes();
            long liveBefore = store.usage().liveBytes();
            CompactionResult result = store.compactOnce();

            assertTrue(result.segments() >= 5, result.toString());
            assertEquals(result.segments(), store.compactedSegments());
            assertEquals(result.reclaimedBytes(), store.reclaimedBytes());
            assertEquals(diskBefore - result.reclaimedBytes(), store.usage().diskBytes());
            assertEquals(liveBefore, store.usage().liveBytes());
            assertEquals(store.segments().stream().map(SegmentStats::id).collect(Collectors.toSet()),
                    segmentFiles(), "retired files are unlinked");
            for (SegmentStats s : store.segments()) {
                assertTrue(s.deadBytes() < s.sizeBytes() / 2 || s.id() == lastId(store), "still dead: " + s);
            }
            assertContents(store);
            assertEquals(0, store.compactOnce().segments(), "nothing left to do");
        }
        try (SegmentShardStore store = open()) {
            assertContents(store);
        }
    }

    private static int lastId(SegmentShardStore store) {
        List<SegmentStats> all = store.segments();
        return all.get(all.size() - 1).id();
    }

    private static void assertContents(SegmentShardStore store) throws IOException {
        for (int n = 0; n < 20; n++) {
            assertShard(store, n, 2);
        }
        for (int n = 20; n < 30; n++) {
            assertGone(store, n);
        }
        for (int n = 30; n < 40; n++) {
            assertShard(store, n, 1);
        }
        assertEquals(30, store.usage().shards());
    }

    @Test
    void neverTouchesTheActiveSegment() throws IOException {
        try (SegmentShardStore store = SegmentShardStore.open(dir)) {
            for (int v = 0; v < 10; v++) {
                put(store, 1, v);
            }
            assertEquals(0, store.compactOnce().segments());
            assertShard(store, 1, 9);
        }
    }

    @Test
    void aTombstoneIsCopiedWhileAnOlderSegmentMayHoldTheShard() throws IOException {
        try (SegmentShardStore store = open()) {
            // segment 1: shard 0 and three shards that stay, so it is never compacted
            for (int n = 0; n < 4; n++) {
                put(store, n, 1);
            }
            // segment 2: two shards, the tombstone of shard 0, one more; all of it dies
            put(store, 10, 1);
            put(store, 11, 1);
            store.delete(id(0));
            put(store, 12, 1);
            put(store, 10, 2);
            put(store, 11, 2);
            put(store, 12, 2);
            assertEquals(List.of(1, 2, 3), store.segments().stream().map(SegmentStats::id).toList());

            CompactionResult result = store.compactOnce();
            assertEquals(1, result.segments());
            assertEquals(3 * RECORD, result.reclaimedBytes(), "all but the tombstone");
            assertEquals(Set.of(1, 3), segmentFiles());
            assertGone(store, 0);
        }
        try (SegmentShardStore store = open()) {
            assertGone(store, 0);
            assertShard(store, 1, 1);
            assertShard(store, 10, 2);
        }
    }

    @Test
    void aTombstoneInTheOldestSegmentIsDropped() throws IOException {
        try (SegmentShardStore store = open()) {
            put(store, 0, 1);
            put(store, 1, 1);
            store.delete(id(0));
            put(store, 2, 1);
            put(store, 1, 2);
            put(store, 2, 2);
            long segmentOne = store.segments().get(0).sizeBytes();

            CompactionResult result = store.compactOnce();
            assertEquals(new CompactionResult(1, segmentOne), result, "nothing copied, not even the tombstone");
        }
        try (SegmentShardStore store = open()) {
            assertGone(store, 0);
            assertShard(store, 1, 2);
            assertShard(store, 2, 2);
        }
    }

    @Test
    void aTombstoneOfAShardPutAgainLaterIsDropped() throws IOException {
        try (SegmentShardStore store = open()) {
            for (int n = 0; n < 4; n++) {
                put(store, n, 1);
            }
            put(store, 10, 1);
            put(store, 11, 1);
            store.delete(id(0));
            put(store, 12, 1);
            put(store, 0, 3);
            put(store, 10, 2);
            put(store, 11, 2);
            put(store, 12, 2);

            CompactionResult result = store.compactOnce();
            assertEquals(1, result.segments());
            assertEquals(3 * RECORD + RecordHeader.recordBytes(0), result.reclaimedBytes(), "the later put shadows it");
        }
        try (SegmentShardStore store = open()) {
            assertShard(store, 0, 3);
            assertTrue(store.delete(id(0)));
        }
        try (SegmentShardStore store = open()) {
            assertGone(store, 0);
        }
    }

    @Test
    void aDamagedLiveRecordIsQuarantinedInsteadOfCopied() throws IOException {
        try (SegmentShardStore store = open()) {
            for (int n = 0; n < 4; n++) {
                put(store, n, 1);
            }
            put(store, 10, 1);
            for (int n = 1; n < 4; n++) {
                put(store, n, 2);
            }
            // segment 1 now holds shard 0 live and three dead records
            CrashRecoveryTest.flipByte(dir.resolve(Segment.fileName(1)), RECORD - 100);
            CompactionResult result = store.compactOnce();

            assertEquals(1, result.segments());
            assertEquals(1, store.quarantinedShards());
            assertGone(store, 0);
            assertShard(store, 10, 1);
        }
        try (SegmentShardStore store = open()) {
            assertGone(store, 0);
            assertShard(store, 3, 2);
        }
    }

    /**
     * A crash after the copies are durable but before the old file's unlink is: the old
     * file is back at the next open, and the torn tail of the copies, too. Both must replay
     * to what the store held.
     */
    @Test
    void aCompactionInterruptedBeforeTheUnlinkLosesNothing() throws IOException {
        long copiesStart;
        try (SegmentShardStore store = open()) {
            // segment 1: shards 0..3; then 1..3 are overwritten, 2 deleted, so only 0 is live
            for (int n = 0; n < 4; n++) {
                put(store, n, 1);
            }
            put(store, 1, 2);
            put(store, 3, 2);
            store.delete(id(2));
            copiesStart = store.segments().get(store.segments().size() - 1).sizeBytes();
            Files.copy(dir.resolve(Segment.fileName(1)), saved.resolve(Segment.fileName(1)));
            assertEquals(1, store.compactOnce().segments());
        }
        Files.copy(saved.resolve(Segment.fileName(1)), dir.resolve(Segment.fileName(1)));
        Files.delete(dir.resolve(CleanShutdown.FILE_NAME));
        try (SegmentShardStore store = open()) {
            assertShard(store, 0, 1);
            assertShard(store, 1, 2);
            assertGone(store, 2);
            assertShard(store, 3, 2);
            assertEquals(1, store.compactOnce().segments(), "the old file is dead space again");
        }
        // the same with the copy torn in half: the old file still has the shard
        Files.copy(saved.resolve(Segment.fileName(1)), dir.resolve(Segment.fileName(1)));
        Path active = dir.resolve(Segment.fileName(segmentFiles().stream().max(Integer::compare).orElseThrow()));
        try (FileChannel ch = FileChannel.open(active, StandardOpenOption.WRITE)) {
            ch.truncate(copiesStart + RECORD / 2);
        }
        Files.delete(dir.resolve(CleanShutdown.FILE_NAME));
        try (SegmentShardStore store = open()) {
            assertShard(store, 0, 1);
            assertShard(store, 1, 2);
            assertGone(store, 2);
            assertShard(store, 3, 2);
        }
    }

    @Test
    @Timeout(30)
    void theBackgroundCompactorRunsUntilClose() throws Exception {
        StoreOptions options = FOUR_PER_SEGMENT.withCompactIntervalMillis(50);
        try (SegmentShardStore store = SegmentShardStore.open(dir, options)) {
            store.startCompactor();
            for (int n = 0; n < 12; n++) {
                put(store, n, 1);
            }
            for (int n = 0; n < 12; n++) {
                put(store, n, 2);
            }
            while (store.compactedSegments() < 3) {
                Thread.sleep(20);
            }
            for (int n = 0; n < 12; n++) {
                assertShard(store, n, 2);
            }
        }
        assertFalse(Thread.getAllStackTraces().keySet().stream()
                .anyMatch(t -> t.getName().startsWith("mooseng-compactor-") && t.isAlive()), "stopped by close");
    }

    @Test
    void optionsRejectARatioThatWouldRewriteLiveSegments() {
        assertThrows(IllegalArgumentException.class, () -> StoreOptions.defaults().withCompactDeadRatio(0));
        assertThrows(IllegalArgumentException.class, () -> StoreOptions.defaults().withCompactDeadRatio(1.5));
        assertThrows(IllegalArgumentException.class, () -> StoreOptions.defaults().withCompactIntervalMillis(-1));
    }
}
