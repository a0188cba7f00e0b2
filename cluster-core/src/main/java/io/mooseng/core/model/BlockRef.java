package io.mooseng.core.model;

import java.util.List;

/**
 * One immutable block of an object's content as recorded in metadata.
 *
 * @param id          the block id
 * @param length      logical bytes of object content in this block
 * @param storageClass how the block is coded
 * @param shardSize   bytes in every shard (data shards are zero-padded to it)
 * @param shardNodes  chunkserver id holding shard i, for i in 0..shardCount-1
 * @param shardCrcs   CRC32C of shard i's full content, verified end to end on read
 */
public record BlockRef(BlockId id, long length, StorageClass storageClass, int shardSize,
                       List<String> shardNodes, List<Integer> shardCrcs) {
    public BlockRef {
        shardNodes = List.copyOf(shardNodes);
        shardCrcs = List.copyOf(shardCrcs);
        if (shardNodes.size() != storageClass.shardCount() || shardCrcs.size() != storageClass.shardCount()) {
            throw new IllegalArgumentException("block " + id + ": shard lists do not match " + storageClass);
        }
    }
}
