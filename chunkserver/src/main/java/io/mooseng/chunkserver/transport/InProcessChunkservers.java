package io.mooseng.chunkserver.transport;

/** The chunkservers running in this process, by id: whose shards a client may read and write without a connection. */
@FunctionalInterface
public interface InProcessChunkservers {
    /** The shard calls of chunkserver {@code nodeId} if it runs (and serves) in this process, else null. */
    LocalShards find(String nodeId);
}
