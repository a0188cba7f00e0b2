package io.mooseng.core.chunk;

import io.mooseng.core.model.StorageClass;

/**
 * Where a block's bytes sit in its shards. A replicated block has whole copies; an
 * erasure-coded block of length L is cut into k contiguous data shards of
 * ceil(L / k) bytes (the last zero-padded), so a byte range of the block maps to a
 * few data shards and a small read touches only those.
 */
public final class ShardLayout {
    private ShardLayout() {
    }

    public static int shardSize(StorageClass sc, long blockLength) {
        long size = sc.kind() == StorageClass.Kind.REPLICATED ? blockLength
                : (blockLength + sc.dataShards() - 1) / sc.dataShards();
        return Math.toIntExact(size);
    }

    /** Index of the data shard holding block byte {@code pos} (0 for replicated blocks). */
    public static int dataShardOf(StorageClass sc, int shardSize, long pos) {
        return sc.kind() == StorageClass.Kind.REPLICATED ? 0 : (int) (pos / shardSize);
    }

    /** Offset within the block of data shard {@code i}'s first byte. */
    public static long dataShardStart(StorageClass sc, int shardSize, int i) {
        return sc.kind() == StorageClass.Kind.REPLICATED ? 0 : (long) i * shardSize;
    }
}
