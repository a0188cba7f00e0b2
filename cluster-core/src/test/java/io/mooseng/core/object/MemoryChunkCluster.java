package io.mooseng.core.object;

import io.mooseng.core.chunk.ChunkClient;
import io.mooseng.core.chunk.ChunkClients;
import io.mooseng.core.error.ErrorCode;
import io.mooseng.core.error.MooseException;
import io.mooseng.core.model.ChunkserverInfo;
import io.mooseng.core.model.ShardId;

import java.nio.ByteBuffer;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.IntStream;

/**
 * Fault-injecting in-memory chunkservers for unit tests of the data path: nodes can be
 * taken down (calls fail as unreachable) and single shards corrupted (reads fail as corrupt,
 * as a real chunkserver's CRC check would).
 */
public final class MemoryChunkCluster implements ChunkClients {
    final Map<String, Node> nodes = new ConcurrentHashMap<>();
    /** Every shard read asked for, in order (a test sees which blocks a reader fetched). */
    private final List<ShardId> reads = new java.util.concurrent.CopyOnWriteArrayList<>();
    /** False: deletes are refused as a chunkserver refuses a gateway's under mutual TLS (and counted). */
    volatile boolean deletesAllowed = true;
    final java.util.concurrent.atomic.AtomicInteger refusedDeletes = new java.util.concurrent.atomic.AtomicInteger();

    public MemoryChunkCluster(int count) {
        IntStream.rangeClosed(1, count).forEach(i -> nodes.put("cs" + i, new Node("cs" + i)));
    }

    public List<ChunkserverInfo> infos() {
        return nodes.keySet().stream().sorted()
                .map(id -> new ChunkserverInfo(id, "mem:" + id, Map.of(), 1L << 40, 0)).toList();
    }

    @Override
    public ChunkClient get(String nodeId) {
        return nodes.get(nodeId);
    }

    @Override
    public boolean mayDelete() {
        return deletesAllowed;
    }

    public long shardCount() {
        return nodes.values().stream().mapToLong(n -> n.shards.size()).sum();
    }

    /** The blocks read from since the last call, and forgets them. */
    public Set<io.mooseng.core.model.BlockId> takeBlocksRead() {
        Set<io.mooseng.core.model.BlockId> blocks = new java.util.HashSet<>();
        for (ShardId s : reads) {
            blocks.add(s.block());
        }
        reads.clear();
        return blocks;
    }

    final class Node implements ChunkClient {
        final String id;
        final Map<ShardId, byte[]> shards = new ConcurrentHashMap<>();
        final Set<ShardId> corrupt = ConcurrentHashMap.newKeySet();
        volatile boolean down;

        Node(String id) {
            this.id = id;
        }

        @Override
        public String nodeId() {
            return id;
        }

        @Override
        public CompletableFuture<Void> writeShard(ShardId shard, ByteBuffer data, int crc32c) {
            if (down) {
                return unreachable();
            }
            byte[] copy = new byte[data.remaining()];
            data.duplicate().get(copy);
            shards.put(shard, copy);
            return CompletableFuture.completedFuture(null);
        }

        @Override
        public CompletableFuture<ByteBuffer> readShard(ShardId shard, long offset, int length) {
            if (down) {
                return unreachable();
            }
            reads.add(shard);
            byte[] b = shards.get(shard);
            if (b == null) {
                return CompletableFuture.failedFuture(new MooseException(ErrorCode.SHARD_NOT_FOUND, shard.toString()));
            }
            if (corrupt.contains(shard)) {
                return CompletableFuture.failedFuture(new MooseException(ErrorCode.SHARD_CORRUPT, shard.toString()));
            }
            int n = (int) Math.min(length, b.length - offset);
            return CompletableFuture.supplyAsync(() -> ByteBuffer.wrap(b, (int) offset, n).slice());
        }

        @Override
        public CompletableFuture<Void> deleteShard(ShardId shard) {
            if (down) {
                return unreachable();
            }
            if (!deletesAllowed) {
                refusedDeletes.incrementAndGet();
                return CompletableFuture.failedFuture(new io.mooseng.core.error.MooseException(
                        io.mooseng.core.error.ErrorCode.PERMISSION_DENIED, "a gateway may not delete shards"));
            }
            shards.remove(shard);
            return CompletableFuture.completedFuture(null);
        }

        @Override
        public CompletableFuture<java.util.List<io.mooseng.core.model.StoredShard>> listShards() {
            if (down) {
                return unreachable();
            }
            return CompletableFuture.completedFuture(shards.entrySet().stream()
                    .map(e -> new io.mooseng.core.model.StoredShard(e.getKey(), e.getValue().length))
                    .sorted(java.util.Comparator.comparing(io.mooseng.core.model.StoredShard::id)).toList());
        }

        @Override
        public CompletableFuture<Void> rebuildShard(io.mooseng.core.chunk.RebuildRequest request) {
            return CompletableFuture.failedFuture(new UnsupportedOperationException("the data-path tests do not rebuild"));
        }

        @Override
        public void close() {
        }

        private <T> CompletableFuture<T> unreachable() {
            return CompletableFuture.failedFuture(new MooseException(ErrorCode.INTERNAL, "chunkserver " + id + " unreachable"));
        }
    }
}
