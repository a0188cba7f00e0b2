package io.mooseng.s3compat;

import io.mooseng.core.model.MaintenanceReport;
import io.mooseng.metadata.client.MetadataClientConfig;
import io.mooseng.metadata.client.RaftMetadataService;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.s3.S3Client;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * kill -9 of a chunkserver process in the middle of EC 4+2 writes: no acknowledged PUT is
 * lost or fails, the chunkserver restarts on its torn store, and the leader's maintenance
 * brings every block back to full redundancy (7 chunkserver processes, so 6 remain for
 * writes while one is down; SelfHealingTest covers EC 8+4 in one process).
 */
@Timeout(value = 300, unit = TimeUnit.SECONDS)
class ChunkserverCrashTest {
    private static final String BUCKET = "crash";

    @TempDir
    Path dir;

    private static String gatewayLog(ProcessCluster cluster) {
        try {
            return cluster.logTail("gw1", 200);
        } catch (IOException e) {
            return "(unreadable: " + e + ")";
        }
    }

    @Test
    void killDashNineMidWriteLosesNothingAndRepairCompletes() throws Exception {
        try (ProcessCluster cluster = ProcessCluster.up(dir, Map.of("MOOSENG_MASTERS", "1", "MOOSENG_CHUNKSERVERS", "7",
                "MOOSENG_GATEWAYS", "1", "MOOSENG_METALOGGER", "0", "MOOSENG_STORAGE_CLASS", "EC_4_2",
                "MOOSENG_MAINTENANCE_INTERVAL_MS", "1000", "MOOSENG_CHUNKSERVER_TIMEOUT_MS", "4000", "MOOSENG_GC_GRACE_MS", "5000"))) {
            List<URI> endpoints = cluster.endpoints();
            S3Keys keys = cluster.keys();
            try (S3Client s3 = S3Clients.sync(endpoints.get(0), keys)) {
                s3.createBucket(b -> b.bucket(BUCKET));
            }
            Map<String, PutLoad.Stored> acked;
            try (PutLoad load = new PutLoad(endpoints, keys, BUCKET, "w", 4, 0, 1)) {
                load.awaitAckAfter(System.nanoTime(), 30_000);
                Thread.sleep(3_000);
                cluster.signal("cs5", "KILL");
                long killed = System.nanoTime();
                load.awaitAckAfter(killed, 10_000);
                Thread.sleep(3_000);
                cluster.start("cs5");
                Thread.sleep(3_000);
                load.close();
                // a failure shows the gateway's log: what it waited for, which chunkserver it gave up on
                assertEquals(List.of(), load.failures(), () -> "S3 callers saw errors; gateway log:\n" + gatewayLog(cluster));
                acked = load.acked();
                System.out.printf("ChunkserverCrashTest: %d PUTs acknowledged, slowest %d ms%n", acked.size(), load.maxLatencyMillis());
            }
            assertTrue(acked.size() >= 20, "too few PUTs: " + acked.size());
            PutLoad.verify(endpoints, keys, BUCKET, acked);

            // the leader's census finds every shard of every block where the block table says
            long since = System.currentTimeMillis();
            try (RaftMetadataService metadata = RaftMetadataService.connect(cluster.masters(),
                    MetadataClientConfig.DEFAULTS.withRetryTimeout(Duration.ofSeconds(10)))) {
                MaintenanceReport last = null;
                long deadline = System.currentTimeMillis() + 60_000;
                while (System.currentTimeMillis() < deadline) {
                    last = metadata.maintenance().get(10, TimeUnit.SECONDS).orElse(null);
                    if (last != null && last.atMillis() > since + 2_000 && last.underReplicated() == 0 && last.endangered() == 0
                            && last.lost() == 0 && last.lostChunkservers().isEmpty()) {
                        break;
                    }
                    Thread.sleep(500);
                }
                assertTrue(last != null && last.underReplicated() == 0 && last.endangered() == 0 && last.lost() == 0
                        && last.lostChunkservers().isEmpty(), "maintenance report " + last);
                assertTrue(last.blocks() >= acked.size(), "every acknowledged object has its block: " + last);
            }
            PutLoad.verify(endpoints, keys, BUCKET, acked);
        }
    }
}
