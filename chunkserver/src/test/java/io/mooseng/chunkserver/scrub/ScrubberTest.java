package io.mooseng.chunkserver.scrub;

import io.mooseng.chunkserver.store.SegmentShardStore;
import io.mooseng.core.model.ShardId;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.HashSet;
import java.util.Set;
import java.util.function.LongSupplier;

import static io.mooseng.chunkserver.store.TestShards.content;
import static io.mooseng.chunkserver.store.TestShards.id;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The scrubber against a real store on disk, with bits flipped under it. */
class ScrubberTest {
    private static final int SIZE = 64 * 1024;
    private static final int SHARDS = 48;

    @TempDir
    Path dir;

    private SegmentShardStore filledStore() throws IOException {
        SegmentShardStore store = SegmentShardStore.open(dir);
        for (int n = 0; n < SHARDS; n++) {
            store.put(id(n), content(n, SIZE));
        }
        return store;
    }

    @Test
    @Timeout(30)
    void findsAFlippedBitWithinAPassAndQuarantinesTheShard() throws Exception {
        try (SegmentShardStore store = filledStore();
             Scrubber scrubber = new Scrubber(store, 64L << 20, Duration.ofMillis(20))) {
            scrubber.start();
            awaitAtLeast(scrubber::completedPasses, 1);
            assertEquals(0, scrubber.corruptShardsFound());

            flipBitOnDisk(content(17, SIZE), 40_000);
            long passes = scrubber.completedPasses();
            awaitAtLeast(scrubber::completedPasses, passes + 2);

            assertEquals(1, scrubber.corruptShardsFound());
            assertEquals(1, store.quarantinedShards());
            assertEquals(-1, store.size(id(17)));
            Set<ShardId> listed = new HashSet<>();
            store.forEach(listed::add);
            assertFalse(listed.contains(id(17)), "a quarantined shard is not reported");
            assertEquals(SHARDS - 1, listed.size());
            assertEquals(content(18, SIZE), store.get(id(18), 0, SIZE));
            assertTrue(scrubber.scrubbedShards() >= 2L * SHARDS, "shards " + scrubber.scrubbedShards());
            assertTrue(scrubber.scrubbedBytes() >= 2L * SHARDS * SIZE, "bytes " + scrubber.scrubbedBytes());
        }
        try (SegmentShardStore store = SegmentShardStore.open(dir)) {
            assertEquals(-1, store.size(id(17)), "quarantine survives a restart");
        }
    }

    @Test
    @Timeout(30)
    void aPassKeepsToTheRate() throws Exception {
        long bytes = (long) SHARDS * SIZE;
        long rate = 2L << 20;
        try (SegmentShardStore store = filledStore();
             Scrubber scrubber = new Scrubber(store, rate, Duration.ofHours(1))) {
            long started = System.nanoTime();
            scrubber.start();
            awaitAtLeast(scrubber::completedPasses, 1);
            double seconds = (System.nanoTime() - started) / 1e9;
            double floor = (double) bytes / rate;
            assertTrue(seconds >= 0.8 * floor, "a pass of " + bytes + " bytes at " + rate + " B/s took " + seconds + " s");
            assertTrue(seconds < floor + 3, "far slower than asked: " + seconds + " s");
            assertEquals(bytes, scrubber.scrubbedBytes());
            assertEquals(SHARDS, scrubber.scrubbedShards());
        }
    }

    @Test
    @Timeout(10)
    void closeStopsAPacedPassPromptly() throws Exception {
        try (SegmentShardStore store = filledStore()) {
            Scrubber scrubber = new Scrubber(store, 1024, Duration.ofMillis(1));
            scrubber.start();
            Thread.sleep(100);
            long started = System.nanoTime();
            scrubber.close();
            assertTrue(System.nanoTime() - started < 1_000_000_000L, "close waited for the pacing");
            assertEquals(0, scrubber.completedPasses());
            assertFalse(Thread.getAllStackTraces().keySet().stream()
                    .anyMatch(t -> t.getName().startsWith("mooseng-scrubber-") && t.isAlive()));
        }
    }

    @Test
    void aRateOfZeroIsOff() throws Exception {
        try (SegmentShardStore store = filledStore(); Scrubber scrubber = new Scrubber(store, 0, Duration.ZERO)) {
            scrubber.start();
            Thread.sleep(100);
            assertEquals(0, scrubber.scrubbedShards());
            assertFalse(Thread.getAllStackTraces().keySet().stream()
                    .anyMatch(t -> t.getName().startsWith("mooseng-scrubber-")));
        }
    }

    private static void awaitAtLeast(LongSupplier counter, long value) throws InterruptedException {
        while (counter.getAsLong() < value) {
            Thread.sleep(10);
        }
    }

    /** Flips one bit at {@code offset} of the stored copy of {@code shard}, found by its bytes. */
    private void flipBitOnDisk(ByteBuffer shard, int offset) throws IOException {
        byte[] needle = new byte[64];
        shard.duplicate().get(needle);
        try (var files = Files.list(dir)) {
            for (Path file : files.filter(p -> p.getFileName().toString().startsWith("seg-")).toList()) {
                byte[] bytes = Files.readAllBytes(file);
                int at = indexOf(bytes, needle);
                if (at >= 0) {
                    try (FileChannel ch = FileChannel.open(file, StandardOpenOption.WRITE)) {
                        ch.write(ByteBuffer.wrap(new byte[]{(byte) (bytes[at + offset] ^ 0x08)}), at + offset);
                    }
                    return;
                }
            }
        }
        throw new AssertionError("shard bytes not found on disk");
    }

    private static int indexOf(byte[] haystack, byte[] needle) {
        outer:
        for (int i = 0; i + needle.length <= haystack.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (haystack[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }
}
