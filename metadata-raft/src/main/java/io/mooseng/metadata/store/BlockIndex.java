package io.mooseng.metadata.store;

import io.mooseng.core.error.ErrorCode;
import io.mooseng.core.error.MooseException;
import io.mooseng.core.model.BlockId;
import io.mooseng.core.model.BlockRef;
import io.mooseng.core.model.ObjectManifest;
import io.mooseng.core.model.PartInfo;
import io.mooseng.core.model.ShardMove;
import io.mooseng.metadata.store.KvView.Cursor;
import io.mooseng.metadata.store.NamespaceSchema.BlockRow;
import io.mooseng.metadata.store.NamespaceSchema.Table;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import static io.mooseng.metadata.store.NamespaceSchema.blockKey;

/**
 * The blocks table: every block with its owner, kept in step with the manifests by the tree
 * and the uploads. Moving a shard rewrites the row and the owner's manifest together.
 */
final class BlockIndex {
    private final KvView kv;

    BlockIndex(KvView kv) {
        this.kv = kv;
    }

    void add(BlockOwner owner, List<BlockRef> blocks) {
        for (BlockRef b : blocks) {
            kv.put(Table.BLOCKS, blockKey(b.id()), NamespaceSchema.encodeBlock(owner, b));
        }
    }

    void remove(List<BlockRef> blocks) {
        for (BlockRef b : blocks) {
            kv.delete(Table.BLOCKS, blockKey(b.id()));
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
