package io.mooseng.metadata;

import io.mooseng.core.model.StorageClass;
import io.mooseng.metadata.client.MetadataClientConfig;
import io.mooseng.metadata.client.RaftMetadataService;
import io.mooseng.metadata.raft.MetadataServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

import static io.mooseng.metadata.Fixtures.await;
import static io.mooseng.metadata.Fixtures.join;
import static io.mooseng.metadata.Fixtures.key;
import static io.mooseng.metadata.Fixtures.manifest;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The leader keeps several appendEntries calls in flight per follower. A follower that stops
 * and comes back while they fly answers the first ones with "log does not match" and the
 * leader resends from what it acknowledged: afterwards the follower's log holds every entry it
 * acknowledged, shown by making it the one that carries the group's latest writes.
 */
@Timeout(90)
class PipelinedAppendTest {
    private static final int WRITES = 600;

    @Test
    void aFollowerRestartedUnderLoadKeepsEveryEntryItAcknowledged(@TempDir Path dir) throws Exception {
        try (TestCluster cluster = TestCluster.start(dir, 3);
             RaftMetadataService meta = cluster.client(MetadataClientConfig.DEFAULTS.withMaxWritesInFlight(8))) {
            join(meta.createBucket("b", StorageClass.EC_4_2, 1));
            List<String> followers = cluster.addresses().stream().filter(a -> !cluster.server(a).status().leader()).toList();
            String restarted = followers.get(0);
            String other = followers.get(1);

            // writes in flight all along; the follower stops a third of the way and returns at two thirds
            List<CompletableFuture<?>> acks = new ArrayList<>();
            MetadataServer back = null;
            for (int i = 0; i < WRITES; i++) {
                acks.add(meta.putObject("b", key("load/" + i), manifest(1, "v" + i, i)));
                if (i % 16 == 15) {
                    join(acks.get(i - 8));
                }
                if (i == WRITES / 3) {
                    cluster.stopPeer(restarted);
                } else if (i == 2 * WRITES / 3) {
                    back = cluster.startPeer(restarted);
                }
            }
            acks.forEach(Fixtures::join);
            MetadataServer follower = back;
            long commit = cluster.leader().status().commitIndex();
            await(() -> follower.status().lastAppliedIndex() >= commit);

            // only the leader and the restarted follower now: these writes are on both logs or unacknowledged
            cluster.stopPeer(other);
            for (int i = 0; i < 50; i++) {
                join(meta.putObject("b", key("pair/" + i), manifest(1, "p" + i, i)));
            }
            // the leader goes; the other follower returns without the pair's writes, so only the
            // restarted follower's log can make the next leader, and it must hold all of them
            String leader = cluster.leader().address();
            cluster.stopPeer(leader);
            cluster.startPeer(other);
            for (int i = 0; i < 50; i++) {
                assertEquals("p" + i, join(meta.getObject("b", key("pair/" + i))).etag());
            }
            for (int i = 0; i < WRITES; i++) {
                assertEquals("v" + i, join(meta.getObject("b", key("load/" + i))).etag());
            }
            assertEquals(restarted, cluster.leader().address());
            assertTrue(cluster.leader().status().commitIndex() > commit);
        }
    }
}
