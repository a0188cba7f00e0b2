package io.mooseng.chunkserver.store;

import io.mooseng.core.error.ErrorCode;
import io.mooseng.core.error.MooseException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

import static io.mooseng.chunkserver.store.TestShards.content;
import static io.mooseng.chunkserver.store.TestShards.id;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Compaction running flat out while writers overwrite and delete shards and readers read:
 * no read fails, and the last write of every shard wins, in memory and after reopen.
 */
class CompactionRaceTest {
    private static final Logger log = LoggerFactory.getLogger(CompactionRaceTest.class);
    private static final int SIZE = 4096;
    private static final int STABLE = 200;
    private static final int MUTABLE = 200;
    private static final int WRITERS = 4;
    private static final int READERS = 3;
    private static final long RUN_MILLIS = 2500;
    private static final StoreOptions SMALL_SEGMENTS =
            StoreOptions.defaults().withSegmentBytes(16 * RecordHeader.recordBytes(SIZE));

    @TempDir
    Path dir;

    /** Stable shards are 0..STABLE-1, mutable ones follow. */
    private static long mutable(int i) {
        return STABLE + i;
    }

    @Test
    @Timeout(60)
    void writesWinAndReadsNeverFailWhileCompacting() throws Exception {
        // version of each mutable shard once the writers are done; -1: deleted
        long[] expected = new long[MUTABLE];
        ExecutorService pool = Executors.newFixedThreadPool(WRITERS + READERS + 1);
        AtomicBoolean running = new AtomicBoolean(true);
        AtomicLong reads = new AtomicLong();
        try (SegmentShardStore store = SegmentShardStore.open(dir, SMALL_SEGMENTS)) {
            // every segment holds stable and mutable shards, so compaction moves stable ones too
            for (int i = 0; i < STABLE; i++) {
                store.put(id(i), content(i, SIZE));
                store.put(id(mutable(i)), content(mutable(i) * 1000, SIZE));
            }
            List<Future<?>> tasks = new ArrayList<>();
            for (int w = 0; w < WRITERS; w++) {
                int writer = w;
                tasks.add(pool.submit(() -> write(store, writer, expected, running)));
            }
            for (int r = 0; r < READERS; r++) {
                int seed = r;
                tasks.add(pool.submit(() -> read(store, seed, running, reads)));
            }
            Future<Long> compactor = pool.submit(() -> {
                long segments = 0;
                while (running.get()) {
                    segments += store.compactOnce().segments();
                }
                return segments;
            });
            Thread.sleep(RUN_MILLIS);
            running.set(false);
            for (Future<?> t : tasks) {
                t.get();
            }
            long compacted = compactor.get() + store.compactOnce().segments();
            log.info("{} reads, {} segments compacted while writing; {} reclaimed bytes", reads.get(), compacted,
                    store.reclaimedBytes());
            assertTrue(compacted >= 5, "compacted only " + compacted);
            assertEquals(0, store.quarantinedShards(), "no read may see a torn or retired record as corrupt");
            assertState(store, expected);
        } finally {
            pool.shutdown();
        }
        try (SegmentShardStore store = SegmentShardStore.open(dir, SMALL_SEGMENTS)) {
            assertState(store, expected);
            store.compactOnce();
            assertState(store, expected);
        }
        try (SegmentShardStore store = SegmentShardStore.open(dir, SMALL_SEGMENTS)) {
            assertState(store, expected);
        }
    }

    /** Overwrites and deletes the mutable shards i with i % WRITERS == writer. */
    private static Void write(SegmentShardStore store, int writer, long[] expected, AtomicBoolean running)
            throws IOException {
        SplittableRandom random = new SplittableRandom(writer);
        for (int i = writer; i < MUTABLE; i += WRITERS) {
            expected[i] = 0;
        }
        long version = 0;
        while (running.get()) {
            int i = writer + WRITERS * random.nextInt(MUTABLE / WRITERS);
            if (expected[i] >= 0 && random.nextInt(3) == 0) {
                assertTrue(store.delete(id(mutable(i))), "shard " + mutable(i) + " vanished before its delete");
                expected[i] = -1;
            } else {
                version++;
                store.put(id(mutable(i)), content(mutable(i) * 1000 + version, SIZE));
                expected[i] = version;
            }
        }
        return null;
    }

    private static Void read(SegmentShardStore store, int seed, AtomicBoolean running, AtomicLong reads)
            throws IOException {
        SplittableRandom random = new SplittableRandom(100 + seed);
        while (running.get()) {
            int n = random.nextInt(STABLE);
            assertEquals(content(n, SIZE), store.get(id(n), 0, SIZE), "stable shard " + n);
            try {
                // verified against its checksums; which version it is depends on the writer
                assertEquals(SIZE, store.get(id(mutable(n)), 0, SIZE).remaining());
            } catch (MooseException e) {
                assertEquals(ErrorCode.SHARD_NOT_FOUND, e.code(), e.toString());
            }
            reads.addAndGet(2);
        }
        return null;
    }

    private static void assertState(SegmentShardStore store, long[] expected) throws IOException {
        for (int n = 0; n < STABLE; n++) {
            assertEquals(content(n, SIZE), store.get(id(n), 0, SIZE), "stable shard " + n);
        }
        int present = STABLE;
        for (int i = 0; i < MUTABLE; i++) {
            if (expected[i] < 0) {
                assertEquals(-1, store.size(id(mutable(i))), "deleted shard " + mutable(i) + " came back");
            } else {
                assertEquals(content(mutable(i) * 1000 + expected[i], SIZE), store.get(id(mutable(i)), 0, SIZE),
                        "shard " + mutable(i) + " must hold its last version " + expected[i]);
                present++;
            }
        }
        assertEquals(present, store.usage().shards());
    }
}
