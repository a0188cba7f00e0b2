package io.mooseng.core.model;

/** A shard as a chunkserver holds it: its id and its length in bytes. */
public record StoredShard(ShardId id, long length) {
}
