package io.mooseng.chunkserver.store;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** SIGKILL a process in the middle of writing: every put it acknowledged must survive. */
class KillDashNineTest {
    private static final Logger log = LoggerFactory.getLogger(KillDashNineTest.class);
    private static final int ACKS_BEFORE_KILL = 300;
    private static final int ROUNDS = 3;
    /** Small segments, so the kill can also land in or near a roll. */
    private static final long SEGMENT_BYTES = 4 << 20;

    @TempDir
    Path dir;

    @Test
    @Timeout(60)
    void everyAcknowledgedShardSurvivesSigkill() throws Exception {
        Set<Long> acked = new HashSet<>();
        for (int round = 0; round < ROUNDS; round++) {
            // each round reopens what the previous one left behind and writes new ids
            acked.addAll(runAndKill(round * 1_000_000L));
        }
        long onDisk = segmentFileBytes();
        try (SegmentShardStore store = SegmentShardStore.open(dir, StoreOptions.defaults().withSegmentBytes(SEGMENT_BYTES))) {
            log.info("last kill left {} bytes of torn tail", onDisk - store.usage().diskBytes());
            for (long n : acked) {
                int size = CrashWriter.sizeOf(n);
                assertEquals(TestShards.content(n, size), store.get(TestShards.id(n), 0, Integer.MAX_VALUE), "shard " + n);
            }
            store.put(TestShards.id(-1), TestShards.content(-1, 10));
            log.info("{} acknowledged shards intact after SIGKILL, {} present, {} segments", acked.size(),
                    store.usage().shards(), store.segments().size());
        }
    }

    /** Starts a writer on the store, kills it after some acknowledgements; @return the acknowledged ids */
    private Set<Long> runAndKill(long firstId) throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process child = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"),
                CrashWriter.class.getName(), dir.toString(), Long.toString(SEGMENT_BYTES), Long.toString(firstId))
                .redirectError(ProcessBuilder.Redirect.INHERIT)
                .start();
        Set<Long> acked = new HashSet<>();
        try (BufferedReader out = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.US_ASCII))) {
            String line;
            // killing closes our end of the pipe: acknowledgements still in it are not counted
            while (acked.size() < ACKS_BEFORE_KILL && (line = out.readLine()) != null) {
                if (line.startsWith("ACK ")) {
                    acked.add(Long.parseLong(line.substring(4)));
                }
            }
            child.destroyForcibly();
        } finally {
            child.destroyForcibly();
            assertTrue(child.waitFor(10, TimeUnit.SECONDS));
        }
        assertTrue(acked.size() >= ACKS_BEFORE_KILL, "child acknowledged only " + acked.size() + " shards");
        assertEquals(137, child.exitValue(), "killed by SIGKILL");
        log.info("writer of ids from {} killed after {} acknowledgements", firstId, acked.size());
        return acked;
    }

    private long segmentFileBytes() throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            long total = 0;
            for (Path p : files.filter(p -> Segment.idOf(p.getFileName().toString()) >= 0).toList()) {
                total += Files.size(p);
            }
            return total;
        }
    }
}
