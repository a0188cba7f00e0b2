package io.mooseng.chunkserver.store;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * SIGKILL a process that writes, deletes and compacts at once: every acknowledged put that
 * was not deleted must survive, and every acknowledged delete must stay deleted.
 */
class CompactionKillDashNineTest {
    private static final int ACKS_BEFORE_KILL = 400;
    private static final int ROUNDS = 3;
    /** About a dozen shards a segment, so compaction has plenty to do. */
    private static final long SEGMENT_BYTES = 1 << 20;

    @TempDir
    Path dir;

    @Test
    @Timeout(90)
    void acknowledgedWritesAndDeletesSurviveSigkillDuringCompaction() throws Exception {
        Set<Long> acked = new HashSet<>();
        Set<Long> deleted = new HashSet<>();
        for (int round = 0; round < ROUNDS; round++) {
            runAndKill(round * 1_000_000L, acked, deleted);
        }
        try (SegmentShardStore store = SegmentShardStore.open(dir, StoreOptions.defaults().withSegmentBytes(SEGMENT_BYTES))) {
            for (long n : acked) {
                long size = store.size(TestShards.id(n));
                if (deleted.contains(n)) {
                    assertEquals(-1, size, "deleted shard " + n + " came back");
                } else if (n % 2 == 1 || size >= 0) {
                    // an even shard whose delete was not acknowledged may be either way
                    int expected = CrashWriter.sizeOf(n);
                    assertEquals(TestShards.content(n, expected), store.get(TestShards.id(n), 0, Integer.MAX_VALUE),
                            "shard " + n);
                }
            }
            List<SegmentStats> segments = store.segments();
            assertTrue(segments.get(0).id() > 1 || segments.size() < segments.get(segments.size() - 1).id(),
                    "no segment was ever compacted: " + segments);
        }
    }

    private void runAndKill(long firstId, Set<Long> acked, Set<Long> deleted) throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process child = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"),
                ChurnWriter.class.getName(), dir.toString(), Long.toString(SEGMENT_BYTES), Long.toString(firstId))
                .redirectError(ProcessBuilder.Redirect.INHERIT)
                .start();
        int acks = 0;
        try (BufferedReader out = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.US_ASCII))) {
            String line;
            while (acks < ACKS_BEFORE_KILL && (line = out.readLine()) != null) {
                if (line.startsWith("ACK ")) {
                    acked.add(Long.parseLong(line.substring(4)));
                    acks++;
                } else if (line.startsWith("DEL ")) {
                    deleted.add(Long.parseLong(line.substring(4)));
                }
            }
            child.destroyForcibly();
        } finally {
            child.destroyForcibly();
            assertTrue(child.waitFor(10, TimeUnit.SECONDS));
        }
        assertTrue(acks >= ACKS_BEFORE_KILL, "child acknowledged only " + acks + " shards");
        assertEquals(137, child.exitValue(), "killed by SIGKILL");
    }
}
