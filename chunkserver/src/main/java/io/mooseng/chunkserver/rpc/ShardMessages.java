package io.mooseng.chunkserver.rpc;

import io.mooseng.chunkserver.rpc.proto.ShardKey;
import io.mooseng.core.model.BlockId;
import io.mooseng.core.model.ShardId;

/** Conversions between the model and the shard service's messages, and their limits. */
public final class ShardMessages {
    /**
     * Default largest gRPC message either end accepts: an 8 MiB shard with room to spare,
     * as a shard travels in one message.
     */
    public static final int DEFAULT_MAX_MESSAGE_BYTES = 16 << 20;

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
}
