package io.mooseng.core.chunk;

import io.mooseng.core.memory.LentBytes;
import io.mooseng.core.model.ShardId;
import io.mooseng.core.model.StoredShard;

import java.nio.ByteBuffer;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * A connection to one chunkserver's shard service.
 *
 * <p>Contract: non-blocking, callable from any thread; futures may complete on any
 * thread. Failures complete with a {@link io.mooseng.core.error.MooseException}:
 * SHARD_NOT_FOUND, SHARD_CORRUPT (the bytes do not match the CRC32C stored with them),
 * NO_SPACE, SLOW_DOWN (a write found the chunkserver's receive memory spent for too long),
 * or INTERNAL for transport failures (the chunkserver is unreachable).
 */
public interface ChunkClient extends AutoCloseable {

    /** The chunkserver's id. */
    String nodeId();

    /**
     * Stores a shard; completes once it is durable on the chunkserver's disk. Writing the
     * same id again with the same bytes is harmless (retries are idempotent).
     *
     * @param data   the shard bytes (position..limit); not modified, may be read after return
     *               until the future completes
     * @param crc32c CRC32C of the data, checked by the server before it stores anything
     */
    CompletableFuture<Void> writeShard(ShardId id, ByteBuffer data, int crc32c);

    /** Reads {@code length} bytes at {@code offset} of a shard, verified against the CRC32C stored with them. */
    CompletableFuture<ByteBuffer> readShard(ShardId id, long offset, int length);

    /**
     * Like {@link #readShard(ShardId, long, int)}, but the bytes go into {@code into} (from its
     * position, which is left as it is) when what is sent fits there: a whole shard, or a range
     * widened to whole 64 KiB pieces. The result is then a view of {@code into}, which the
     * caller must leave alone until the future completes; pooled memory read into this way is
     * not zeroed for every read as a fresh array is. A client may ignore {@code into}.
     */
    default CompletableFuture<ByteBuffer> readShard(ShardId id, long offset, int length, ByteBuffer into) {
        return readShard(id, offset, length);
    }

    /**
     * Like {@link #readShard(ShardId, long, int)}, but the bytes may be in memory the transport
     * lends (see {@link LentBytes}): the caller must release them, also when it no longer
     * wants them. A client may return bytes of its own.
     */
    default CompletableFuture<LentBytes> lendShard(ShardId id, long offset, int length) {
        return readShard(id, offset, length).thenApply(LentBytes::owned);
    }

    /** Deletes a shard; deleting a missing shard succeeds. */
    CompletableFuture<Void> deleteShard(ShardId id);

    /** Every shard the chunkserver holds (its inventory, for repair and garbage collection), in shard id order. */
    CompletableFuture<List<StoredShard>> listShards();

    /**
     * Makes the chunkserver fetch or reconstruct a shard from its peers and store it; completes
     * once it is durable there. Fails with DATA_UNAVAILABLE if too few sources answer and
     * SHARD_CORRUPT if the result does not match the expected checksum (nothing is stored).
     */
    CompletableFuture<Void> rebuildShard(RebuildRequest request);

    @Override
    void close();
}
