package io.mooseng.chunkserver.rpc;

import io.mooseng.chunkserver.rpc.proto.ListedShard;
import io.mooseng.chunkserver.rpc.proto.RebuildShardRequest;
import io.mooseng.chunkserver.rpc.proto.ShardKey;
import io.mooseng.core.chunk.RebuildRequest;
import io.mooseng.core.model.BlockId;
import io.mooseng.core.model.ShardId;
import io.mooseng.core.model.StorageClass;
import io.mooseng.core.model.StoredShard;

/** Conversions between the model and the shard service's messages, and their limits. */
public final class ShardMessages {
    /**
     * Default largest gRPC message either end accepts: an 8 MiB shard with room to spare,
     * as a shard travels in one message.
     */
    public static final int DEFAULT_MAX_MESSAGE_BYTES = 16 << 20;
    /** Shards per ListShards message: at most about 40 bytes each, so about 160 KiB a message. */
    public static final int LIST_BATCH_SHARDS = 4096;

    private ShardMessages() {
    }

    static ShardKey toKey(ShardId id) {
        return ShardKey.newBuilder()
                .setBlockHi(id.block().hi())
                .setBlockLo(id.block().lo())
                .setIndex(id.index())
                .build();
    }

    static ShardId fromKey(ShardKey key) {
        return new ShardId(new BlockId(key.getBlockHi(), key.getBlockLo()), key.getIndex());
    }

    static ListedShard toListed(ShardId id, long length) {
        return ListedShard.newBuilder().setId(toKey(id)).setLength(length).build();
    }

    static StoredShard fromListed(ListedShard shard) {
        return new StoredShard(fromKey(shard.getId()), shard.getLength());
    }

    static RebuildShardRequest toRebuild(RebuildRequest r) {
        return RebuildShardRequest.newBuilder()
                .setBlockHi(r.block().hi())
                .setBlockLo(r.block().lo())
                .setStorageClass(r.storageClass().name())
                .setShardSize(r.shardSize())
                .setIndex(r.index())
                .setExpectedCrc32C(r.expectedCrc32c())
                .addAllSources(r.sources())
                .build();
    }

    /**
     * @throws io.mooseng.core.error.MooseException INVALID_STORAGE_CLASS for an unknown class
     * @throws IllegalArgumentException if the sources do not match the class
     */
    static RebuildRequest fromRebuild(RebuildShardRequest r) {
        return new RebuildRequest(new BlockId(r.getBlockHi(), r.getBlockLo()), StorageClass.parse(r.getStorageClass()),
                r.getShardSize(), r.getIndex(), r.getExpectedCrc32C(), r.getSourcesList());
    }
}
