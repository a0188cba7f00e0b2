package io.mooseng.metadata.store;

import io.mooseng.core.model.ShardId;

/** A shard the block table places on a chunkserver, with its block's parity shard count (how many losses it survives). */
public record NodeShard(ShardId shard, int parityShards) {
}
