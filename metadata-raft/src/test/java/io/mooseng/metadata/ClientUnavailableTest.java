package io.mooseng.metadata;

import io.mooseng.core.model.StorageClass;
import io.mooseng.metadata.client.MetadataClientConfig;
import io.mooseng.metadata.client.RaftMetadataService;
import io.mooseng.metadata.raft.MetadataServer;
import io.mooseng.metadata.raft.MetadataServerConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;

import static io.mooseng.core.error.ErrorCode.METADATA_UNAVAILABLE;
import static io.mooseng.metadata.Fixtures.assertFails;
import static io.mooseng.metadata.Fixtures.join;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * With no reachable peer, requests fail with METADATA_UNAVAILABLE after the retry timeout;
 * the same client works once the group is up.
 */
@Timeout(60)
class ClientUnavailableTest {
    @Test
    void failsWhileNoPeerIsReachableThenRecovers(@TempDir Path dir) throws Exception {
        String address = "127.0.0.1:" + TestCluster.freePort();
        MetadataClientConfig config = MetadataClientConfig.DEFAULTS.withRetryTimeout(Duration.ofSeconds(1));
        try (RaftMetadataService meta = RaftMetadataService.connect(List.of(address), config)) {
            long start = System.nanoTime();
            CompletableFuture<?> write = meta.createBucket("b", StorageClass.EC_4_2, 1);
            CompletableFuture<?> read = meta.listBuckets();
            assertFails(METADATA_UNAVAILABLE, write);
            assertFails(METADATA_UNAVAILABLE, read);
            long millis = (System.nanoTime() - start) / 1_000_000;
            assertTrue(millis < 10_000, "bounded by the retry timeout: " + millis + " ms");

            try (MetadataServer server = new MetadataServer(MetadataServerConfig.singleNode(address, dir))) {
                server.start();
                join(meta.createBucket("b", StorageClass.EC_4_2, 1));
                assertEquals(1, join(meta.listBuckets()).size());
            }
            meta.close();
            assertFails(METADATA_UNAVAILABLE, meta.listBuckets());
        }
    }
}
