package io.mooseng.metadata;

import io.mooseng.core.model.BlockId;
import io.mooseng.core.model.BlockRef;
import io.mooseng.core.model.DamagedBlock;
import io.mooseng.core.model.BucketPolicy;
import io.mooseng.core.model.CompletedPart;
import io.mooseng.core.model.MaintenanceReport;
import io.mooseng.core.model.ObjectEncryption;
import io.mooseng.core.model.ObjectInfo;
import io.mooseng.core.model.ObjectManifest;
import io.mooseng.core.model.ObjectProperties;
import io.mooseng.core.model.PartInfo;
import io.mooseng.core.model.QueuedShards;
import io.mooseng.core.model.ShardId;
import io.mooseng.core.model.ShardMove;
import io.mooseng.core.model.StorageClass;
import io.mooseng.core.model.TrashEntry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.Optional;
import java.util.Set;

import static io.mooseng.core.error.ErrorCode.CONCURRENT_CHANGE;
import static io.mooseng.core.error.ErrorCode.KEY_CONFLICT;
import static io.mooseng.core.error.ErrorCode.NO_SUCH_BLOCK;
import static io.mooseng.core.error.ErrorCode.NO_SUCH_KEY;
import static io.mooseng.metadata.Fixtures.ecBlock;
import static io.mooseng.metadata.Fixtures.assertFails;
import static io.mooseng.metadata.Fixtures.join;
import static io.mooseng.metadata.Fixtures.key;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The blocks table kept in step with objects, parts and the trash; shard moves; policies. */
@Timeout(60)
class BlockIndexAndTrashTest extends SingleMasterTest {
    private static final StorageClass EC = Fixtures.EC_2_1;

    private static ObjectManifest manifest(BlockRef... blocks) {
        return Fixtures.ecManifest("e" + blocks.length, blocks);
    }

    /**
     * The node index holds exactly the block table's shards, by node, and the count its rows:
     * checked after each test, whatever writers it ran.
     */
    @AfterEach
    void nodeIndexMatchesTheBlockTable() {
        Map<String, List<ShardId>> expected = new TreeMap<>();
        long rows = 0;
        BlockId after = null;
        while (true) {
            List<BlockRef> page = join(meta.scanBlocks(after, 50));
            for (BlockRef b : page) {
                rows++;
                for (int i = 0; i < b.shardNodes().size(); i++) {
                    expected.computeIfAbsent(b.shardNodes().get(i), n -> new ArrayList<>()).add(new ShardId(b.id(), i));
                }
            }
            if (page.isEmpty()) {
                break;
            }
            after = page.get(page.size() - 1).id();
        }
        assertEquals(rows, join(meta.countBlocks()));
        for (String node : List.of("cs1", "cs2", "cs3", "cs4", "cs7", "cs8", "cs9")) {
            List<ShardId> indexed = new ArrayList<>();
            ShardId from = null;
            while (true) {
                List<ShardId> page = join(meta.shardsOnNode(node, from, 2));
                indexed.addAll(page);
                if (page.size() < 2) {
                    break;
                }
                from = page.get(page.size() - 1);
            }
            List<ShardId> want = expected.getOrDefault(node, List.of());
            assertEquals(want, indexed, "node index of " + node + " (block table order is shard id order)");
        }
    }

    @Test
    void theNodeIndexPagesOneNodeInShardIdOrderAndQueuesALostNodesBlocks() {
        join(meta.createBucket("bynode", EC, 1));
        // ids across the sign bit: the order is unsigned, as in the keys
        BlockRef high = new BlockRef(new BlockId(-1, 5), 100, EC, 50, List.of("cs4", "cs2", "cs3"), List.of(1, 2, 3));
        BlockRef low = new BlockRef(new BlockId(1, 5), 100, EC, 50, List.of("cs1", "cs4", "cs3"), List.of(1, 2, 3));
        join(meta.putObject("bynode", key("a"), manifest(high, low)));
        assertEquals(List.of(new ShardId(low.id(), 1), new ShardId(high.id(), 0)), join(meta.shardsOnNode("cs4", null, 10)));
        assertEquals(List.of(new ShardId(high.id(), 0)), join(meta.shardsOnNode("cs4", new ShardId(low.id(), 1), 10)));
        assertEquals(List.of(), join(meta.shardsOnNode("cs", null, 10)), "a prefix of an id is another node");

        QueuedShards first = join(meta.queueShardsOfNode("cs4", null, 1));
        assertEquals(new QueuedShards(new ShardId(low.id(), 1), 1, false), first);
        assertEquals(new QueuedShards(new ShardId(high.id(), 0), 1, true), join(meta.queueShardsOfNode("cs4", first.after(), 10)));
        assertEquals(List.of(new DamagedBlock(low, List.of(1)), new DamagedBlock(high, List.of(0))), join(meta.takeDamagedBlocks(10)));
        join(meta.deleteObject("bynode", key("a")));
    }

    @Test
    void objectsTrashAndPurge() {
        join(meta.createBucket("trash", EC, 1));
        BlockRef a = ecBlock();
        BlockRef b = ecBlock();
        join(meta.putObject("trash", key("k"), manifest(a, b)));
        assertTrue(indexed(3).containsAll(Set.of(a.id(), b.id())));

        // overwrite: the old blocks leave the index with the old version
        BlockRef c = ecBlock();
        join(meta.putObject("trash", key("k"), manifest(c)));
        assertFalse(indexed(3).contains(a.id()));
        assertTrue(indexed(3).contains(c.id()));

        // delete -> trash: restorable, blocks still protected
        ObjectInfo live = join(meta.getObject("trash", key("k")));
        assertEquals(Optional.empty(), join(meta.deleteObject("trash", key("k"))));
        assertFails(NO_SUCH_KEY, meta.getObject("trash", key("k")));
        List<TrashEntry> trash = join(meta.listTrash("trash"));
        assertEquals(1, trash.size());
        assertEquals("k", trash.get(0).key());
        assertTrue(indexed(3).contains(c.id()));

        ObjectInfo restored = join(meta.restoreTrash("trash", live.inode()));
        assertEquals(live.inode(), restored.inode());
        assertEquals(live.manifest().blocks(), join(meta.getObject("trash", key("k"))).manifest().blocks());
        assertEquals(List.of(), join(meta.listTrash("trash")));

        // restoring onto a taken key is refused
        join(meta.deleteObject("trash", key("k")));
        join(meta.putObject("trash", key("k"), manifest(ecBlock())));
        assertFails(KEY_CONFLICT, meta.restoreTrash("trash", live.inode()));

        ObjectInfo purged = join(meta.purgeTrash("trash", live.inode()));
        assertEquals(List.of(c), purged.manifest().blocks());
        assertFalse(indexed(3).contains(c.id()));
        assertFails(NO_SUCH_KEY, meta.purgeTrash("trash", live.inode()));

        // a bucket with trash off frees at once
        join(meta.setBucketPolicy("trash", BucketPolicy.of(EC).withTrashRetention(0)));
        BlockRef d = ecBlock();
        join(meta.putObject("trash", key("now"), manifest(d)));
        assertEquals(List.of(d), join(meta.deleteObject("trash", key("now"))).orElseThrow().manifest().blocks());
        assertFalse(indexed(3).contains(d.id()));
    }

    /** An object trashed while keys live under its name is restored beside them; the directory is no taken key. */
    @Test
    void anObjectIsTrashedAndRestoredBesideADirectoryOfItsName() {
        join(meta.createBucket("trash-twins", EC, 1));
        join(meta.putObject("trash-twins", key("a/b"), manifest(ecBlock())));
        join(meta.putObject("trash-twins", key("a/b/c"), manifest(ecBlock())));
        ObjectInfo object = join(meta.getObject("trash-twins", key("a/b")));
        join(meta.deleteObject("trash-twins", key("a/b")));
        assertFails(NO_SUCH_KEY, meta.getObject("trash-twins", key("a/b")));

        assertEquals(object.inode(), join(meta.restoreTrash("trash-twins", object.inode())).inode());
        assertEquals(object.manifest().blocks(), join(meta.getObject("trash-twins", key("a/b"))).manifest().blocks());
        assertTrue(join(meta.getObject("trash-twins", key("a/b/c"))).size() > 0);
    }

    /** A cluster key rotation's re-seal: the new wrapped key lands only on an inode still holding the one read, nothing else changes. */
    @Test
    void resealingReplacesOnlyTheWrappedKeyOfAnInodeThatStillHoldsTheOneRead() {
        join(meta.createBucket("reseal", EC, 1));
        byte[] salt = new byte[16];
        byte[] oldKey = {1, 1};
        byte[] newKey = {2, 2};
        ObjectManifest tagged = manifest(ecBlock()).withAttributes(5, ObjectProperties.EMPTY.withTags(java.util.Map.of("t", "1")), null)
                .withEncryption(new ObjectEncryption(ObjectEncryption.Mode.SSE_S3, salt, oldKey, null));
        join(meta.putObject("reseal", key("k"), tagged));
        ObjectInfo live = join(meta.getObject("reseal", key("k")));

        assertFalse(join(meta.resealObject("reseal", live.inode(), new byte[]{9}, newKey)), "holds another key: left alone");
        assertTrue(join(meta.resealObject("reseal", live.inode(), oldKey, newKey)));
        ObjectManifest after = join(meta.getObject("reseal", key("k"))).manifest();
        assertArrayEquals(newKey, after.encryption().wrappedKey());
        assertArrayEquals(salt, after.encryption().salt());
        assertEquals(tagged.withEncryption(after.encryption()), after, "blocks, tags, attributes unchanged");
        assertFalse(join(meta.resealObject("reseal", live.inode(), oldKey, newKey)), "done already: a repeated rotation");

        // a trashed version is found by its inode and re-sealed in place
        join(meta.deleteObject("reseal", key("k")));
        assertArrayEquals(newKey, join(meta.trashedObject("reseal", live.inode())).manifest().encryption().wrappedKey());
        assertTrue(join(meta.resealObject("reseal", live.inode(), newKey, oldKey)));
        assertArrayEquals(oldKey, join(meta.trashedObject("reseal", live.inode())).manifest().encryption().wrappedKey());
        assertFails(NO_SUCH_KEY, meta.trashedObject("reseal", live.inode() + 1_000_000));

        // an overwrite is a new inode: the old one's re-seal does not touch it
        join(meta.restoreTrash("reseal", live.inode()));
        join(meta.putObject("reseal", key("k"), tagged));
        ObjectInfo replaced = join(meta.getObject("reseal", key("k")));
        assertNotEquals(live.inode(), replaced.inode());
        assertFalse(join(meta.resealObject("reseal", live.inode(), oldKey, newKey)), "the replaced version is gone");
        assertArrayEquals(oldKey, join(meta.getObject("reseal", key("k"))).manifest().encryption().wrappedKey());
    }

    @Test
    void shardMovesUpdateTheOwner() {
        join(meta.createBucket("moves", EC, 1));
        BlockRef a = ecBlock();
        join(meta.putObject("moves", key("x/y"), manifest(a)));
        join(meta.moveShards(a.id(), List.of(new ShardMove(1, "cs2", "cs9"))));
        assertEquals(List.of("cs1", "cs9", "cs3"), join(meta.getObject("moves", key("x/y"))).manifest().blocks().get(0).shardNodes());
        assertFails(CONCURRENT_CHANGE, meta.moveShards(a.id(), List.of(new ShardMove(1, "cs2", "cs8"))));
        assertFails(CONCURRENT_CHANGE, meta.moveShards(a.id(), List.of(new ShardMove(0, "cs1", "cs3"))));
        assertFails(NO_SUCH_BLOCK, meta.moveShards(ecBlock().id(), List.of(new ShardMove(0, "cs1", "cs4"))));

        // re-code: the manifest swaps under the same version, only while it is current
        ObjectInfo v = join(meta.getObject("moves", key("x/y")));
        BlockRef recoded = ecBlock();
        ObjectInfo old = join(meta.replaceManifest("moves", key("x/y"), v.inode(), v.manifest().withBlocks(EC, List.of(recoded))));
        assertEquals(v.manifest().blocks(), old.manifest().blocks());
        assertEquals(List.of(recoded), join(meta.getObject("moves", key("x/y"))).manifest().blocks());
        assertFalse(indexed(3).contains(a.id()));
        join(meta.putObject("moves", key("x/y"), manifest(ecBlock())));
        assertFails(CONCURRENT_CHANGE, meta.replaceManifest("moves", key("x/y"), v.inode(), v.manifest()));
    }

    @Test
    void partsOwnTheirBlocksUntilComplete() {
        join(meta.createBucket("parts", EC, 1));
        var upload = join(meta.createMultipartUpload("parts", key("big"), ObjectProperties.EMPTY, EC, 1));
        BlockRef p1 = ecBlock();
        BlockRef p2 = ecBlock();
        join(meta.putPart("parts", key("big"), upload.uploadId(), new PartInfo(1, 100, "a", 1, manifest(p1))));
        join(meta.putPart("parts", key("big"), upload.uploadId(), new PartInfo(2, 100, "b", 1, manifest(p2))));
        assertTrue(indexed(3).containsAll(Set.of(p1.id(), p2.id())));
        join(meta.moveShards(p1.id(), List.of(new ShardMove(0, "cs1", "cs7"))));
        assertEquals("cs7", join(meta.listParts("parts", key("big"), upload.uploadId())).get(0).manifest().blocks().get(0).shardNodes().get(0));

        join(meta.completeMultipartUpload("parts", key("big"), upload.uploadId(), List.of(new CompletedPart(1, "a")), 0, 2));
        assertTrue(indexed(3).contains(p1.id()));
        assertFalse(indexed(3).contains(p2.id()), "the unused part's block is freed");
        join(meta.moveShards(p1.id(), List.of(new ShardMove(1, "cs2", "cs8"))));
        assertEquals(List.of("cs7", "cs8", "cs3"), join(meta.getObject("parts", key("big"))).manifest().blocks().get(0).shardNodes());

        var aborted = join(meta.createMultipartUpload("parts", key("gone"), ObjectProperties.EMPTY, EC, 1));
        BlockRef p3 = ecBlock();
        join(meta.putPart("parts", key("gone"), aborted.uploadId(), new PartInfo(1, 100, "c", 1, manifest(p3))));
        join(meta.abortMultipartUpload("parts", key("gone"), aborted.uploadId()));
        assertFalse(indexed(3).contains(p3.id()));
    }

    @Test
    void policiesAndBucketDeletion() {
        join(meta.createBucket("policy", EC, 1));
        BucketPolicy p = BucketPolicy.of(StorageClass.replicated(3))
                .withPrefixClass("logs/", StorageClass.erasure(4, 2))
                .withPrefixClass("logs/hot/", StorageClass.replicated(2))
                .withTrashRetention(60_000)
                .withColdConversion(86_400_000L, StorageClass.erasure(8, 4));
        assertEquals(p, join(meta.setBucketPolicy("policy", p)).policy());
        assertEquals(p, join(meta.getBucket("policy")).policy());
        assertEquals(StorageClass.replicated(2), p.classFor("logs/hot/x"));
        assertEquals(StorageClass.erasure(4, 2), p.classFor("logs/x"));
        assertEquals(StorageClass.replicated(3), p.classFor("other"));
        assertEquals(StorageClass.erasure(8, 4), p.targetClass("x", null, 0, 86_400_000L));

        // a bucket whose objects are all in the trash can be deleted; the trash goes with it
        BlockRef a = ecBlock();
        join(meta.putObject("policy", key("a"), manifest(a)));
        join(meta.deleteObject("policy", key("a")));
        join(meta.deleteBucket("policy"));
        assertFalse(indexed(3).contains(a.id()));

        MaintenanceReport r = new MaintenanceReport(1, "m1", 10, 1, 2, 0, 5, 500, 1.5, 3, 4, 6, 7, 8, "cs3", 0, 0, 0, 0);
        join(meta.reportMaintenance(r));
        assertEquals(Optional.of(r), join(meta.maintenance()));
    }

    @Test
    void readersReportDamagedShardsAndMaintenanceTakesTheirBlocksOnce() {
        BlockRef a = ecBlock();
        join(meta.createBucket("damage", EC, 1));
        join(meta.putObject("damage", key("a"), manifest(a)));
        join(meta.reportDamagedShards(a.id(), List.of(2)));
        join(meta.reportDamagedShards(new BlockId(7, 7), List.of(0))); // no such block (deleted since): dropped
        join(meta.reportDamagedShards(a.id(), List.of(0, 2)));
        assertEquals(List.of(new DamagedBlock(a, List.of(0, 2))), join(meta.takeDamagedBlocks(10)));
        assertEquals(List.of(), join(meta.takeDamagedBlocks(10)));
    }
}
