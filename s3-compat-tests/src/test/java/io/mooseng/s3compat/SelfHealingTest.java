package io.mooseng.s3compat;

import io.mooseng.chunkserver.ChunkServer;
import io.mooseng.core.model.BlockId;
import io.mooseng.core.model.BlockRef;
import io.mooseng.core.model.MaintenanceReport;
import io.mooseng.core.model.ObjectInfo;
import io.mooseng.core.model.ObjectKey;
import io.mooseng.core.model.ShardId;
import io.mooseng.core.model.StorageClass;
import io.mooseng.core.model.TrashEntry;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;

import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static io.mooseng.s3compat.TestData.KiB;
import static io.mooseng.s3compat.TestData.MiB;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The cluster heals itself: lost chunkservers, corrupt shards, class changes, trash and
 * garbage, with 12 real chunkservers (shard transport on loopback, real stores) and EC 8+4.
 */
@Timeout(value = 240, unit = TimeUnit.SECONDS)
class SelfHealingTest {
    private static final StorageClass EC_8_4 = StorageClass.erasure(8, 4);

    @TempDir
    Path dir;

    /** Objects of every shape: inline, small (replicated), one block, several blocks. */
    private static Map<String, byte[]> objects(int seed) {
        Map<String, byte[]> out = new LinkedHashMap<>();
        int[] sizes = {1 * KiB, 40 * KiB, 300 * KiB, 1 * MiB, 9 * MiB + 123};
        for (int i = 0; i < sizes.length * 2; i++) {
            out.put("obj/" + i, TestData.bytes(seed + i, sizes[i % sizes.length]));
        }
        return out;
    }

    @Test
    void fourChunkserversLostEverythingReadableThenFullRedundancyOnReplacements() throws Exception {
        try (HealingCluster c = HealingCluster.start(dir, 12, EC_8_4, HealingCluster.MAINTENANCE)) {
            c.s3.createBucket(b -> b.bucket("heal"));
            Map<String, byte[]> data = objects(1);
            data.forEach((k, v) -> c.put("heal", k, v));
            c.assertFullyRedundant();

            for (int i = 0; i < 4; i++) {
                c.stop(i);
            }
            data.forEach((k, v) -> c.assertContent("heal", k, v));

            // four new machines; repair rebuilds every lost shard onto them
            for (int i = 0; i < 4; i++) {
                c.cluster.addChunkserver();
            }
            MaintenanceReport r = c.cycleUntil(rep -> rep.lostChunkservers().split(",").length == 4 && HealingCluster.healthy(rep),
                    60_000);
            assertTrue(r.repairedShards() > 0, r.toString());
            c.assertFullyRedundant();
            Set<String> stopped = Set.of("cs1", "cs2", "cs3", "cs4");
            for (BlockRef b : c.blocks()) {
                assertTrue(b.shardNodes().stream().noneMatch(stopped::contains), "block " + b.id() + " still on a lost node");
            }
            data.forEach((k, v) -> c.assertContent("heal", k, v));
        }
    }

    @Test
    void flippedBitsAreFoundOnReadAndTheShardIsRebuilt() throws Exception {
        try (HealingCluster c = HealingCluster.start(dir, 12, EC_8_4, HealingCluster.MAINTENANCE)) {
            c.s3.createBucket(b -> b.bucket("rot"));
            byte[] data = TestData.bytes(7, 2 * MiB);
            c.put("rot", "victim", data);
            ObjectInfo info = c.cluster.metadata().getObject("rot", ObjectKey.parse("victim")).get(30, TimeUnit.SECONDS);
            BlockRef block = info.manifest().blocks().get(0);
            String holder = block.shardNodes().get(0);
            // data shard 0 holds the block's first bytes: find them on disk and flip a bit
            ChunkServer cs = c.node(holder);
            flipBitOf(cs.store().directory(), java.util.Arrays.copyOf(data, 4096));

            c.assertContent("rot", "victim", data); // a degraded read decodes around the bad shard
            // the chunkserver quarantines the shard itself when it reads it from disk, or when the
            // reader's report arrives (sent aside, unanswered) if it served the bytes from the page cache
            long reportBy = System.nanoTime() + 5_000_000_000L;
            while (cs.store().size(new ShardId(block.id(), 0)) != -1 && System.nanoTime() < reportBy) {
                Thread.sleep(10);
            }
            assertEquals(-1, cs.store().size(new ShardId(block.id(), 0)), "the corrupt shard is quarantined");
            // the read reported it: the leader's repair queue rebuilds it within seconds, no census
            // cycle needed (they are an hour apart here); all 12 chunkservers hold a shard of the
            // block, so shard 0 is rebuilt in place
            long reported = System.nanoTime();
            long deadline = reported + 20_000_000_000L;
            while (cs.store().size(new ShardId(block.id(), 0)) != block.shardSize() && System.nanoTime() < deadline) {
                Thread.sleep(50);
            }
            assertEquals(block.shardSize(), cs.store().size(new ShardId(block.id(), 0)), "rebuilt from the repair queue");
            System.out.printf("SelfHealingTest: corrupt shard read -> rebuilt from the repair queue in %d ms%n",
                    (System.nanoTime() - reported) / 1_000_000);
            MaintenanceReport r = c.cycleUntil(HealingCluster::healthy, 30_000);
            assertEquals(1, r.repairedShards(), r.toString());
            c.assertFullyRedundant();
            assertEquals(block.shardSize(), cs.store().size(new ShardId(block.id(), 0)));
            c.assertContent("rot", "victim", data);
        }
    }

    /**
     * A shard the chunkserver quarantines on its own (as its scrubber or compaction does on a
     * checksum mismatch, no reader involved) is reported beside its next heartbeat and rebuilt
     * from the leader's queue, with no census (they are an hour apart here).
     */
    @Test
    void aShardQuarantinedWithoutAReaderIsReportedWithTheHeartbeatAndRebuilt() throws Exception {
        try (HealingCluster c = HealingCluster.start(dir, 12, EC_8_4, HealingCluster.MAINTENANCE)) {
            c.s3.createBucket(b -> b.bucket("scrub"));
            byte[] data = TestData.bytes(8, 2 * MiB);
            c.put("scrub", "victim", data);
            BlockRef block = c.cluster.metadata().getObject("scrub", ObjectKey.parse("victim")).get(30, TimeUnit.SECONDS)
                    .manifest().blocks().get(0);
            ShardId shard = new ShardId(block.id(), 3);
            ChunkServer cs = c.node(block.shardNodes().get(3));
            assertTrue(cs.store().quarantine(shard, "found corrupt by the scrubber"));
            long deadline = System.nanoTime() + 20_000_000_000L;
            while (cs.store().size(shard) != block.shardSize() && System.nanoTime() < deadline) {
                Thread.sleep(50);
            }
            assertEquals(block.shardSize(), cs.store().size(shard), "rebuilt in place from the repair queue");
            c.assertFullyRedundant();
            c.assertContent("scrub", "victim", data);
        }
    }

    /** Maintenance holds no cluster key: it re-codes an encrypted object's ciphertext as stored, and the gateway still decrypts it. */
    @Test
    void encryptedObjectsAreRecodedAsCiphertext() throws Exception {
        try (HealingCluster c = HealingCluster.start(dir, 12, StorageClass.replicated(3), HealingCluster.MAINTENANCE)) {
            c.s3.createBucket(b -> b.bucket("recode-sse"));
            Map<String, byte[]> data = new LinkedHashMap<>();
            for (int size : new int[] {100, 70 * KiB, 5 * MiB + 3}) {
                data.put("sse-" + size, TestData.bytes(size, size));
            }
            data.forEach((k, v) -> c.s3.putObject(b -> b.bucket("recode-sse").key(k)
                    .serverSideEncryption(software.amazon.awssdk.services.s3.model.ServerSideEncryption.AES256),
                    software.amazon.awssdk.core.sync.RequestBody.fromBytes(v)));
            assertTrue(c.admin("class", "set", "recode-sse", "EC_4_2").contains("default class: EC_4_2"));
            MaintenanceReport r = c.cycleUntil(rep -> rep.recodePending() == 0 && rep.recodedObjects() > 0, 120_000);
            assertTrue(r.recodedObjects() >= 2, r.toString());
            Map<String, ObjectInfo> after = infos(c, "recode-sse", data.keySet());
            for (String key : data.keySet()) {
                assertEquals(StorageClass.EC_4_2, after.get(key).manifest().storageClass(), key);
                assertEquals(TestData.md5Hex(data.get(key)), after.get(key).etag(), "ETag kept");
                c.assertContent("recode-sse", key, data.get(key));
            }
        }
    }

    @Test
    void bucketClassChangeRecodesReplicatedDataToErasureCoding() throws Exception {
        try (HealingCluster c = HealingCluster.start(dir, 12, StorageClass.replicated(3), HealingCluster.MAINTENANCE)) {
            c.s3.createBucket(b -> b.bucket("recode"));
            Map<String, byte[]> data = objects(20);
            data.forEach((k, v) -> c.put("recode", k, v));
            Map<String, ObjectInfo> before = infos(c, "recode", data.keySet());
            Set<BlockId> oldBlocks = before.values().stream().flatMap(o -> o.manifest().blocks().stream())
                    .map(BlockRef::id).collect(Collectors.toSet());
            before.values().stream().flatMap(o -> o.manifest().blocks().stream())
                    .forEach(b -> assertEquals(StorageClass.replicated(3), b.storageClass()));

            // --wait follows the maintenance reports (this cluster's cycles run when the test asks) until nothing is left
            java.util.concurrent.CompletableFuture<String> waited = java.util.concurrent.CompletableFuture.supplyAsync(() ->
                    c.admin("class", "set", "recode", "EC_4_2", "--wait", "--wait-timeout", "2m", "--progress", "never"));
            MaintenanceReport r = c.cycleUntil(rep -> rep.recodePending() == 0 && rep.recodedObjects() > 0, 120_000);
            assertTrue(r.recodedObjects() >= 6, r.toString());
            c.cycleUntil(rep -> waited.isDone(), 30_000);
            assertTrue(waited.get(1, TimeUnit.SECONDS).contains("default class: EC_4_2"));

            Map<String, ObjectInfo> after = infos(c, "recode", data.keySet());
            for (String key : data.keySet()) {
                ObjectInfo o = after.get(key);
                assertEquals(StorageClass.EC_4_2, o.manifest().storageClass(), key);
                assertEquals(before.get(key).etag(), o.etag(), "ETag kept");
                assertEquals(before.get(key).mtimeMillis(), o.mtimeMillis(), "mtime kept");
                for (BlockRef b : o.manifest().blocks()) {
                    // a lone block up to 64 KiB stays m+1 = 3 copies; everything else is 4+2
                    StorageClass expected = o.size() <= 64 * KiB ? StorageClass.replicated(3) : StorageClass.EC_4_2;
                    assertEquals(expected, b.storageClass(), key);
                    assertFalse(expected.equals(StorageClass.EC_4_2) && oldBlocks.contains(b.id()), "new block ids");
                }
            }
            c.assertFullyRedundant();
            data.forEach((k, v) -> c.assertContent("recode", k, v));
            // the replicated copies are gone from every chunkserver
            for (BlockId old : oldBlocks) {
                if (after.values().stream().flatMap(o -> o.manifest().blocks().stream()).anyMatch(b -> b.id().equals(old))) {
                    continue; // small objects keep their (already right) block
                }
                for (ChunkServer cs : c.running()) {
                    for (int i = 0; i < 3; i++) {
                        assertEquals(-1, cs.store().size(new ShardId(old, i)), "old shard " + old + "/" + i + " on " + cs.nodeId());
                    }
                }
            }

            // cold conversion: replicated objects older than a moment become EC 8+4
            c.admin("class", "set", "recode", "REPLICATED_2");
            assertTrue(c.admin("class", "cold", "recode", "--after", "1ms", "--to", "EC_8_4").contains("-> EC_8_4"));
            c.put("recode", "cold", TestData.bytes(99, 3 * MiB));
            c.cycleUntil(rep -> rep.recodePending() == 0, 120_000);
            assertEquals(EC_8_4, c.cluster.metadata().getObject("recode", ObjectKey.parse("cold")).get(30, TimeUnit.SECONDS)
                    .manifest().storageClass());
            c.assertContent("recode", "cold", TestData.bytes(99, 3 * MiB));
        }
    }

    @Test
    void deleteGoesToTrashRestoreThenExpiryFreesTheSpace() throws Exception {
        try (HealingCluster c = HealingCluster.start(dir, 12, EC_8_4, HealingCluster.MAINTENANCE.withTrashRetention(2_000))) {
            c.s3.createBucket(b -> b.bucket("bin"));
            byte[] data = TestData.bytes(5, 5 * MiB);
            c.put("bin", "doc", data);
            List<BlockRef> blocks = c.cluster.metadata().getObject("bin", ObjectKey.parse("doc")).get(30, TimeUnit.SECONDS)
                    .manifest().blocks();

            c.s3.deleteObject(b -> b.bucket("bin").key("doc"));
            assertThrows(NoSuchKeyException.class, () -> c.s3.getObjectAsBytes(b -> b.bucket("bin").key("doc")));
            List<TrashEntry> trash = c.cluster.metadata().listTrash("bin").get(30, TimeUnit.SECONDS);
            assertEquals(List.of("doc"), trash.stream().map(TrashEntry::key).toList());
            assertTrue(c.admin("trash", "list", "bin").contains(trash.get(0).inode() + " "), "trash list shows the entry");
            assertTrue(c.admin("trash", "list", "bin", "--json").contains("\"inode\" : " + trash.get(0).inode()), "and as JSON");
            assertTrue(c.admin("trash", "restore", "bin", "doc").contains("restored bin/doc"));
            c.assertContent("bin", "doc", data);

            c.s3.deleteObject(b -> b.bucket("bin").key("doc"));
            MaintenanceReport r = c.cycleUntil(rep -> rep.trashPurged() == 1, 30_000);
            assertEquals(List.of(), c.cluster.metadata().listTrash("bin").get(30, TimeUnit.SECONDS), r.toString());
            for (BlockRef b : blocks) {
                for (int i = 0; i < b.shardNodes().size(); i++) {
                    ShardId shard = new ShardId(b.id(), i);
                    long deadline = System.currentTimeMillis() + 10_000;
                    while (c.running().stream().anyMatch(cs -> cs.store().size(shard) >= 0) && System.currentTimeMillis() < deadline) {
                        Thread.sleep(100); // shard deletes are asynchronous
                    }
                    assertTrue(c.running().stream().allMatch(cs -> cs.store().size(shard) < 0), "freed " + shard);
                }
            }
        }
    }

    @Test
    void orphanShardsAreCollectedAfterTheGracePeriod() throws Exception {
        try (HealingCluster c = HealingCluster.start(dir, 12, EC_8_4, HealingCluster.MAINTENANCE.withGcGrace(1_000))) {
            c.s3.createBucket(b -> b.bucket("gcb"));
            byte[] data = TestData.bytes(3, 2 * MiB);
            c.put("gcb", "kept", data);
            // a writer that crashed before its commit: shards no block references
            ShardId orphan = new ShardId(BlockId.random(), 3);
            ChunkServer cs = c.running().get(5);
            cs.store().put(orphan, ByteBuffer.wrap(TestData.bytes(1, 10_000)));
            MaintenanceReport first = c.cluster.maintenance().runCycle();
            assertEquals(0, first.orphanShardsDeleted(), "not before the grace period");
            assertTrue(cs.store().size(orphan) >= 0);
            c.cycleUntil(rep -> rep.orphanShardsDeleted() >= 1, 30_000);
            assertEquals(-1, cs.store().size(orphan));
            c.assertFullyRedundant();
            c.assertContent("gcb", "kept", data);
        }
    }

    @Test
    void addedChunkserversTakeShardsWithoutRedundancyEverDropping() throws Exception {
        try (HealingCluster c = HealingCluster.start(dir, 6, StorageClass.EC_4_2,
                HealingCluster.MAINTENANCE.withRebalance(0.2, 1 << 20, 256))) {
            c.s3.createBucket(b -> b.bucket("even"));
            Map<String, byte[]> data = new LinkedHashMap<>();
            for (int i = 0; i < 12; i++) {
                data.put("f" + i, TestData.bytes(100 + i, 4 * MiB));
            }
            data.forEach((k, v) -> c.put("even", k, v));
            for (int i = 0; i < 3; i++) {
                c.cluster.addChunkserver();
            }
            long deadline = System.currentTimeMillis() + 60_000;
            double spread;
            do {
                c.cluster.maintenance().runCycle();
                c.assertFullyRedundant(); // after every round of moves, never fewer shards
                spread = spread(c);
            } while (spread > 0.5 && System.currentTimeMillis() < deadline);
            assertTrue(spread <= 0.5, "usage spread " + spread);
            assertTrue(c.cluster.maintenance().latest().movedShards() > 0);
            data.forEach((k, v) -> c.assertContent("even", k, v));
        }
    }

    @Test
    void readersFollowAChunkserverThatCameBackOnAnotherAddress() throws Exception {
        try (HealingCluster c = HealingCluster.start(dir, 6, StorageClass.EC_4_2, HealingCluster.MAINTENANCE)) {
            c.s3.createBucket(b -> b.bucket("moved"));
            Map<String, byte[]> data = objects(40);
            data.forEach((k, v) -> c.put("moved", k, v));
            data.forEach((k, v) -> c.assertContent("moved", k, v)); // every client connected to every chunkserver
            int oldPort = c.cluster.chunkServers().get(0).port();
            c.stop(0);
            c.restart(0);
            assertNotEquals(oldPort, c.cluster.chunkServers().get(0).port());
            Thread.sleep(3 * HealingCluster.HEARTBEAT.toMillis()); // its new address is registered
            // with two others down, every read needs cs1 at its new address
            c.stop(1);
            c.stop(2);
            data.forEach((k, v) -> c.assertContent("moved", k, v));
        }
    }

    /** (max - min) / mean of the chunkservers' live bytes. */
    private static double spread(HealingCluster c) {
        List<Long> used = c.running().stream().map(cs -> cs.store().usage().liveBytes()).toList();
        double mean = used.stream().mapToLong(Long::longValue).average().orElse(0);
        return (used.stream().mapToLong(Long::longValue).max().orElse(0) - used.stream().mapToLong(Long::longValue).min().orElse(0)) / mean;
    }

    private static Map<String, ObjectInfo> infos(HealingCluster c, String bucket, Set<String> keys) throws Exception {
        Map<String, ObjectInfo> out = new LinkedHashMap<>();
        for (String k : keys) {
            out.put(k, c.cluster.metadata().getObject(bucket, ObjectKey.parse(k)).get(30, TimeUnit.SECONDS));
        }
        return out;
    }

    /** Flips one bit of the first occurrence of {@code needle} in the store's segment files. */
    private static void flipBitOf(Path storeDir, byte[] needle) throws Exception {
        try (Stream<Path> files = Files.list(storeDir)) {
            for (Path f : files.filter(p -> p.getFileName().toString().startsWith("seg-")).toList()) {
                byte[] content = Files.readAllBytes(f);
                int at = TestData.indexOf(content, needle);
                if (at >= 0) {
                    try (FileChannel ch = FileChannel.open(f, StandardOpenOption.WRITE)) {
                        ch.write(ByteBuffer.wrap(new byte[] {(byte) (content[at + 100] ^ 0x10)}), at + 100);
                        ch.force(true);
                    }
                    return;
                }
            }
        }
        throw new AssertionError("shard bytes not found in " + storeDir);
    }
}
