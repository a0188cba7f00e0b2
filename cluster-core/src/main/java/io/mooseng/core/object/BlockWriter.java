package io.mooseng.core.object;

import io.mooseng.core.chunk.ChunkClients;
import io.mooseng.core.chunk.ChunkserverDirectory;
import io.mooseng.core.chunk.ec.ErasureCodecs;
import io.mooseng.core.error.ErrorCode;
import io.mooseng.core.error.MooseException;
import io.mooseng.core.model.BlockId;
import io.mooseng.core.model.BlockRef;
import io.mooseng.core.model.ChunkserverInfo;
import io.mooseng.core.model.ShardId;
import io.mooseng.core.model.StorageClass;
import io.mooseng.core.placement.PlacementPolicy;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.zip.CRC32C;

/**
 * The stripe writer: codes one block into its shards and stores each on its own chunkserver.
 * A block is acknowledged only when every shard is durable, so a committed block survives
 * the loss of any {@code m} chunkservers. A shard whose chunkserver fails is retried on
 * another live chunkserver that holds no shard of the block yet.
 */
final class BlockWriter {
    private static final int MAX_ATTEMPTS_PER_SHARD = 3;

    private final ChunkClients clients;
    private final ChunkserverDirectory directory;
    private final PlacementPolicy placement;
    private final Executor codingPool;
    private final ShardReclaimer reclaimer;

    BlockWriter(ChunkClients clients, ChunkserverDirectory directory, PlacementPolicy placement, Executor codingPool) {
        this.clients = clients;
        this.directory = directory;
        this.placement = placement;
        this.codingPool = codingPool;
        this.reclaimer = new ShardReclaimer(clients);
    }

    /**
     * @param data   k data shards (1 for replicated classes), each at least shardSize bytes,
     *               zero beyond the block's content; parity is computed here
     * @param length bytes of content in the block
     */
    CompletableFuture<BlockRef> write(BlockId id, StorageClass sc, byte[][] data, long length) {
        int shardSize = io.mooseng.core.chunk.ShardLayout.shardSize(sc, length);
        CompletableFuture<byte[][]> coded = CompletableFuture.supplyAsync(() -> code(sc, data, shardSize), codingPool);
        return coded.thenCombine(directory.live(), (shards, live) -> new Stripe(id, sc, shards, shardSize, live))
                .thenCompose(stripe -> stripe.store(length));
    }

    private static byte[][] code(StorageClass sc, byte[][] data, int shardSize) {
        byte[][] shards = new byte[sc.shardCount()][];
        if (sc.kind() == StorageClass.Kind.REPLICATED) {
            Arrays.fill(shards, data[0]);
            return shards;
        }
        System.arraycopy(data, 0, shards, 0, sc.dataShards());
        for (int i = sc.dataShards(); i < shards.length; i++) {
            shards[i] = new byte[shardSize];
        }
        ErasureCodecs.of(sc.dataShards(), sc.parityShards()).encodeParity(shards, 0, shardSize);
        return shards;
    }

    private static int crc32c(byte[] shard, int length) {
        CRC32C crc = new CRC32C();
        crc.update(shard, 0, length);
        return (int) crc.getValue();
    }

    /** One block on its way to the chunkservers; tracks which nodes already hold a shard. */
    private final class Stripe {
        private final BlockId id;
        private final StorageClass sc;
        private final byte[][] shards;
        private final int shardSize;
        private final List<ChunkserverInfo> live;
        private final String[] nodes;
        private final Set<String> tried = new HashSet<>();

        Stripe(BlockId id, StorageClass sc, byte[][] shards, int shardSize, List<ChunkserverInfo> live) {
            this.id = id;
            this.sc = sc;
            this.shards = shards;
            this.shardSize = shardSize;
            this.live = live;
            List<ChunkserverInfo> chosen = placement.place(id, sc.shardCount(), live);
            this.nodes = chosen.stream().map(ChunkserverInfo::id).toArray(String[]::new);
            tried.addAll(List.of(nodes));
        }

        CompletableFuture<BlockRef> store(long length) {
            int crcOfCopy = sc.kind() == StorageClass.Kind.REPLICATED ? crc32c(shards[0], shardSize) : 0;
            List<Integer> crcs = new ArrayList<>(shards.length);
            CompletableFuture<?>[] writes = new CompletableFuture<?>[shards.length];
            for (int i = 0; i < shards.length; i++) {
                int crc = sc.kind() == StorageClass.Kind.REPLICATED ? crcOfCopy : crc32c(shards[i], shardSize);
                crcs.add(crc);
                writes[i] = writeShard(i, crc, 1);
            }
            return CompletableFuture.allOf(writes).handle((v, e) -> {
                if (e != null) {
                    reclaimWritten(writes);
                    throw MooseException.of(e);
                }
                return new BlockRef(id, length, sc, shardSize, List.of(nodes), crcs);
            });
        }

        private CompletableFuture<Void> writeShard(int index, int crc, int attempt) {
            String node = currentNode(index);
            ByteBuffer buf = ByteBuffer.wrap(shards[index], 0, shardSize);
            return clients.get(node).writeShard(new ShardId(id, index), buf, crc)
                    .thenRun(() -> directory.reachable(node))
                    .exceptionallyCompose(e -> {
                        MooseException err = MooseException.of(e);
                        if (attempt >= MAX_ATTEMPTS_PER_SHARD || !retryable(err.code())) {
                            return CompletableFuture.failedFuture(err);
                        }
                        directory.suspect(node);
                        String next = replace(index);
                        if (next == null) {
                            return CompletableFuture.failedFuture(new MooseException(ErrorCode.INSUFFICIENT_CHUNKSERVERS,
                                    "no chunkserver left for shard " + index + " of block " + id + " after: " + err.getMessage(), err));
                        }
                        return writeShard(index, crc, attempt + 1);
                    });
        }

        private synchronized String currentNode(int index) {
            return nodes[index];
        }

        /** Picks, by placement among the untried live nodes, a new home for one shard. */
        private synchronized String replace(int index) {
            List<ChunkserverInfo> spare = live.stream().filter(cs -> !tried.contains(cs.id())).toList();
            if (spare.isEmpty()) {
                return null;
            }
            String next = placement.place(id, 1, spare).get(0).id();
            tried.add(next);
            nodes[index] = next;
            return next;
        }

        private void reclaimWritten(CompletableFuture<?>[] writes) {
            for (int i = 0; i < writes.length; i++) {
                if (!writes[i].isCompletedExceptionally()) {
                    reclaimer.reclaim(new ShardId(id, i), currentNode(i));
                }
            }
        }
    }

    private static boolean retryable(ErrorCode code) {
        return code == ErrorCode.INTERNAL || code == ErrorCode.NO_SPACE;
    }
}
