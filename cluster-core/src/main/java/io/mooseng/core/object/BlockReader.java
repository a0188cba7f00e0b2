package io.mooseng.core.object;

import io.mooseng.core.chunk.ChunkClient;
import io.mooseng.core.chunk.ChunkClients;
import io.mooseng.core.chunk.ChunkserverDirectory;
import io.mooseng.core.chunk.ReadsOnCaller;
import io.mooseng.core.chunk.ShardLayout;
import io.mooseng.core.chunk.SurvivorFetch;
import io.mooseng.core.chunk.ec.ErasureCodecs;
import io.mooseng.core.error.ErrorCode;
import io.mooseng.core.error.MooseException;
import io.mooseng.core.memory.LentBytes;
import io.mooseng.core.model.BlockRef;
import io.mooseng.core.model.ShardId;
import io.mooseng.core.model.StorageClass;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.function.Function;
import java.util.stream.IntStream;

/**
 * The stripe reader: reads a byte range of one block. The healthy path fetches only the
 * data shards the range covers. If any of them fails (chunkserver down, shard missing or
 * corrupt), the same shard-relative range is fetched from k shards ({@link SurvivorFetch},
 * as repair does) and the lost data shards are decoded from them.
 */
final class BlockReader {
    private static final Logger LOG = LoggerFactory.getLogger(BlockReader.class);

    /** Where a shard found missing or corrupt is reported, for repair (the leader's queue). */
    @FunctionalInterface
    interface DamageReports {
        void damaged(ShardId shard);
    }

    private final ChunkClients clients;
    private final ChunkserverDirectory directory;
    private final Executor codingPool;
    private final DamageReports damage;

    BlockReader(ChunkClients clients, ChunkserverDirectory directory, Executor codingPool, DamageReports damage) {
        this.clients = clients;
        this.directory = directory;
        this.codingPool = codingPool;
        this.damage = damage;
    }

    /**
     * Bytes [offset, offset+length) of the block, in order, as one or more buffers; the healthy
     * path's are lent by the transport, and the caller releases every one.
     */
    CompletableFuture<List<LentBytes>> read(BlockRef block, long offset, int length) {
        if (length == 0) {
            return CompletableFuture.completedFuture(List.of());
        }
        if (block.storageClass().kind() == StorageClass.Kind.REPLICATED) {
            return readCopy(block, offset, length, 0).thenApply(List::of);
        }
        return readData(block, offset, length);
    }

    /** Tries each copy in turn, starting at {@code first}. */
    private CompletableFuture<LentBytes> readCopy(BlockRef block, long offset, int length, int attempt) {
        int copies = block.shardNodes().size();
        int index = attempt % copies;
        return lend(block, index, offset, length).exceptionallyCompose(e -> {
            if (attempt + 1 >= copies) {
                return CompletableFuture.failedFuture(unavailable(block, e));
            }
            return readCopy(block, offset, length, attempt + 1);
        });
    }

    private CompletableFuture<List<LentBytes>> readData(BlockRef block, long offset, int length) {
        StorageClass sc = block.storageClass();
        int size = block.shardSize();
        int first = ShardLayout.dataShardOf(sc, size, offset);
        int last = ShardLayout.dataShardOf(sc, size, offset + length - 1);
        List<CompletableFuture<LentBytes>> parts = new ArrayList<>();
        for (int i = first; i <= last; i++) {
            long start = Math.max(offset, ShardLayout.dataShardStart(sc, size, i));
            long end = Math.min(offset + length, ShardLayout.dataShardStart(sc, size, i) + size);
            parts.add(lend(block, i, start - ShardLayout.dataShardStart(sc, size, i), (int) (end - start)));
        }
        return CompletableFuture.allOf(parts.toArray(CompletableFuture[]::new))
                .thenApply(v -> parts.stream().map(CompletableFuture::join).toList())
                .exceptionallyCompose(e -> {
                    Set<Integer> failed = new HashSet<>();
                    for (int i = first; i <= last; i++) {
                        CompletableFuture<LentBytes> part = parts.get(i - first);
                        if (part.isCompletedExceptionally()) {
                            failed.add(i);
                        } else {
                            // the degraded read fetches its own: give these back
                            part.join().release();
                        }
                    }
                    return readDegraded(block, offset, length, first, last, failed);
                });
    }

    /**
     * Decodes the range from any k shards (data shards first, the ones that just failed last,
     * each failed read replaced by the next shard): the union of the needed shard-relative ranges.
     */
    private CompletableFuture<List<LentBytes>> readDegraded(BlockRef block, long offset, int length, int first, int last,
                                                             Set<Integer> failed) {
        StorageClass sc = block.storageClass();
        int size = block.shardSize();
        // one shard: just its sub-range; several: the middle ones are whole, so take whole shards
        int lo = first == last ? (int) (offset - ShardLayout.dataShardStart(sc, size, first)) : 0;
        int hi = first == last ? lo + length : size;
        int span = hi - lo;
        List<Integer> order = IntStream.range(0, sc.shardCount()).boxed()
                .sorted(Comparator.comparing(failed::contains)).toList();
        // the k reads at once, not one after another on a thread that reads on its own
        return ReadsOnCaller.inParallel(() -> SurvivorFetch.fetch(block.id(), span, block.shardNodes(), order, sc.dataShards(),
                        i -> fetch(block, i, lo, span)))
                .thenApplyAsync(fetched -> decode(block, fetched, span, first, last), codingPool)
                .thenApply(shards -> slice(block, shards, lo, offset, length, first, last));
    }

    /** The data shards {@code first..last} over the span: fetched, or decoded (only those). */
    private static byte[][] decode(BlockRef block, Map<Integer, ByteBuffer> fetched, int span, int first, int last) {
        StorageClass sc = block.storageClass();
        byte[][] shards = new byte[sc.shardCount()][];
        boolean[] present = new boolean[shards.length];
        boolean[] wanted = new boolean[shards.length];
        for (int i = 0; i < shards.length; i++) {
            present[i] = fetched.containsKey(i);
            wanted[i] = !present[i] && i >= first && i <= last;
            shards[i] = present[i] ? bytes(fetched.get(i)) : wanted[i] ? new byte[span] : null;
        }
        LOG.warn("degraded read: block={} decoded from shards {}", block.id(), fetched.keySet());
        ErasureCodecs.of(sc.dataShards(), sc.parityShards()).reconstruct(shards, present, wanted, 0, span);
        return shards;
    }

    /** The bytes of a reply, without a copy when it is a whole heap array (as TcpChunkClient's are). */
    private static byte[] bytes(ByteBuffer data) {
        if (data.hasArray() && data.arrayOffset() == 0 && data.position() == 0 && data.remaining() == data.array().length) {
            return data.array();
        }
        byte[] copy = new byte[data.remaining()];
        data.duplicate().get(copy);
        return copy;
    }

    /** Cuts the requested block range out of decoded shard spans starting at shard offset {@code from}. */
    private static List<LentBytes> slice(BlockRef block, byte[][] shards, int from, long offset, int length, int first, int last) {
        StorageClass sc = block.storageClass();
        int size = block.shardSize();
        List<LentBytes> out = new ArrayList<>(last - first + 1);
        for (int i = first; i <= last; i++) {
            long shardStart = ShardLayout.dataShardStart(sc, size, i);
            long start = Math.max(offset, shardStart);
            long end = Math.min(offset + length, shardStart + size);
            out.add(LentBytes.owned(ByteBuffer.wrap(shards[i], (int) (start - shardStart - from), (int) (end - start))));
        }
        return out;
    }

    /** A shard range into memory the caller owns (the degraded path decodes from it). */
    private CompletableFuture<ByteBuffer> fetch(BlockRef block, int index, long offset, int length) {
        return watched(block, index, c -> c.readShard(new ShardId(block.id(), index), offset, length));
    }

    /** A shard range into memory the transport lends. */
    private CompletableFuture<LentBytes> lend(BlockRef block, int index, long offset, int length) {
        return watched(block, index, c -> c.lendShard(new ShardId(block.id(), index), offset, length));
    }

    /** A read of shard {@code index}, its failure reported: a suspect chunkserver, or damage for repair. */
    private <T> CompletableFuture<T> watched(BlockRef block, int index, Function<ChunkClient, CompletableFuture<T>> read) {
        String node = block.shardNodes().get(index);
        ShardId shard = new ShardId(block.id(), index);
        CompletableFuture<T> f;
        try {
            f = read.apply(clients.get(node));
        } catch (RuntimeException e) {
            f = CompletableFuture.failedFuture(e);
        }
        return f.whenComplete((b, e) -> {
            if (e == null) {
                return;
            }
            MooseException err = MooseException.of(e);
            if (err.code() == ErrorCode.INTERNAL) {
                directory.suspect(node);
            } else if (err.code() == ErrorCode.SHARD_NOT_FOUND || err.code() == ErrorCode.SHARD_CORRUPT) {
                damage.damaged(shard);
            }
            LOG.debug("shard read failed: shard={} node={} cause={}", shard, node, err.toString());
        });
    }

    private static MooseException unavailable(BlockRef block, Throwable cause) {
        return new MooseException(ErrorCode.DATA_UNAVAILABLE, "no readable copy of block " + block.id(), MooseException.of(cause));
    }
}
