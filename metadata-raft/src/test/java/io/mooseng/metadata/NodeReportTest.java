package io.mooseng.metadata;

import io.mooseng.core.model.ChunkserverInfo;
import io.mooseng.core.model.GatewayInfo;
import io.mooseng.core.error.ErrorCode;
import io.mooseng.core.model.MaintenanceReport;
import io.mooseng.core.model.MountInfo;
import io.mooseng.metadata.client.RaftMetadataService;
import io.mooseng.metadata.raft.RaftStatus;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static io.mooseng.metadata.Fixtures.assertFails;
import static io.mooseng.metadata.Fixtures.join;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Heartbeats, mount reports and the maintenance report go to the leader's memory, not the log;
 * a new leader rebuilds them from the next beats.
 */
@Timeout(60)
class NodeReportTest {
    private static ChunkserverInfo cs(String address, long free, long heartbeat) {
        return new ChunkserverInfo("cs1", address, Map.of("zone", "a"), 1_000, 1_000 - free, free, heartbeat);
    }

    /** The one chunkserver as listed; a listing shows the later of its last report and the leader's term start. */
    private static void assertListed(RaftMetadataService meta, String address, long free, long heartbeatAtLeast) {
        List<ChunkserverInfo> listed = join(meta.listChunkservers());
        assertEquals(1, listed.size(), listed::toString);
        ChunkserverInfo c = listed.getFirst();
        assertEquals(cs(address, free, c.heartbeatMillis()), c);
        assertTrue(c.heartbeatMillis() >= heartbeatAtLeast, c + " reported before " + heartbeatAtLeast);
    }

    /**
     * Commands applied by all peers together, once all have applied everything committed
     * (elections, which a loaded machine may cause, add no command entries).
     */
    private static long commandsApplied(TestCluster cluster) throws InterruptedException {
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (true) {
            List<RaftStatus> peers = cluster.addresses().stream().map(a -> cluster.server(a).status()).toList();
            long committed = peers.stream().mapToLong(RaftStatus::commitIndex).max().orElseThrow();
            if (peers.stream().allMatch(p -> p.lastAppliedIndex() == committed) || System.nanoTime() > deadline) {
                return peers.stream().mapToLong(RaftStatus::appliedEntries).sum();
            }
            Thread.sleep(10);
        }
    }

    @Test
    void heartbeatsAddNoLogEntriesAndANewLeaderStartsFromTheRegistrations(@TempDir Path dir) throws Exception {
        try (TestCluster cluster = TestCluster.start(dir, 3)) {
            RaftMetadataService meta = cluster.client();
            long t = System.currentTimeMillis(); // heartbeats carry the node's clock
            join(meta.registerChunkserver(cs("127.0.0.1:1", 900, t + 1)));
            join(meta.registerGateway(new GatewayInfo("gw1", "127.0.0.1:8", t + 1, "java-vector")));
            long registered = commandsApplied(cluster);

            for (int beat = 2; beat <= 50; beat++) {
                join(meta.registerChunkserver(cs("127.0.0.1:1", 900 - beat, t + beat)));
                join(meta.registerGateway(new GatewayInfo("gw1", "127.0.0.1:8", t + beat, "java-vector")));
            }
            MaintenanceReport cycle = new MaintenanceReport(t, "m1", 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, "", 0, 0, 0, 0);
            join(meta.reportMaintenance(cycle));
            assertEquals(Optional.of(cycle), join(meta.maintenance()));
            assertEquals(registered, commandsApplied(cluster), "heartbeats or the maintenance report wrote log entries");
            assertEquals(List.of(cs("127.0.0.1:1", 850, t + 50)), join(meta.listChunkservers()));
            assertEquals(List.of(new GatewayInfo("gw1", "127.0.0.1:8", t + 50, "java-vector")), join(meta.listGateways()));

            // a chunkserver that comes back on another address registers again, through the log
            join(meta.registerChunkserver(cs("127.0.0.1:2", 800, t + 51)));
            assertEquals(registered + 3, commandsApplied(cluster), "one registration entry, applied by each of three");
            assertListed(meta, "127.0.0.1:2", 800, t + 51);

            long beforeFailover = System.currentTimeMillis();
            cluster.stopPeer(cluster.leader().address());
            // a new leader shows registered chunkservers as seen when its term began
            assertListed(meta, "127.0.0.1:2", 800, beforeFailover);
            long soon = System.currentTimeMillis() + 1;
            join(meta.registerChunkserver(cs("127.0.0.1:2", 700, soon)));
            assertListed(meta, "127.0.0.1:2", 700, soon);
        }
    }

    @Test
    void mountsReportToTheLeadersMemoryAndAreForgottenWhenTheyUnmount(@TempDir Path dir) throws Exception {
        try (TestCluster cluster = TestCluster.start(dir, 1); RaftMetadataService mount = cluster.holderClient()) {
            RaftMetadataService status = cluster.client();
            long before = commandsApplied(cluster);
            MountInfo info = new MountInfo(mount.leaseHolder().toString(), "host1", "/mnt/x", "0.1.0", 1_000, 0);
            long t = System.currentTimeMillis();
            for (int i = 0; i < 20; i++) {
                join(mount.reportMount(info));
            }
            List<MountInfo> listed = join(status.listMounts());
            assertEquals(List.of(info.withLastSeen(listed.getFirst().lastSeenMillis())), listed);
            assertTrue(listed.getFirst().lastSeenMillis() >= t, listed::toString);
            assertEquals(before, commandsApplied(cluster), "mount reports wrote log entries");
            assertFails(ErrorCode.INVALID_ARGUMENT, status.reportMount(info)); // only a lease holder's client reports a mount
            join(mount.reportUnmount());
            assertEquals(List.of(), join(status.listMounts()));
        }
    }
}
