package io.mooseng.core.chunk;

import io.mooseng.core.error.ErrorCode;
import io.mooseng.core.error.MooseException;
import io.mooseng.core.memory.LentBytes;
import io.mooseng.core.model.ShardId;
import io.mooseng.core.model.StoredShard;

import java.nio.ByteBuffer;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;

/**
 * Chunk clients for ids the directory may not know yet: a chunkserver added after the last
 * refresh (repair and rebalancing move shards onto new machines, and a reader must follow).
 * For an unknown id the call first refreshes the directory, without blocking the caller, and
 * fails as unreachable only if the registry does not know the id either.
 */
public final class RefreshingChunkClients implements ChunkClients {
    private final ChunkClients pool;
    private final ChunkserverDirectory directory;

    /** @param pool clients by id, resolving addresses through {@code directory} */
    public RefreshingChunkClients(ChunkClients pool, ChunkserverDirectory directory) {
        this.pool = pool;
        this.directory = directory;
    }

    @Override
    public ChunkClient get(String nodeId) {
        return directory.addressOf(nodeId).isPresent() ? pool.get(nodeId) : new AfterRefresh(nodeId);
    }

    @Override
    public boolean mayDelete() {
        return pool.mayDelete();
    }

    /** Defers every call until the directory has been refreshed. */
    private final class AfterRefresh implements ChunkClient {
        private final String nodeId;

        AfterRefresh(String nodeId) {
            this.nodeId = nodeId;
        }

        private <T> CompletableFuture<T> then(Function<ChunkClient, CompletableFuture<T>> call) {
            return directory.refresh().thenCompose(known -> {
                if (!known.containsKey(nodeId)) {
                    return CompletableFuture.failedFuture(new MooseException(ErrorCode.INTERNAL, "unknown chunkserver " + nodeId));
                }
                return call.apply(pool.get(nodeId));
            });
        }

        @Override
        public String nodeId() {
            return nodeId;
        }

        @Override
        public CompletableFuture<Void> writeShard(ShardId id, ByteBuffer data, int crc32c) {
            return then(c -> c.writeShard(id, data, crc32c));
        }

        @Override
        public CompletableFuture<ByteBuffer> readShard(ShardId id, long offset, int length) {
            return then(c -> c.readShard(id, offset, length));
        }

        @Override
        public CompletableFuture<ByteBuffer> readShard(ShardId id, long offset, int length, ByteBuffer into) {
            return then(c -> c.readShard(id, offset, length, into));
        }

        @Override
        public CompletableFuture<LentBytes> lendShard(ShardId id, long offset, int length) {
            return then(c -> c.lendShard(id, offset, length));
        }

        @Override
        public CompletableFuture<Void> deleteShard(ShardId id) {
            return then(c -> c.deleteShard(id));
        }

        @Override
        public CompletableFuture<List<StoredShard>> listShards() {
            return then(ChunkClient::listShards);
        }

        @Override
        public CompletableFuture<Void> rebuildShard(RebuildRequest request) {
            return then(c -> c.rebuildShard(request));
        }

        @Override
        public void close() {
            // owns no connection
        }
    }
}
