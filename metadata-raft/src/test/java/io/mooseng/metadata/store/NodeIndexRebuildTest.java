package io.mooseng.metadata.store;

import io.mooseng.core.model.BlockId;
import io.mooseng.core.model.BlockRef;
import io.mooseng.core.model.ObjectManifest;
import io.mooseng.core.model.ObjectProperties;
import io.mooseng.core.model.ShardId;
import io.mooseng.core.model.StorageClass;
import io.mooseng.metadata.store.NamespaceSchema.Table;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.rocksdb.ColumnFamilyDescriptor;
import org.rocksdb.ColumnFamilyHandle;
import org.rocksdb.DBOptions;
import org.rocksdb.RocksDB;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** A store written before the node index existed gets it (and the block count) built once at open. */
@Timeout(60)
class NodeIndexRebuildTest {
    private static final StorageClass EC = StorageClass.erasure(2, 1);

    @Test
    void aStoreWithoutTheNodeIndexIsUpgradedAtOpen(@TempDir Path dir) throws Exception {
        BlockRef a = new BlockRef(new BlockId(9, 1), 100, EC, 50, List.of("n1", "n2", "n3"), List.of(1, 2, 3));
        BlockRef b = new BlockRef(new BlockId(3, 1), 100, EC, 50, List.of("n2", "n1", "n4"), List.of(1, 2, 3));
        try (NamespaceStore store = NamespaceStore.open(dir)) {
            store.apply(new LogPosition(1, 1), tx -> tx.atomically(ns -> ns.createBucket("b", EC, 1)));
            store.apply(new LogPosition(1, 2), tx -> tx.atomically(ns -> ns.putObject("b", "k", manifest(a, b), null)));
        }
        dropNodeIndex(dir);
        try (NamespaceStore store = NamespaceStore.open(dir)) {
            assertEquals(List.of(new NodeShard(new ShardId(b.id(), 1), 1), new NodeShard(new ShardId(a.id(), 0), 1)),
                    store.read(ns -> ns.shardsOnNode("n1", null, 10)));
            assertEquals(List.of(new NodeShard(new ShardId(b.id(), 2), 1)), store.read(ns -> ns.shardsOnNode("n4", null, 10)));
            assertEquals(2L, store.read(Namespace::blockCount));
            // kept in step from here on: the overwritten version's blocks leave it
            store.apply(new LogPosition(1, 3), tx -> tx.atomically(ns -> ns.putObject("b", "k", manifest(), null)));
            assertEquals(List.of(), store.read(ns -> ns.shardsOnNode("n1", null, 10)));
            assertEquals(0L, store.read(Namespace::blockCount));
        }
    }

    /** What a store of the previous version looks like: no nodeshards family, no markers in meta. */
    private static void dropNodeIndex(Path dir) throws Exception {
        List<ColumnFamilyDescriptor> descriptors = new ArrayList<>();
        descriptors.add(new ColumnFamilyDescriptor(RocksDB.DEFAULT_COLUMN_FAMILY));
        for (Table t : Table.values()) {
            descriptors.add(new ColumnFamilyDescriptor(t.columnFamilyName()));
        }
        List<ColumnFamilyHandle> handles = new ArrayList<>();
        try (DBOptions options = new DBOptions(); RocksDB db = RocksDB.open(options, dir.toString(), descriptors, handles)) {
            ColumnFamilyHandle meta = handles.get(Table.META.ordinal() + 1);
            db.delete(meta, NamespaceSchema.nodeShardsBuiltKey());
            db.delete(meta, NamespaceSchema.blockCountKey());
            db.dropColumnFamily(handles.get(Table.NODESHARDS.ordinal() + 1));
            handles.forEach(ColumnFamilyHandle::close);
        }
    }

    private static ObjectManifest manifest(BlockRef... blocks) {
        return new ObjectManifest(100L * blocks.length, "e", 5, ObjectProperties.EMPTY, EC, List.of(blocks), null);
    }
}
