package io.mooseng.metadata;

import io.mooseng.core.model.StorageClass;
import io.mooseng.metadata.client.GroupAdmin;
import io.mooseng.core.status.MemberStatus;
import io.mooseng.metadata.client.RaftMetadataService;
import io.mooseng.metadata.raft.MetadataServer;
import io.mooseng.metadata.raft.MetadataRestore;
import io.mooseng.metadata.raft.MetadataServerConfig;
import io.mooseng.metadata.raft.RaftMember;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static io.mooseng.metadata.Fixtures.await;
import static io.mooseng.metadata.Fixtures.join;
import static io.mooseng.metadata.Fixtures.key;
import static io.mooseng.metadata.Fixtures.manifest;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Membership of a live group: status, adding and removing masters and listeners, catch-up by snapshot. */
@Timeout(120)
class MembershipTest {
    private static final long SNAPSHOT_EVERY = 50;

    @Test
    void statusShowsOneLeaderAndFollowersWithTheirLag(@TempDir Path dir) throws Exception {
        try (TestCluster cluster = TestCluster.start(dir, 3)) {
            RaftMetadataService meta = cluster.client();
            join(meta.createBucket("b", StorageClass.EC_4_2, 1));
            GroupAdmin admin = GroupAdmin.connect(cluster.addresses());
            List<MemberStatus> status = awaitStatus(admin, s -> s.stream().allMatch(m -> m.lag() == 0));
            assertEquals(3, status.size());
            assertEquals(1, status.stream().filter(m -> m.role().equals("LEADER")).count());
            assertEquals(2, status.stream().filter(m -> m.role().equals("FOLLOWER")).count());

            cluster.stopPeer(cluster.addresses().get(0));
            MemberStatus down = admin.status().stream().filter(m -> m.address().equals(cluster.addresses().get(0)))
                    .findFirst().orElseThrow();
            assertEquals("DOWN", down.role());
        }
    }

    @Test
    void addedMasterAndListenerCatchUpBySnapshotAndARemovedMasterLeaves(@TempDir Path dir) throws Exception {
        try (TestCluster cluster = TestCluster.start(dir, 3, c -> c.withSnapshotThreshold(SNAPSHOT_EVERY).withLogSegmentBytes(4096))) {
            RaftMetadataService meta = cluster.client();
            join(meta.createBucket("b", StorageClass.EC_4_2, 1));
            writeObjects(meta, "before/", (int) SNAPSHOT_EVERY * 3);
            GroupAdmin admin = GroupAdmin.connect(cluster.addresses());
            List<RaftMember> voters = admin.membership().voters();

            // a fourth master: started to join, then added by an admin call; it must not campaign
            // meanwhile (the leader would tell a campaigning stranger to shut down)
            RaftMember fourth = RaftMember.of("127.0.0.1:" + TestCluster.freePort());
            MetadataServer added = cluster.start(MetadataServerConfig.joining(fourth, voters, cluster.storageOf(fourth.address())));
            Thread.sleep(1_000);
            admin.addVoter(fourth);
            // a metalogger: a listener that never votes
            RaftMember logger = RaftMember.of("127.0.0.1:" + TestCluster.freePort());
            MetadataServer listener = cluster.start(MetadataServerConfig.listener(logger, voters, cluster.storageOf(logger.address())));
            admin.addListener(logger);
            admin.addListener(logger); // idempotent

            writeObjects(meta, "after/", 10);
            long commit = cluster.leader().status().commitIndex();
            await(() -> added.status().lastAppliedIndex() >= commit && listener.status().lastAppliedIndex() >= commit);
            assertEquals("LISTENER", listener.status().role());
            assertTrue(listener.status().snapshotIndex() > 0 || added.status().snapshotIndex() > 0,
                    "the newcomers started from an installed snapshot");
            assertEquals(4, admin.membership().voters().size());
            assertEquals(List.of(logger), admin.membership().listeners());

            // remove a follower: the group of four goes back to three and keeps serving
            String leaving = admin.status().stream().filter(m -> m.role().equals("FOLLOWER")).findFirst().orElseThrow().id();
            admin.remove(leaving);
            assertEquals(3, admin.membership().voters().size());
            assertTrue(admin.membership().voters().stream().noneMatch(m -> m.id().equals(leaving)));
            writeObjects(meta, "removed/", 5);
            assertEquals("v5", join(meta.getObject("b", key("removed/4"))).etag());
            assertThrows(IllegalArgumentException.class, () -> admin.remove("no-such-member"));
        }
    }

    /** Down past several purge points, three times over: each time it installs a newer snapshot and catches up. */
    @Test
    void aFollowerDownForManyEntriesCatchesUpBySnapshotEveryTime(@TempDir Path dir) throws Exception {
        try (TestCluster cluster = TestCluster.start(dir, 3, c -> c.withSnapshotThreshold(SNAPSHOT_EVERY).withLogSegmentBytes(4096))) {
            RaftMetadataService meta = cluster.client();
            join(meta.createBucket("b", StorageClass.EC_4_2, 1));
            String follower = cluster.addresses().stream().filter(a -> !cluster.server(a).status().leader()).findFirst().orElseThrow();
            long installed = -1;
            for (int round = 0; round < 3; round++) {
                cluster.stopPeer(follower);
                writeObjects(meta, "while-down-" + round + "/", (int) SNAPSHOT_EVERY * 5);
                long start = System.nanoTime();
                MetadataServer back = cluster.startPeer(follower);
                long commit = cluster.leader().status().commitIndex();
                await(() -> back.status().lastAppliedIndex() >= commit);
                System.out.printf("MembershipTest: round %d, restart -> caught up by snapshot: %d ms%n", round, (System.nanoTime() - start) / 1_000_000);
                assertTrue(back.status().snapshotIndex() > installed + SNAPSHOT_EVERY, "round " + round + " installed a newer snapshot: " + back.status());
                installed = back.status().snapshotIndex();
            }
            assertEquals("v" + SNAPSHOT_EVERY * 5, join(meta.getObject("b", key("while-down-2/" + (SNAPSHOT_EVERY * 5 - 1)))).etag());
        }
    }

    @Test
    void aMetaloggerCopyRestoresANewGroupAfterEveryMasterIsLost(@TempDir Path dir) throws Exception {
        Path loggerDir;
        try (TestCluster cluster = TestCluster.start(dir.resolve("old"), 3, c -> c.withSnapshotThreshold(SNAPSHOT_EVERY))) {
            RaftMetadataService meta = cluster.client();
            join(meta.createBucket("b", StorageClass.EC_4_2, 1));
            GroupAdmin admin = GroupAdmin.connect(cluster.addresses());
            RaftMember logger = RaftMember.of("127.0.0.1:" + TestCluster.freePort());
            loggerDir = cluster.storageOf(logger.address());
            MetadataServer listener = cluster.start(MetadataServerConfig.listener(logger, admin.membership().voters(), loggerDir));
            admin.addListener(logger);
            writeObjects(meta, "kept/", (int) SNAPSHOT_EVERY * 2 + 7);
            long commit = cluster.leader().status().commitIndex();
            await(() -> listener.status().lastAppliedIndex() >= commit);
        } // every master and the metalogger stop

        List<Path> fresh = List.of(dir.resolve("new/1"), dir.resolve("new/2"), dir.resolve("new/3"));
        var restored = MetadataRestore.restore(loggerDir, fresh);
        assertTrue(restored.index() > SNAPSHOT_EVERY * 2, "restored up to " + restored);
        assertThrows(java.io.IOException.class, () -> MetadataRestore.restore(loggerDir, fresh), "targets must be new");

        List<RaftMember> members = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            members.add(new RaftMember("m" + (i + 1), "127.0.0.1:" + TestCluster.freePort()));
        }
        List<MetadataServer> servers = new ArrayList<>();
        try {
            for (int i = 0; i < 3; i++) {
                MetadataServer s = new MetadataServer(MetadataServerConfig.member(members.get(i), members, fresh.get(i)));
                s.start();
                servers.add(s);
            }
            try (RaftMetadataService meta = RaftMetadataService.connect(members.stream().map(RaftMember::address).toList())) {
                for (int i = 0; i < SNAPSHOT_EVERY * 2 + 7; i++) {
                    assertEquals("v" + (i + 1), join(meta.getObject("b", key("kept/" + i))).etag());
                }
                writeObjects(meta, "new/", 3);
                assertEquals("v3", join(meta.getObject("b", key("new/2"))).etag());
                assertTrue(servers.stream().mapToLong(s -> s.status().term()).max().orElseThrow() > restored.term());
            }
        } finally {
            for (MetadataServer s : servers) {
                s.close();
            }
        }
    }

    /** One write at a time, so each is a log entry of its own (concurrent ones share batch entries). */
    private static void writeObjects(RaftMetadataService meta, String prefix, int n) {
        for (int i = 0; i < n; i++) {
            join(meta.putObject("b", key(prefix + i), manifest(1, "v" + (i + 1), i)));
        }
    }

    private static List<MemberStatus> awaitStatus(GroupAdmin admin, java.util.function.Predicate<List<MemberStatus>> ok) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        List<MemberStatus> s;
        do {
            s = admin.status();
            if (ok.test(s)) {
                return s;
            }
            Thread.sleep(50);
        } while (System.nanoTime() < deadline);
        throw new AssertionError("status never settled: " + s);
    }
}
