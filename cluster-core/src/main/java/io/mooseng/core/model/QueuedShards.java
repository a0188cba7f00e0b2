package io.mooseng.core.model;

/**
 * How far the leader queued a lost chunkserver's shards for repair, from its node index.
 *
 * @param after  the last shard queued (null: none yet); the next step resumes after it
 * @param queued blocks queued by this step
 * @param done   every shard the node index places on the chunkserver is queued
 */
public record QueuedShards(ShardId after, int queued, boolean done) {
}
