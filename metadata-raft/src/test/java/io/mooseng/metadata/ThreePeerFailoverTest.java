package io.mooseng.metadata;

import io.mooseng.core.model.StorageClass;
import io.mooseng.core.security.Role;
import io.mooseng.metadata.client.MetadataClientConfig;
import io.mooseng.metadata.client.RaftMetadataService;
import io.mooseng.metadata.raft.MetadataServer;
import io.mooseng.metadata.raft.MetadataServerConfig;
import io.mooseng.metadata.raft.RaftStatus;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.file.Path;
import java.time.Duration;
import java.util.function.UnaryOperator;

import static io.mooseng.metadata.Fixtures.join;
import static io.mooseng.metadata.Fixtures.key;
import static io.mooseng.metadata.Fixtures.manifest;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A group of three on loopback: losing the leader costs one election, not data. */
@Timeout(60)
class ThreePeerFailoverTest {
    @Test
    void writesContinueUnderANewLeader(@TempDir Path dir) throws Exception {
        try (TestCluster cluster = TestCluster.start(dir, 3)) {
            RaftMetadataService meta = cluster.client();
            join(meta.createBucket("ha", StorageClass.EC_4_2, 1));
            for (int i = 0; i < 20; i++) {
                join(meta.putObject("ha", key("before/" + i), manifest(1, "b" + i, i)));
            }
            MetadataServer oldLeader = cluster.leader();
            RaftStatus oldStatus = oldLeader.status();
            cluster.stopPeer(oldLeader.address());

            long start = System.nanoTime();
            join(meta.putObject("ha", key("after/0"), manifest(1, "a0", 1)));
            System.out.printf("ThreePeerFailoverTest: leader loss to next acknowledged write: %d ms%n",
                    (System.nanoTime() - start) / 1_000_000);

            MetadataServer newLeader = cluster.leader();
            assertNotEquals(oldLeader.address(), newLeader.address());
            assertTrue(newLeader.status().term() > oldStatus.term());
            for (int i = 0; i < 20; i++) {
                assertEquals("b" + i, join(meta.getObject("ha", key("before/" + i))).etag());
            }
            assertEquals("a0", join(meta.getObject("ha", key("after/0"))).etag());

            // the old leader rejoins as a follower and catches up
            MetadataServer back = cluster.startPeer(oldLeader.address());
            join(meta.putObject("ha", key("after/1"), manifest(1, "a1", 1)));
            assertTrue(back.awaitLeader(Duration.ofSeconds(10)));
            long target = newLeader.status().commitIndex();
            long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
            while (back.status().lastAppliedIndex() < target && System.nanoTime() < deadline) {
                Thread.sleep(20);
            }
            assertTrue(back.status().lastAppliedIndex() >= target, "rejoined peer caught up: " + back.status());
            assertTrue(!back.status().leader() || back.status().term() > newLeader.status().term());
        }
    }

    /**
     * With election timeouts of 3-6 s, only the followers' watch of the leader's connection
     * can elect a new leader within a second: the stopped leader's port refuses at once. The
     * watch holds a connection of the Raft RPC, so it is checked with mutual TLS too.
     */
    @ParameterizedTest(name = "tls={0}")
    @ValueSource(booleans = {false, true})
    void aFollowerCampaignsAsSoonAsTheLeaderProcessExits(boolean tls, @TempDir Path dir) throws Exception {
        UnaryOperator<MetadataServerConfig> slowElections = c -> c.withElectionTimeout(Duration.ofSeconds(3), Duration.ofSeconds(6));
        TestCertificates certs = tls ? TestCertificates.create(dir.resolve("certs")) : null;
        try (TestCluster cluster = TestCluster.start(dir, 3, tls ? c -> slowElections.apply(certs.forMasters().apply(c)) : slowElections)) {
            RaftMetadataService meta = cluster.client(tls ? MetadataClientConfig.DEFAULTS.withTls(certs.issue(Role.GATEWAY, "gw"))
                    : MetadataClientConfig.DEFAULTS);
            join(meta.createBucket("watch", StorageClass.EC_4_2, 1));
            Thread.sleep(500); // both followers watch the leader
            MetadataServer oldLeader = cluster.leader();
            long oldTerm = oldLeader.status().term();
            long start = System.nanoTime();
            cluster.stopPeer(oldLeader.address());
            join(meta.putObject("watch", key("after"), manifest(1, "a", 1)));
            long ms = (System.nanoTime() - start) / 1_000_000;
            System.out.printf("ThreePeerFailoverTest: leader exit to next acknowledged write, 3 s election timeout, tls=%s: %d ms%n", tls, ms);
            assertTrue(ms < 2_000, "new leader after " + ms + " ms");
            assertTrue(cluster.leader().status().term() > oldTerm);
        }
    }
}
