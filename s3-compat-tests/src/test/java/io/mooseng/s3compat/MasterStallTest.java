package io.mooseng.s3compat;

import io.mooseng.core.model.ObjectKey;
import io.mooseng.core.model.ObjectManifest;
import io.mooseng.core.model.ObjectProperties;
import io.mooseng.core.model.StorageClass;
import io.mooseng.core.status.MemberStatus;
import io.mooseng.metadata.client.RaftMetadataService;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Three master processes only, snapshots every 500 entries, two writers committing 4 KiB
 * inline objects all the time: a follower frozen with SIGSTOP until the leader has taken two
 * snapshots past its position and every running master has purged the log it needs (whole
 * 8 MiB segments, checked on disk) must install a snapshot and catch up after SIGCONT, every
 * time, while a master joins (round 1) and another leaves (round 2) during the pause.
 */
@Timeout(value = 300, unit = TimeUnit.SECONDS)
class MasterStallTest {
    private static final int SNAPSHOT_EVERY = 500;
    private static final String BUCKET = "stall";

    @Test
    void aFollowerPausedPastTwoPurgePointsCatchesUpEveryTime() throws Exception {
        Path dir = Files.createTempDirectory("mooseng-stall");
        Map<String, String> masterOnly = Map.of("MOOSENG_CHUNKSERVERS", "0", "MOOSENG_GATEWAYS", "0", "MOOSENG_METALOGGER", "0",
                "MOOSENG_SNAPSHOT_EVERY", Integer.toString(SNAPSHOT_EVERY), "MOOSENG_LOG_LEVEL", "INFO", "MOOSENG_LIB_LOG_LEVEL", "INFO");
        try (ProcessCluster cluster = ProcessCluster.up(dir, masterOnly);
             RaftMetadataService meta = RaftMetadataService.connect(cluster.masters())) {
            meta.createBucket(BUCKET, StorageClass.replicated(1), 1).get(30, TimeUnit.SECONDS);
            try (Writers writers = new Writers(meta, 2)) {
                long lastSnapshot = -1;
                for (int round = 0; round < 4; round++) {
                    String paused = followers(cluster).get(0);
                    long from = leaderCommit(cluster);
                    cluster.signal(paused, "STOP");
                    try {
                        if (round == 1) {
                            // a master joins while another is frozen, and catches up from a snapshot
                            cluster.run("add-master");
                            cluster.awaitCaughtUp("m4");
                        } else if (round == 2) {
                            // and one leaves
                            cluster.run("remove-master", followers(cluster).getFirst());
                        }
                        // whichever member leads when it wakes has dropped the entries it needs next
                        cluster.awaitStatus("two snapshots past " + from + " and every running master's log purged past it, " + paused
                                        + " paused", Duration.ofSeconds(120),
                                s -> s.stream().anyMatch(m -> m.role().equals("LEADER") && m.snapshotIndex() >= from + 2L * SNAPSHOT_EVERY)
                                        && s.stream().filter(m -> !m.role().equals("DOWN")).allMatch(m -> cluster.purgedPast(m.id(), from)));
                    } finally {
                        cluster.signal(paused, "CONT");
                    }
                    long resumed = System.nanoTime();
                    MemberStatus back;
                    try {
                        back = cluster.awaitCaughtUp(paused);
                    } catch (AssertionError e) {
                        throw new AssertionError(e.getMessage() + " || snapshot sends logged by the members: " + snapshotLines(cluster), e);
                    }
                    System.out.printf("MasterStallTest: round %d, %s paused at commit %d, SIGCONT -> caught up %d ms (snapshot %d)%n",
                            round, paused, from, (System.nanoTime() - resumed) / 1_000_000, back.snapshotIndex());
                    assertTrue(back.snapshotIndex() > from, "round " + round + ": " + paused + " installed a snapshot past where it stopped: " + back);
                    assertTrue(back.snapshotIndex() > lastSnapshot || !paused.equals(back.id()), "newer snapshot each round");
                    lastSnapshot = back.snapshotIndex();
                }
                writers.stop();
                assertEquals(List.of(), writers.failures, "writers saw errors");
                for (String key : writers.sample(300)) {
                    assertArrayEquals(Writers.payload(key), meta.getObject(BUCKET, ObjectKey.parse(key)).get(10, TimeUnit.SECONDS).manifest().inlineData(),
                            key);
                }
            }
        } finally {
            TempDirs.delete(dir);
        }
    }

    /** The last lines each member logged about snapshots (the leader logs each one it sends and why one failed). */
    private static String snapshotLines(ProcessCluster cluster) {
        StringBuilder out = new StringBuilder();
        for (String id : List.of("m1", "m2", "m3", "m4")) {
            try {
                List<String> lines = cluster.logTail(id, 2_000).lines().filter(l -> l.toLowerCase(java.util.Locale.ROOT).contains("snapshot")).toList();
                out.append(id).append(": ").append(String.join(" | ", lines.subList(Math.max(0, lines.size() - 6), lines.size()))).append(" || ");
            } catch (java.io.IOException | RuntimeException e) {
                out.append(id).append(": no log (").append(e).append(") || ");
            }
        }
        return out.toString();
    }

    private static List<String> followers(ProcessCluster cluster) throws Exception {
        return cluster.awaitStatus("a leader and followers", Duration.ofSeconds(30),
                        s -> s.stream().anyMatch(m -> m.role().equals("LEADER")) && s.stream().anyMatch(m -> m.role().equals("FOLLOWER")))
                .stream().filter(m -> m.role().equals("FOLLOWER")).map(MemberStatus::id).sorted().toList();
    }

    private static long leaderCommit(ProcessCluster cluster) throws Exception {
        return cluster.awaitStatus("a leader", Duration.ofSeconds(30), s -> s.stream().anyMatch(m -> m.role().equals("LEADER")))
                .stream().filter(m -> m.role().equals("LEADER")).findFirst().orElseThrow().commitIndex();
    }

    /** Writers of small inline objects through the metadata client; each remembers what was acknowledged. */
    private static final class Writers implements AutoCloseable {
        private final RaftMetadataService meta;
        private final List<Thread> threads = new ArrayList<>();
        private final List<String> acked = Collections.synchronizedList(new ArrayList<>());
        private final List<String> failures = Collections.synchronizedList(new ArrayList<>());
        private final AtomicBoolean running = new AtomicBoolean(true);

        Writers(RaftMetadataService meta, int n) {
            this.meta = meta;
            for (int w = 0; w < n; w++) {
                int id = w;
                threads.add(Thread.ofPlatform().name("stall-writer-" + w).start(() -> write(id)));
            }
        }

        private void write(int id) {
            // bounded: 200,000 writes per writer is far beyond what the rounds need
            for (int i = 0; i < 200_000 && running.get(); i++) {
                String key = "w" + id + "/" + i;
                byte[] data = payload(key);
                ObjectManifest m = new ObjectManifest(data.length, "e" + i, i, ObjectProperties.EMPTY, StorageClass.replicated(1),
                        List.of(), data);
                try {
                    meta.putObject(BUCKET, ObjectKey.parse(key), m).get(30, TimeUnit.SECONDS);
                    acked.add(key);
                } catch (Exception e) {
                    failures.add(key + ": " + e);
                }
            }
        }

        List<String> sample(int n) {
            synchronized (acked) {
                List<String> keys = new ArrayList<>(acked);
                Collections.shuffle(keys);
                return keys.subList(0, Math.min(n, keys.size()));
            }
        }

        /** 4 KiB that only this key has: a segment file holds ~1,900 such entries. */
        static byte[] payload(String key) {
            byte[] data = new byte[4096];
            new Random(key.hashCode()).nextBytes(data);
            byte[] name = key.getBytes(StandardCharsets.UTF_8);
            System.arraycopy(name, 0, data, 0, name.length);
            return data;
        }

        void stop() throws InterruptedException {
            running.set(false);
            for (Thread t : threads) {
                t.join();
            }
        }

        @Override
        public void close() throws InterruptedException {
            stop();
        }
    }
}
