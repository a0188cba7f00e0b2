package io.mooseng.s3compat;

import io.mooseng.core.status.MemberStatus;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.Timeout;
import software.amazon.awssdk.core.ResponseBytes;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;
import software.amazon.awssdk.services.s3.model.S3Object;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Metadata high availability with every component a separate process: 3 masters, 3
 * chunkservers (EC 2+1: the large PUTs still go through chunkservers; fewer idle JVMs let a
 * restarted master start sooner on a loaded machine), 2 gateways and a metalogger started by
 * scripts/cluster.sh. Writers PUT through both gateways while masters are killed, paused,
 * restarted, added, removed and finally all lost and restored from the metalogger; no
 * acknowledged object may be lost and no S3 caller may see an error.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
@Timeout(value = 300, unit = TimeUnit.SECONDS)
class MetadataHaTest {
    private static final String BUCKET = "ha-test";
    private static final int SNAPSHOT_EVERY = 500;
    /**
     * Log entries a stopped follower misses, so that the log behind it is purged: the leader keeps
     * one snapshot interval of log behind its latest snapshot and purges whole 8 MiB segments,
     * which hold ~1,500 entries of PutLoad's small (4 KiB, inline) objects.
     */
    private static final int WHILE_DOWN_ENTRIES = 8 * SNAPSHOT_EVERY;
    /** Leader kills in a row; each restarts a master JVM and waits for it to catch up (20-80 s on 2 loaded cores). */
    private static final int KILLS = 3;
    private static final Pattern FAILOVER_EVENTS = Pattern.compile("changes role|exited|is ready|elected|Failed\\*| WARN | ERROR ");

    private Path dir;
    private ProcessCluster cluster;
    private S3Keys keys;
    private List<URI> endpoints;
    private final Map<String, PutLoad.Stored> acked = new HashMap<>();

    @BeforeAll
    void startCluster() throws Exception {
        dir = Files.createTempDirectory("mooseng-ha");
        // small snapshot interval: a follower that misses WHILE_DOWN_WRITES finds the log purged;
        // MooseNG and Ratis at INFO log leader exits, elections and role changes: what explains a slow failover
        cluster = ProcessCluster.up(dir, Map.of("MOOSENG_CHUNKSERVERS", "3", "MOOSENG_STORAGE_CLASS", "EC_2_1",
                "MOOSENG_SNAPSHOT_EVERY", Integer.toString(SNAPSHOT_EVERY),
                "MOOSENG_LOG_LEVEL", "INFO", "MOOSENG_LIB_LOG_LEVEL", "INFO"));
        keys = cluster.keys();
        endpoints = cluster.endpoints();
        try (S3Client s3 = S3Clients.sync(endpoints.get(0), keys)) {
            s3.createBucket(b -> b.bucket(BUCKET));
        }
    }

    @AfterAll
    void stopCluster() throws Exception {
        if (cluster != null) {
            cluster.close();
        }
        TempDirs.delete(dir);
    }

    @Test
    @Order(1)
    void killingTheLeaderRepeatedlyLosesNoAcknowledgedPut() throws Exception {
        List<Long> failovers = new ArrayList<>();
        List<Long> catchUps = new ArrayList<>();
        try (PutLoad load = new PutLoad(endpoints, keys, BUCKET, "kill/", 4, 0)) {
            load.awaitAckAfter(System.nanoTime(), 30_000);
            for (int k = 0; k < KILLS; k++) {
                String leader = cluster.awaitLeader();
                Instant requested = Instant.now();
                cluster.signal(leader, "KILL"); // returns once kill(1) has
                long killed = System.nanoTime();
                Instant delivered = Instant.now();
                long ack = load.awaitAckAfter(killed, 10_000);
                failovers.add((ack - killed) / 1_000_000);
                if (ack - killed > 1_000_000_000L) {
                    explainSlowFailover(leader, requested, delivered, (ack - killed) / 1_000_000);
                }
                long restarted = System.nanoTime();
                cluster.start(leader);
                cluster.awaitCaughtUp(leader);
                catchUps.add((System.nanoTime() - restarted) / 1_000_000);
            }
            load.close();
            System.out.printf("MetadataHaTest: kill -9 leader -> next acknowledged PUT: %s ms; restart -> caught up: %s ms; slowest PUT %d ms; %d PUTs%n",
                    failovers, catchUps, load.maxLatencyMillis(), load.acked().size());
            assertEquals(List.of(), load.failures(), "S3 callers saw errors");
            record(load);
        }
        verifyAll(acked);
    }

    @Test
    @Order(2)
    void aPausedLeaderIsReplacedAndStepsDownWhenItResumes() throws Exception {
        try (PutLoad load = new PutLoad(endpoints, keys, BUCKET, "pause/", 4, 0)) {
            load.awaitAckAfter(System.nanoTime(), 30_000);
            String leader = cluster.awaitLeader();
            long oldTerm = termOf(cluster.status(), leader);
            cluster.signal(leader, "STOP");
            long paused = System.nanoTime();
            try {
                // the others elect a new leader and writes go on while the old one is frozen
                long ack = load.awaitAckAfter(paused, 10_000);
                System.out.printf("MetadataHaTest: SIGSTOP leader -> next acknowledged PUT: %d ms%n", (ack - paused) / 1_000_000);
                List<MemberStatus> during = cluster.awaitStatus("a new leader", Duration.ofSeconds(10),
                        s -> s.stream().anyMatch(m -> m.role().equals("LEADER") && !m.id().equals(leader) && m.term() > oldTerm));
                assertEquals(1, during.stream().filter(m -> m.role().equals("LEADER")).count());
                Thread.sleep(Math.max(0, 5_000 - (System.nanoTime() - paused) / 1_000_000));
            } finally {
                cluster.signal(leader, "CONT");
            }
            // resumed, it learns of the higher term and follows; there is never a second leader
            cluster.awaitStatus(leader + " follows", Duration.ofSeconds(30),
                    s -> s.stream().anyMatch(m -> m.id().equals(leader) && m.role().equals("FOLLOWER")));
            assertEquals("FOLLOWER", cluster.awaitCaughtUp(leader).role());
            List<MemberStatus> after = cluster.status();
            assertEquals(1, after.stream().filter(m -> m.role().equals("LEADER")).count(), after.toString());
            load.close();
            assertEquals(List.of(), load.failures(), "S3 callers saw errors");
            record(load);
        }
        verifyAll(acked);
    }

    @Test
    @Order(3)
    void aFollowerRestartedAfterItsLogWasPurgedCatchesUpFromASnapshot() throws Exception {
        String leader = cluster.awaitLeader();
        MemberStatus follower = cluster.status().stream().filter(m -> m.role().equals("FOLLOWER")).findFirst().orElseThrow();
        cluster.signal(follower.id(), "TERM");
        cluster.awaitStatus(follower.id() + " down", Duration.ofSeconds(20),
                s -> s.stream().anyMatch(m -> m.id().equals(follower.id()) && m.role().equals("DOWN")));
        try (PutLoad load = new PutLoad(endpoints, keys, BUCKET, "while-down/", 8, 0)) {
            // and every running master has purged the log the follower needs (segment files on disk)
            cluster.awaitStatus(WHILE_DOWN_ENTRIES + " entries past " + follower.id() + " and the log purged past it", Duration.ofSeconds(120),
                    s -> s.stream().anyMatch(m -> m.role().equals("LEADER") && m.commitIndex() >= follower.appliedIndex() + WHILE_DOWN_ENTRIES)
                            && s.stream().filter(m -> m.role().equals("LEADER") || m.role().equals("FOLLOWER"))
                            .allMatch(m -> cluster.purgedPast(m.id(), follower.appliedIndex())));
            load.close();
            assertEquals(List.of(), load.failures(), "S3 callers saw errors");
            record(load);
        }
        cluster.start(follower.id());
        MemberStatus back = cluster.awaitCaughtUp(follower.id());
        assertTrue(back.snapshotIndex() > follower.appliedIndex(),
                "the follower restarted from a newer snapshot than its own state: " + back + " was " + follower);
        assertEquals(leader, cluster.awaitLeader(), "a catching-up follower must not disturb the leader");
        verifyAll(sample(acked, 300));
    }

    @Test
    @Order(4)
    void everyMasterLostThenRestoredFromTheMetalogger() throws Exception {
        cluster.awaitCaughtUp("ml1");
        cluster.run("restore");
        cluster.awaitLeader();
        try (S3Client s3 = S3Clients.sync(endpoints.get(1), keys)) {
            Set<String> listed = new HashSet<>();
            s3.listObjectsV2Paginator(b -> b.bucket(BUCKET)).contents().stream().map(S3Object::key).forEach(listed::add);
            assertEquals(acked.keySet(), listed, "the restored namespace lists exactly the acknowledged objects");
        }
        verifyAll(sample(acked, 300));
        try (PutLoad load = new PutLoad(endpoints, keys, BUCKET, "restored/", 2, 20)) {
            load.awaitDone();
            assertEquals(List.of(), load.failures());
            record(load);
        }
    }

    @Test
    @Order(5)
    void aMasterIsAddedAndAnotherRemovedWithoutDowntime() throws Exception {
        try (PutLoad load = new PutLoad(endpoints, keys, BUCKET, "membership/", 2, 0)) {
            cluster.run("add-master");
            MemberStatus added = cluster.awaitCaughtUp("m4");
            assertEquals("FOLLOWER", added.role());
            String leaving = cluster.status().stream().filter(m -> m.role().equals("FOLLOWER") && !m.id().equals("m4"))
                    .findFirst().orElseThrow().id();
            cluster.run("remove-master", leaving);
            List<MemberStatus> after = cluster.awaitStatus("three voters without " + leaving, Duration.ofSeconds(30),
                    s -> s.stream().filter(m -> !m.role().equals("LISTENER")).count() == 3
                            && s.stream().noneMatch(m -> m.id().equals(leaving)));
            assertEquals(1, after.stream().filter(m -> m.role().equals("LEADER")).count());
            long before = load.acked().size();
            load.awaitAckAfter(System.nanoTime(), 10_000);
            load.close();
            assertTrue(load.acked().size() > before);
            assertEquals(List.of(), load.failures(), "S3 callers saw errors");
            record(load);
        }
        verifyAll(sample(acked, 300));
    }

    /**
     * Prints what the other processes logged about the election and their failed requests
     * after a kill that took over a second to recover from.
     */
    private void explainSlowFailover(String killed, Instant at, Instant delivered, long millis) throws IOException {
        StringBuilder out = new StringBuilder("MetadataHaTest: slow failover (" + millis + " ms from delivery) after killing " + killed
                + ": signal requested at " + at + ", delivered by " + delivered + "\n");
        for (String name : List.of("m1", "m2", "m3", "gw1", "gw2")) {
            if (!name.equals(killed)) {
                cluster.logSince(name, at, 10_000).stream().filter(l -> FAILOVER_EVENTS.matcher(l).find()).limit(25)
                        .forEach(l -> out.append("  ").append(name).append(": ").append(l).append('\n'));
            }
        }
        System.out.print(out);
    }

    private void record(PutLoad load) {
        acked.putAll(load.acked());
    }

    /** Reads every given object back through alternating gateways, byte for byte. */
    private void verifyAll(Map<String, PutLoad.Stored> objects) {
        PutLoad.verify(endpoints, keys, BUCKET, objects);
    }

    private static Map<String, PutLoad.Stored> sample(Map<String, PutLoad.Stored> all, int n) {
        Map<String, PutLoad.Stored> out = new HashMap<>();
        int step = Math.max(1, all.size() / n);
        int i = 0;
        for (Map.Entry<String, PutLoad.Stored> e : all.entrySet()) {
            if (i++ % step == 0) {
                out.put(e.getKey(), e.getValue());
            }
        }
        return out;
    }

    private static long termOf(List<MemberStatus> status, String id) {
        return status.stream().filter(m -> m.id().equals(id)).findFirst().orElseThrow().term();
    }
}
