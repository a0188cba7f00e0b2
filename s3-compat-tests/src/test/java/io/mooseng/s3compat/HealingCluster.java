package io.mooseng.s3compat;

import io.mooseng.chunkserver.ChunkServer;
import io.mooseng.cli.EmbeddedCluster;
import io.mooseng.core.config.HostPort;
import io.mooseng.core.maintenance.MaintenanceConfig;
import io.mooseng.core.model.BlockId;
import io.mooseng.core.model.BlockRef;
import io.mooseng.core.model.MaintenanceReport;
import io.mooseng.core.model.ShardId;
import io.mooseng.core.model.StorageClass;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * An in-process cluster for the self-healing tests: chunkservers as real shard transport servers on
 * loopback with fast heartbeats, a maintenance service the test drives cycle by cycle, an
 * S3 client, and inspection of where every shard really is.
 */
final class HealingCluster implements AutoCloseable {
    static final Duration HEARTBEAT = Duration.ofMillis(250);
    /** Cycles are run by the tests; the scheduled ones only add noise. */
    static final MaintenanceConfig MAINTENANCE = MaintenanceConfig.DEFAULTS.withInterval(3_600_000)
            .withChunkserverTimeout(1_500).withRepairRate(0);

    final EmbeddedCluster cluster;
    final S3Client s3;
    /** The administrator's key pair. */
    final S3Keys keys;
    private final Set<Integer> stopped = new HashSet<>();

    private HealingCluster(EmbeddedCluster cluster, S3Client s3, S3Keys keys) {
        this.cluster = cluster;
        this.s3 = s3;
        this.keys = keys;
    }

    static HealingCluster start(Path dir, int chunkservers, StorageClass defaultClass, MaintenanceConfig maintenance)
            throws Exception {
        S3Keys keys = S3Keys.random();
        EmbeddedCluster c = EmbeddedCluster.start(new EmbeddedCluster.Options(List.of(dir), new HostPort("127.0.0.1", 0),
                new HostPort("127.0.0.1", 0), chunkservers, defaultClass, keys.accessKey(), keys.secretKey(), null)
                .withMaintenance(maintenance, HEARTBEAT));
        return new HealingCluster(c, S3Clients.sync(URI.create(c.endpoint()), keys), keys);
    }

    /** Runs {@code mooseng admin ARGS --masters <this cluster>} in this JVM; @return what it printed (fails unless it exits 0). */
    String admin(String... args) {
        return AdminCli.run(cluster.raftAddress().toString(), args);
    }

    void put(String bucket, String key, byte[] data) {
        s3.putObject(b -> b.bucket(bucket).key(key), RequestBody.fromBytes(data));
    }

    void assertContent(String bucket, String key, byte[] expected) {
        assertArrayEquals(expected, s3.getObjectAsBytes(b -> b.bucket(bucket).key(key)).asByteArray(), key);
    }

    void stop(int index) throws Exception {
        cluster.stopChunkserver(index);
        stopped.add(index);
    }

    /** Restarts a stopped chunkserver on a new port. */
    void restart(int index) throws Exception {
        cluster.restartChunkserver(index);
        stopped.remove(index);
    }

    List<ChunkServer> running() {
        List<ChunkServer> out = new ArrayList<>();
        for (int i = 0; i < cluster.chunkServers().size(); i++) {
            if (!stopped.contains(i)) {
                out.add(cluster.chunkServers().get(i));
            }
        }
        return out;
    }

    ChunkServer node(String id) {
        return running().stream().filter(cs -> cs.nodeId().equals(id)).findFirst().orElse(null);
    }

    /** Every block in the namespace, from the block table. */
    List<BlockRef> blocks() throws Exception {
        List<BlockRef> all = new ArrayList<>();
        BlockId after = null;
        while (true) {
            List<BlockRef> page = cluster.metadata().scanBlocks(after, 500).get(30, TimeUnit.SECONDS);
            all.addAll(page);
            if (page.size() < 500) {
                return all;
            }
            after = page.get(page.size() - 1).id();
        }
    }

    /** Whether the shard is on the running chunkserver the block table names. */
    boolean present(BlockRef b, int index) {
        ChunkServer cs = node(b.shardNodes().get(index));
        return cs != null && cs.store().size(new ShardId(b.id(), index)) >= 0;
    }

    /** Every block has all its shards, on distinct running chunkservers. */
    void assertFullyRedundant() throws Exception {
        List<BlockRef> blocks = blocks();
        assertTrue(!blocks.isEmpty(), "no blocks");
        for (BlockRef b : blocks) {
            assertEquals(b.shardNodes().size(), new HashSet<>(b.shardNodes()).size(), "distinct chunkservers of " + b.id());
            for (int i = 0; i < b.shardNodes().size(); i++) {
                assertTrue(present(b, i), "shard " + b.id() + "/" + i + " on " + b.shardNodes().get(i));
            }
        }
    }

    /** Runs maintenance cycles (with heartbeats flowing in between) until the report satisfies {@code done}. */
    MaintenanceReport cycleUntil(Predicate<MaintenanceReport> done, long timeoutMillis) throws Exception {
        long deadline = System.currentTimeMillis() + timeoutMillis;
        MaintenanceReport last = null;
        while (System.currentTimeMillis() < deadline) {
            last = cluster.maintenance().runCycle();
            if (done.test(last)) {
                return last;
            }
            Thread.sleep(300);
        }
        fail("maintenance did not get there in " + timeoutMillis + " ms; last report " + last);
        return last;
    }

    static boolean healthy(MaintenanceReport r) {
        return r.underReplicated() == 0 && r.endangered() == 0 && r.lost() == 0;
    }

    @Override
    public void close() {
        s3.close();
        cluster.close();
    }
}
