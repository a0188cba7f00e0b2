package io.mooseng.metadata.store;

import io.mooseng.core.error.ErrorCode;
import io.mooseng.core.error.MooseException;
import io.mooseng.core.model.BlockId;
import io.mooseng.core.model.BlockRef;
import io.mooseng.core.model.ObjectManifest;
import io.mooseng.core.model.PartInfo;
import io.mooseng.core.model.ShardId;
import io.mooseng.core.model.ShardMove;
import io.mooseng.metadata.store.KvView.Cursor;
import io.mooseng.metadata.store.NamespaceSchema.BlockRow;
import io.mooseng.metadata.store.NamespaceSchema.Table;
import org.rocksdb.RocksDBException;
import org.rocksdb.RocksIterator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import static io.mooseng.metadata.store.NamespaceSchema.blockKey;

/**
 * The blocks table: every block with its owner, kept in step with the manifests by the tree
 * and the uploads. Moving a shard rewrites the row and the owner's manifest together. Every
 * row change also rewrites the row's entries in the node index ({@code nodeshards}) and the
 * row count, in the same batch: this class is the only writer of all three.
 */
final class BlockIndex {
    private static final Logger LOG = LoggerFactory.getLogger(BlockIndex.class);
    private static final int REBUILD_BATCH = 10_000;
    private final KvView kv;

    BlockIndex(KvView kv) {
        this.kv = kv;
    }

    void add(BlockOwner owner, List<BlockRef> blocks) {
        long added = 0;
        for (BlockRef b : blocks) {
            byte[] key = blockKey(b.id());
            byte[] old = kv.get(Table.BLOCKS, key);
            if (old == null) {
                added++;
            } else {
                // re-owned (a part's block into its object): the row's own nodes leave the index
                unindex(NamespaceSchema.decodeBlock(old).block());
            }
            kv.put(Table.BLOCKS, key, NamespaceSchema.encodeBlock(owner, b));
            index(b);
        }
        count(added);
    }

    /** Removes the rows of these blocks (the rows' own shard nodes leave the node index). */
    void remove(List<BlockRef> blocks) {
        long removed = 0;
        for (BlockRef b : blocks) {
            byte[] key = blockKey(b.id());
            byte[] old = kv.get(Table.BLOCKS, key);
            if (old != null) {
                unindex(NamespaceSchema.decodeBlock(old).block());
                kv.delete(Table.BLOCKS, key);
                removed++;
            }
        }
        count(-removed);
    }

    /** Rows in the table. */
    long count() {
        return NamespaceSchema.decodeCount(kv.get(Table.META, NamespaceSchema.blockCountKey()));
    }

    /**
     * Up to {@code limit} shards the block table places on {@code node} after {@code after}
     * (null: from the first), in shard id order, each with its block's parity shard count.
     */
    List<NodeShard> onNode(String node, ShardId after, int limit) {
        byte[] prefix = NamespaceSchema.nodeShardPrefix(node);
        byte[] from = after == null ? prefix : NamespaceSchema.nodeShardKey(node, after);
        List<NodeShard> out = new ArrayList<>(Math.min(limit, 4096));
        try (Cursor c = kv.seek(Table.NODESHARDS, from)) {
            if (after != null && c.valid() && java.util.Arrays.equals(c.key(), from)) {
                c.next();
            }
            for (; c.valid() && out.size() < limit && NamespaceSchema.startsWith(c.key(), prefix); c.next()) {
                out.add(new NodeShard(NamespaceSchema.nodeShard(c.key()), NamespaceSchema.decodeNodeShard(c.value())));
            }
        }
        return out;
    }

    /**
     * Builds the node index and the row count from the block table, for a store written before
     * they existed (or a rebuild cut short by a crash: the marker is written last). Runs at open,
     * before any entry is applied, in batches of {@value #REBUILD_BATCH} rows.
     */
    static void rebuild(NamespaceDb db) {
        long rows = 0;
        try {
            db.db().deleteRange(db.handle(Table.NODESHARDS), new byte[0], new byte[]{(byte) 0xFF});
        } catch (RocksDBException e) {
            throw new StoreFailure("clearing the node index failed", e);
        }
        try (RocksIterator it = db.db().newIterator(db.handle(Table.BLOCKS), db.readOptions())) {
            it.seekToFirst();
            while (it.isValid()) {
                try (BatchView batch = new BatchView(db)) {
                    BlockIndex index = new BlockIndex(batch);
                    for (int n = 0; n < REBUILD_BATCH && it.isValid(); n++, it.next()) {
                        index.index(NamespaceSchema.decodeBlock(it.value()).block());
                        rows++;
                    }
                    batch.commit();
                }
            }
        }
        try (BatchView batch = new BatchView(db)) {
            batch.put(Table.META, NamespaceSchema.blockCountKey(), NamespaceSchema.encodeCount(rows));
            batch.put(Table.META, NamespaceSchema.nodeShardsBuiltKey(), new byte[]{NamespaceSchema.VALUE_VERSION});
            batch.commit();
        }
        if (rows > 0) {
            LOG.info("node index rebuilt from the block table: blocks={}", rows);
        }
    }

    private void index(BlockRef b) {
        byte[] value = NamespaceSchema.encodeNodeShard(b.storageClass().parityShards());
        for (int i = 0; i < b.shardNodes().size(); i++) {
            kv.put(Table.NODESHARDS, NamespaceSchema.nodeShardKey(b.shardNodes().get(i), new ShardId(b.id(), i)), value);
        }
    }

    private void unindex(BlockRef b) {
        for (int i = 0; i < b.shardNodes().size(); i++) {
            kv.delete(Table.NODESHARDS, NamespaceSchema.nodeShardKey(b.shardNodes().get(i), new ShardId(b.id(), i)));
        }
    }

    private void count(long delta) {
        if (delta != 0) {
            kv.put(Table.META, NamespaceSchema.blockCountKey(), NamespaceSchema.encodeCount(count() + delta));
        }
    }

    Optional<BlockRef> get(BlockId id) {
        byte[] v = kv.get(Table.BLOCKS, blockKey(id));
        return v == null ? Optional.empty() : Optional.of(NamespaceSchema.decodeBlock(v).block());
    }

    /** Up to {@code limit} blocks after {@code after} (null: from the first), in id order. */
    List<BlockRef> scan(BlockId after, int limit) {
        List<BlockRef> out = new ArrayList<>(Math.min(limit, 4096));
        byte[] from = after == null ? new byte[0] : blockKey(after);
        try (Cursor c = kv.seek(Table.BLOCKS, from)) {
            if (after != null && c.valid() && java.util.Arrays.equals(c.key(), from)) {
                c.next();
            }
            for (; c.valid() && out.size() < limit; c.next()) {
                out.add(NamespaceSchema.decodeBlock(c.value()).block());
            }
        }
        return out;
    }

    /**
     * Points shards of a block at other chunkservers. Fails with NO_SUCH_BLOCK if the block is
     * gone (deleted or re-coded meanwhile) and CONFLICT if a shard is no longer where the move
     * says it comes from: the caller's view was stale and the move must not be applied.
     */
    void move(BlockId id, List<ShardMove> moves) {
        byte[] v = kv.get(Table.BLOCKS, blockKey(id));
        if (v == null) {
            throw new MooseException(ErrorCode.NO_SUCH_BLOCK, "block " + id + " no longer exists");
        }
        BlockRow row = NamespaceSchema.decodeBlock(v);
        List<String> nodes = new ArrayList<>(row.block().shardNodes());
        for (ShardMove m : moves) {
            if (m.index() < 0 || m.index() >= nodes.size() || !nodes.get(m.index()).equals(m.fromNode())) {
                throw new MooseException(ErrorCode.CONCURRENT_CHANGE, "shard " + id + "/" + m.index() + " is not on " + m.fromNode());
            }
            if (nodes.contains(m.toNode())) {
                throw new MooseException(ErrorCode.CONCURRENT_CHANGE, "block " + id + " already has a shard on " + m.toNode());
            }
            nodes.set(m.index(), m.toNode());
        }
        BlockRef b = row.block();
        BlockRef moved = new BlockRef(b.id(), b.length(), b.storageClass(), b.shardSize(), nodes, b.shardCrcs());
        kv.put(Table.BLOCKS, blockKey(id), NamespaceSchema.encodeBlock(row.owner(), moved));
        unindex(b);
        index(moved);
        if (row.owner() instanceof BlockOwner.Inode owner) {
            byte[] key = NamespaceSchema.inodeKey(owner.inode());
            InodeRecord rec = NamespaceSchema.decodeInode(kv.get(Table.INODES, key));
            kv.put(Table.INODES, key, NamespaceSchema.encodeInode(InodeRecord.file(replace(rec.manifest(), moved))));
        } else if (row.owner() instanceof BlockOwner.Part owner) {
            PartInfo p = NamespaceSchema.decodePart(kv.get(Table.PARTS, owner.partKey()));
            PartInfo updated = new PartInfo(p.partNumber(), p.size(), p.etag(), p.mtimeMillis(), replace(p.manifest(), moved));
            kv.put(Table.PARTS, owner.partKey(), NamespaceSchema.encodePart(updated));
        }
    }

    private static ObjectManifest replace(ObjectManifest m, BlockRef moved) {
        List<BlockRef> blocks = new ArrayList<>(m.blocks());
        blocks.replaceAll(b -> b.id().equals(moved.id()) ? moved : b);
        return m.withBlocks(m.storageClass(), blocks);
    }
}
