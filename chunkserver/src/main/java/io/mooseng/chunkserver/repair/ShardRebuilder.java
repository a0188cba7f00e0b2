package io.mooseng.chunkserver.repair;

import io.mooseng.chunkserver.store.SegmentShardStore;
import io.mooseng.core.chunk.ChunkClients;
import io.mooseng.core.chunk.SurvivorFetch;
import io.mooseng.core.chunk.RebuildRequest;
import io.mooseng.core.chunk.ec.ErasureCodecs;
import io.mooseng.core.error.ErrorCode;
import io.mooseng.core.error.MooseException;
import io.mooseng.core.model.ShardId;
import io.mooseng.core.model.StorageClass;
import io.vertx.core.WorkerExecutor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.stream.IntStream;
import java.util.zip.CRC32C;

/**
 * Makes a shard of a block this chunkserver's own (see {@link RebuildRequest}): copies it from
 * the source of its own index (a move), else from any copy of a replicated block, else decodes
 * it from k shards of an erasure-coded one. Shards are fetched whole from the peers
 * ({@link SurvivorFetch}); decoding, checksumming and storing run on the worker pool.
 *
 * <p>Nothing is stored unless the result's CRC32C is the expected one. At most
 * {@value #MAX_RUNNING} rebuilds run at once, as each holds up to a whole stripe in memory
 * (k + m shards); up to {@value #MAX_WAITING} more wait their turn, further ones are refused.
 */
public final class ShardRebuilder {
    static final int MAX_RUNNING = 4;
    static final int MAX_WAITING = 64;
    private static final Logger log = LoggerFactory.getLogger(ShardRebuilder.class);

    private final String nodeId;
    private final SegmentShardStore store;
    private final WorkerExecutor io;
    private final ChunkClients peers;
    private final ConcurrencyLimit limit;

    /**
     * @param io    the worker pool for decoding and store calls
     * @param peers clients of the other chunkservers, by host:port
     */
    public ShardRebuilder(String nodeId, SegmentShardStore store, WorkerExecutor io, ChunkClients peers) {
        this.nodeId = nodeId;
        this.store = store;
        this.io = io;
        this.peers = peers;
        this.limit = new ConcurrencyLimit("rebuilds on chunkserver " + nodeId, MAX_RUNNING, MAX_WAITING);
    }

    /**
     * Completes once the shard is durable here; fails with DATA_UNAVAILABLE if too few sources
     * answer and SHARD_CORRUPT if the result does not match the expected CRC32C.
     */
    public CompletableFuture<Void> rebuild(RebuildRequest request) {
        if (request.shardSize() < 0) {
            return CompletableFuture.failedFuture(new IllegalArgumentException("negative shard size: " + request.shardSize()));
        }
        return limit.submit(() -> rebuildNow(request));
    }

    private CompletableFuture<Void> rebuildNow(RebuildRequest request) {
        long started = System.nanoTime();
        return gather(request)
                .thenCompose(fetched -> this.<Void>onWorker(() -> {
                    store(request, assemble(request, fetched));
                    return null;
                }))
                .whenComplete((done, failure) -> {
                    long millis = (System.nanoTime() - started) / 1_000_000;
                    if (failure == null) {
                        log.debug("rebuilt shard={} class={} bytes={} node={} millis={}",
                                request.shard(), request.storageClass(), request.shardSize(), nodeId, millis);
                    } else {
                        log.warn("rebuild failed: shard={} class={} node={} millis={} cause={}",
                                request.shard(), request.storageClass(), nodeId, millis, MooseException.of(failure).toString());
                    }
                });
    }

    /** The shard itself when its source is given, else the shards it can be rebuilt from. */
    private CompletableFuture<Map<Integer, byte[]>> gather(RebuildRequest r) {
        List<String> sources = r.sources();
        SurvivorFetch.ShardRead whole = j -> peers.get(sources.get(j)).readShard(new ShardId(r.block(), j), 0, r.shardSize());
        if (!sources.get(r.index()).isEmpty()) {
            return SurvivorFetch.fetch(r.block(), r.shardSize(), sources, List.of(r.index()), 1, whole);
        }
        // data shards first: decoding from them alone costs the least
        List<Integer> others = IntStream.range(0, sources.size()).filter(j -> !sources.get(j).isEmpty()).boxed().toList();
        // a replicated class has one "data shard": any copy will do
        return SurvivorFetch.fetch(r.block(), r.shardSize(), sources, others, r.storageClass().dataShards(), whole);
    }

    private static byte[] assemble(RebuildRequest r, Map<Integer, byte[]> fetched) {
        if (fetched.containsKey(r.index())) {
            return fetched.get(r.index());
        }
        if (r.storageClass().kind() == StorageClass.Kind.REPLICATED) {
            return fetched.values().iterator().next();
        }
        return decode(r, fetched);
    }

    private static byte[] decode(RebuildRequest r, Map<Integer, byte[]> fetched) {
        StorageClass sc = r.storageClass();
        byte[][] shards = new byte[sc.shardCount()][];
        boolean[] present = new boolean[shards.length];
        for (int j = 0; j < shards.length; j++) {
            present[j] = fetched.containsKey(j);
            shards[j] = present[j] ? fetched.get(j) : new byte[r.shardSize()];
        }
        ErasureCodecs.of(sc.dataShards(), sc.parityShards()).reconstruct(shards, present, 0, r.shardSize());
        return shards[r.index()];
    }

    private void store(RebuildRequest r, byte[] shard) throws IOException {
        CRC32C crc = new CRC32C();
        crc.update(shard);
        int actual = (int) crc.getValue();
        if (actual != r.expectedCrc32c()) {
            throw new MooseException(ErrorCode.SHARD_CORRUPT, String.format(
                    "rebuilt shard %s has CRC32C %08x, expected %08x; not stored", r.shard(), actual, r.expectedCrc32c()));
        }
        store.put(r.shard(), ByteBuffer.wrap(shard), actual);
    }

    private <T> CompletableFuture<T> onWorker(Callable<T> work) {
        return io.executeBlocking(work, false).toCompletionStage().toCompletableFuture();
    }
}
