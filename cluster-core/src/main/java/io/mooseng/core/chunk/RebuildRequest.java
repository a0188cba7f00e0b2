package io.mooseng.core.chunk;

import io.mooseng.core.model.BlockId;
import io.mooseng.core.model.ShardId;
import io.mooseng.core.model.StorageClass;

import java.util.List;

/**
 * Asks a chunkserver to make shard {@code index} of a block its own: copied from the
 * source given for that same index (a move), else rebuilt from the other sources (any copy
 * of a replicated block, any k shards of an erasure-coded one). The chunkserver stores it
 * only if its CRC32C equals {@code expectedCrc32c}, the checksum recorded at write time, so
 * a rebuilt shard is byte-identical to the lost one.
 *
 * @param sources host:port of the chunkserver holding shard j, for j in 0..shardCount-1;
 *                "" where that shard is unavailable
 */
public record RebuildRequest(BlockId block, StorageClass storageClass, int shardSize, int index, int expectedCrc32c,
                             List<String> sources) {
    public RebuildRequest {
        sources = List.copyOf(sources);
        if (sources.size() != storageClass.shardCount() || index < 0 || index >= storageClass.shardCount()) {
            throw new IllegalArgumentException("rebuild of " + block + "/" + index + ": sources do not match " + storageClass);
        }
    }

    public ShardId shard() {
        return new ShardId(block, index);
    }
}
