package io.mooseng.core.chunk;

import io.mooseng.core.model.ShardId;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.function.Consumer;

/**
 * A chunkserver's local store of shards.
 *
 * <p>Contract: blocking, thread-safe; call it from worker threads, never an event loop.
 * {@link #put} returns once the shard is durable (concurrent puts share one fsync).
 * Reads verify checksums and throw {@link io.mooseng.core.error.MooseException} with
 * SHARD_CORRUPT on mismatch, SHARD_NOT_FOUND for unknown ids; a full disk throws NO_SPACE.
 */
public interface ShardStore extends AutoCloseable {

    void put(ShardId id, ByteBuffer data) throws IOException;

    /** Bytes [offset, offset+length) of the shard, clipped to its size. */
    ByteBuffer get(ShardId id, long offset, int length) throws IOException;

    /** Size of the shard in bytes, or -1 if absent. */
    long size(ShardId id);

    /** @return whether the shard existed */
    boolean delete(ShardId id) throws IOException;

    /** Calls {@code action} with every shard id held. */
    void forEach(Consumer<ShardId> action);

    /** Bytes used on disk (live and dead) and bytes of live shards. */
    Usage usage();

    @Override
    void close() throws IOException;

    record Usage(long shards, long liveBytes, long diskBytes, long capacityBytes, long freeBytes) {
    }
}
