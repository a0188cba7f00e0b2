package io.mooseng.chunkserver.store;

import io.mooseng.core.chunk.ShardStore;
import io.mooseng.core.error.ErrorCode;
import io.mooseng.core.error.MooseException;
import io.mooseng.core.model.ShardId;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;

import static io.mooseng.chunkserver.store.TestShards.content;
import static io.mooseng.chunkserver.store.TestShards.id;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SegmentShardStoreTest {
    private static final Logger log = LoggerFactory.getLogger(SegmentShardStoreTest.class);

    @TempDir
    Path dir;

    @Test
    void roundTripsShardsOfEverySize() throws IOException {
        int[] sizes = {0, 1, 4096, 64 * 1024 + 1, 8 << 20};
        try (SegmentShardStore store = SegmentShardStore.open(dir)) {
            for (int size : sizes) {
                store.put(id(size), content(size, size));
            }
            for (int size : sizes) {
                assertEquals(content(size, size), store.get(id(size), 0, Integer.MAX_VALUE), "size " + size);
                assertEquals(size, store.size(id(size)));
            }
            ShardStore.Usage usage = store.usage();
            assertEquals(sizes.length, usage.shards());
            assertEquals((8 << 20) + 64 * 1024 + 1 + 4096 + 1, usage.liveBytes());
            assertTrue(usage.diskBytes() > usage.liveBytes());
            assertTrue(usage.capacityBytes() >= usage.freeBytes() && usage.freeBytes() > 0);
        }
    }

    @Test
    void rangedReadsCrossPieceBoundaries() throws IOException {
        int size = 5 * 65536 - 7;
        ByteBuffer data = content(1, size);
        try (SegmentShardStore store = SegmentShardStore.open(dir)) {
            store.put(id(1), data);
            long[][] ranges = {{65535, 2}, {0, 65536}, {65536, 65536}, {100_000, 150_000}, {65535, 3 * 65536 + 2},
                    {size - 10, 1 << 20}, {size - 1, 1}, {0, 0}, {size, 5}, {size + 100, 5}};
            for (long[] r : ranges) {
                int from = (int) Math.min(r[0], size);
                int to = (int) Math.min(size, r[0] + r[1]);
                ByteBuffer expected = data.duplicate().position(from).limit(Math.max(from, to));
                assertEquals(expected, store.get(id(1), r[0], (int) r[1]), r[0] + "+" + r[1]);
            }
        }
    }

    @Test
    void unknownShardIsNotFound() throws IOException {
        try (SegmentShardStore store = SegmentShardStore.open(dir)) {
            MooseException e = assertThrows(MooseException.class, () -> store.get(id(404), 0, 10));
            assertEquals(ErrorCode.SHARD_NOT_FOUND, e.code());
            assertEquals(-1, store.size(id(404)));
            assertFalse(store.delete(id(404)));
        }
    }

    @Test
    void reopenKeepsLatestVersionsAndDeletes() throws IOException {
        try (SegmentShardStore store = SegmentShardStore.open(dir)) {
            store.put(id(1), content(1, 1000));
            store.put(id(2), content(2, 2000));
            store.put(id(3), content(3, 3000));
            store.put(id(2), content(22, 2200));
            assertTrue(store.delete(id(3)));
            assertFalse(store.delete(id(3)));
        }
        try (SegmentShardStore store = SegmentShardStore.open(dir)) {
            assertEquals(content(1, 1000), store.get(id(1), 0, Integer.MAX_VALUE));
            assertEquals(content(22, 2200), store.get(id(2), 0, Integer.MAX_VALUE));
            assertThrows(MooseException.class, () -> store.get(id(3), 0, 1));
            Set<ShardId> ids = new HashSet<>();
            store.forEach(ids::add);
            assertEquals(Set.of(id(1), id(2)), ids);
            assertEquals(3200, store.usage().liveBytes());
        }
    }

    @Test
    void tracksLiveAndDeadBytesPerSegment() throws IOException {
        try (SegmentShardStore store = SegmentShardStore.open(dir)) {
            store.put(id(1), content(1, 1000));
            store.put(id(2), content(2, 70_000));
            store.put(id(1), content(11, 500));
            store.delete(id(2));
            SegmentStats only = store.segments().get(0);
            long live = RecordHeader.recordBytes(500);
            long all = RecordHeader.recordBytes(1000) + RecordHeader.recordBytes(70_000) + live + RecordHeader.recordBytes(0);
            assertEquals(live, only.liveBytes());
            assertEquals(all, only.sizeBytes());
            assertEquals(all - live, only.deadBytes());
        }
        try (SegmentShardStore store = SegmentShardStore.open(dir)) {
            assertEquals(RecordHeader.recordBytes(500), store.segments().get(0).liveBytes(), "rebuilt at open");
        }
    }

    @Test
    void rollsSegmentsAtTheConfiguredSize() throws IOException {
        StoreOptions small = StoreOptions.defaults().withSegmentBytes(100_000);
        try (SegmentShardStore store = SegmentShardStore.open(dir, small)) {
            for (int i = 0; i < 20; i++) {
                store.put(id(i), content(i, 30_000));
            }
            store.put(id(99), content(99, 300_000));
            assertTrue(store.segments().size() >= 7, "segments: " + store.segments());
            for (SegmentStats s : store.segments()) {
                assertTrue(s.sizeBytes() <= 100_000 || s.liveBytes() == s.sizeBytes(), s.toString());
            }
        }
        try (SegmentShardStore store = SegmentShardStore.open(dir, small)) {
            for (int i = 0; i < 20; i++) {
                assertEquals(content(i, 30_000), store.get(id(i), 0, Integer.MAX_VALUE));
            }
            assertEquals(content(99, 300_000), store.get(id(99), 0, Integer.MAX_VALUE));
        }
    }

    @Test
    void concurrentPutsShareFsyncs() throws Exception {
        int threads = 16;
        int perThread = 40;
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try (SegmentShardStore store = SegmentShardStore.open(dir)) {
            long before = store.fsyncCount();
            List<Future<?>> done = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                int base = t * perThread;
                done.add(pool.submit(() -> {
                    for (int i = base; i < base + perThread; i++) {
                        store.put(id(i), content(i, 4096));
                    }
                    return null;
                }));
            }
            for (Future<?> f : done) {
                f.get();
            }
            long puts = (long) threads * perThread;
            long fsyncs = store.fsyncCount() - before;
            log.info("{} concurrent puts from {} threads took {} fsyncs ({} puts per fsync)",
                    puts, threads, fsyncs, String.format("%.1f", (double) puts / fsyncs));
            assertTrue(fsyncs < puts / 2, "fsyncs " + fsyncs + " for " + puts + " puts");
            for (int i = 0; i < puts; i++) {
                assertEquals(content(i, 4096), store.get(id(i), 0, 4096));
            }
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void rejectsDataThatDoesNotMatchTheSendersChecksum() throws IOException {
        try (SegmentShardStore store = SegmentShardStore.open(dir)) {
            ByteBuffer data = content(5, 1000);
            int crc = PieceChecksums.crc32c(data);
            MooseException e = assertThrows(MooseException.class, () -> store.put(id(5), data, crc ^ 1));
            assertEquals(ErrorCode.SHARD_CORRUPT, e.code());
            assertEquals(-1, store.size(id(5)));
            store.put(id(5), data, crc);
            assertEquals(data, store.get(id(5), 0, 1000));
        }
    }

    @Test
    void aDirectoryOpensOnlyOnce() throws IOException {
        try (SegmentShardStore store = SegmentShardStore.open(dir)) {
            assertThrows(IOException.class, () -> SegmentShardStore.open(dir));
        }
    }

    @Test
    void opensAHundredThousandShardsQuickly() throws IOException {
        int shards = 100_000;
        writeSegmentDirectly(dir.resolve(Segment.fileName(1)), shards, 100);
        long started = System.nanoTime();
        try (SegmentShardStore store = SegmentShardStore.open(dir)) {
            long millis = (System.nanoTime() - started) / 1_000_000;
            log.info("opened {} shards (unclean, payloads verified) in {} ms", shards, millis);
            assertEquals(shards, store.usage().shards());
            assertEquals(content(77_777, 100), store.get(id(77_777), 0, 100));
            assertTrue(millis < 3000, "open took " + millis + " ms");
        }
        started = System.nanoTime();
        try (SegmentShardStore store = SegmentShardStore.open(dir)) {
            long millis = (System.nanoTime() - started) / 1_000_000;
            log.info("reopened {} shards (clean) in {} ms", shards, millis);
            assertEquals(shards, store.usage().shards());
        }
    }

    /** Writes put records the way the store does, without an fsync per shard. */
    private static void writeSegmentDirectly(Path file, int shards, int size) throws IOException {
        ByteBuffer out = ByteBuffer.allocate((int) (shards * RecordHeader.recordBytes(size)));
        for (int i = 0; i < shards; i++) {
            ByteBuffer payload = content(i, size);
            PieceChecksums sums = PieceChecksums.of(payload);
            new RecordHeader(RecordType.PUT, id(i), size, sums.whole()).encode(out);
            for (int piece : sums.pieces()) {
                out.putInt(piece);
            }
            out.put(payload);
        }
        Files.write(file, out.array());
        try (Stream<Path> files = Files.list(file.getParent())) {
            assertEquals(1, files.count());
        }
    }
}
