package io.mooseng.chunkserver.transport;

import io.mooseng.chunkserver.transport.proto.ListedShard;
import io.mooseng.chunkserver.transport.proto.RebuildShardRequest;
import io.mooseng.chunkserver.transport.proto.ShardKey;
import io.mooseng.chunkserver.transport.proto.StatsReply;
import io.mooseng.core.chunk.RebuildRequest;
import io.mooseng.core.chunk.ShardStore;
import io.mooseng.core.model.BlockId;
import io.mooseng.core.model.ShardId;
import io.mooseng.core.model.StorageClass;
import io.mooseng.core.model.StoredShard;

/** Conversions between the model and the control messages of the shard transport. */
final class ShardMessages {
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

    static StatsReply toStats(String nodeId, ShardStore.Usage u) {
        return StatsReply.newBuilder().setNodeId(nodeId).setShards(u.shards()).setLiveBytes(u.liveBytes())
                .setDiskBytes(u.diskBytes()).setCapacityBytes(u.capacityBytes()).setFreeBytes(u.freeBytes()).build();
    }

    static ShardStore.Usage fromStats(StatsReply r) {
        return new ShardStore.Usage(r.getShards(), r.getLiveBytes(), r.getDiskBytes(), r.getCapacityBytes(), r.getFreeBytes());
    }
}
