package io.mooseng.chunkserver.transport;

import io.mooseng.core.chunk.ChunkClient;
import io.mooseng.core.chunk.RebuildRequest;
import io.mooseng.core.memory.LentBytes;
import io.mooseng.core.model.ShardId;
import io.mooseng.core.model.StoredShard;

import java.nio.ByteBuffer;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * A client of a chunkserver that may run in this process: shard writes and reads go to it
 * directly ({@link LocalShards}) while it serves here, else over the transport, which also
 * carries every other call (deletes, inventories, rebuilds). Looked up on each call, so a
 * chunkserver stopped in this process is reached, and found gone, as any other.
 */
final class LocalChunkClient implements ChunkClient {
    private final TcpChunkClient remote;
    private final InProcessChunkservers local;

    LocalChunkClient(TcpChunkClient remote, InProcessChunkservers local) {
        this.remote = remote;
        this.local = local;
    }

    private LocalShards here() {
        return local.find(remote.nodeId());
    }

    @Override
    public String nodeId() {
        return remote.nodeId();
    }

    @Override
    public CompletableFuture<Void> writeShard(ShardId id, ByteBuffer data, int crc32c) {
        LocalShards shards = here();
        return shards != null ? shards.write(id, data, crc32c) : remote.writeShard(id, data, crc32c);
    }

    @Override
    public CompletableFuture<ByteBuffer> readShard(ShardId id, long offset, int length) {
        return readShard(id, offset, length, null);
    }

    @Override
    public CompletableFuture<ByteBuffer> readShard(ShardId id, long offset, int length, ByteBuffer into) {
        LocalShards shards = here();
        return shards != null ? shards.read(id, offset, length, into, false).thenApply(LentBytes::bytes)
                : remote.readShard(id, offset, length, into);
    }

    @Override
    public CompletableFuture<LentBytes> lendShard(ShardId id, long offset, int length) {
        LocalShards shards = here();
        return shards != null ? shards.read(id, offset, length, null, true) : remote.lendShard(id, offset, length);
    }

    @Override
    public CompletableFuture<Void> deleteShard(ShardId id) {
        return remote.deleteShard(id);
    }

    @Override
    public CompletableFuture<List<StoredShard>> listShards() {
        return remote.listShards();
    }

    @Override
    public CompletableFuture<Void> rebuildShard(RebuildRequest request) {
        return remote.rebuildShard(request);
    }

    @Override
    public void close() {
        remote.close();
    }
}
