package io.mooseng.chunkserver.repair;

import io.mooseng.chunkserver.store.SegmentShardStore;
import io.mooseng.core.chunk.ChunkClients;
import io.mooseng.core.chunk.SurvivorFetch;
import io.mooseng.core.chunk.RebuildRequest;
import io.mooseng.core.chunk.ec.ErasureCodecs;
import io.mooseng.core.error.MooseException;
import io.mooseng.core.model.ShardId;
import io.mooseng.core.model.StorageClass;
import io.vertx.core.Vertx;
import io.vertx.core.WorkerExecutor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.stream.IntStream;

/**
 * Makes a shard of a block this chunkserver's own (see {@link RebuildRequest}): copies it from
 * the source of its own index (a move), else from any copy of a replicated block, else decodes
 * it from k shards of an erasure-coded one (that shard alone). Shards are fetched whole from
 * the peers ({@link SurvivorFetch}) into the rebuild's {@link StripeMemory} stripe; decoding,
 * checksumming and storing run on the worker pool.
 *
 * <p>Nothing is stored unless the result's CRC32C is the expected one. At most
 * {@value #MAX_RUNNING} rebuilds run at once, as each holds a stripe of native memory (k + 1
 * shards); up to {@value #MAX_WAITING} more wait their turn, further ones are refused.
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
    private final StripeMemory memory;

    /**
     * @param vertx for timers
     * @param io    the worker pool for decoding and store calls
     * @param peers clients of the other chunkservers, by host:port
     */
    public ShardRebuilder(Vertx vertx, String nodeId, SegmentShardStore store, WorkerExecutor io, ChunkClients peers) {
        this.nodeId = nodeId;
        this.store = store;
        this.io = io;
        this.peers = peers;
        this.memory = new StripeMemory(vertx, StripeMemory.IDLE_FREE_MILLIS);
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
        // the shard made here, then the survivors: k of them, or the one copied
        StripeMemory.Stripe stripe = memory.take(request.storageClass().dataShards() + 1, request.shardSize());
        ByteBuffer made = stripe.region();
        return gather(request, stripe)
                .thenCompose(fetched -> this.<Void>onWorker(() -> {
                    store(request, assemble(request, fetched, made));
                    return null;
                }))
                .whenComplete((done, failure) -> {
                    // every read has finished by now (SurvivorFetch completes only then), the store too
                    memory.give(stripe);
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
    private CompletableFuture<Map<Integer, ByteBuffer>> gather(RebuildRequest r, StripeMemory.Stripe stripe) {
        List<String> sources = r.sources();
        SurvivorFetch.ShardRead whole = j -> peers.get(sources.get(j)).readShard(new ShardId(r.block(), j), 0, r.shardSize(),
                stripe.region());
        if (!sources.get(r.index()).isEmpty()) {
            return SurvivorFetch.fetch(r.block(), r.shardSize(), sources, List.of(r.index()), 1, whole);
        }
        // data shards first: decoding from them alone costs the least
        List<Integer> others = IntStream.range(0, sources.size()).filter(j -> !sources.get(j).isEmpty()).boxed().toList();
        // a replicated class has one "data shard": any copy will do
        return SurvivorFetch.fetch(r.block(), r.shardSize(), sources, others, r.storageClass().dataShards(), whole);
    }

    private static ByteBuffer assemble(RebuildRequest r, Map<Integer, ByteBuffer> fetched, ByteBuffer made) {
        if (fetched.containsKey(r.index())) {
            return fetched.get(r.index());
        }
        if (r.storageClass().kind() == StorageClass.Kind.REPLICATED) {
            return fetched.values().iterator().next();
        }
        decode(r, fetched, made);
        return made;
    }

    /** Decodes shard {@code r.index()} alone into {@code made} (in native memory, ISA-L codes in place). */
    private static void decode(RebuildRequest r, Map<Integer, ByteBuffer> fetched, ByteBuffer made) {
        StorageClass sc = r.storageClass();
        MemorySegment[] shards = new MemorySegment[sc.shardCount()];
        boolean[] present = new boolean[shards.length];
        boolean[] wanted = new boolean[shards.length];
        fetched.forEach((j, bytes) -> {
            present[j] = true;
            shards[j] = MemorySegment.ofBuffer(bytes);
        });
        wanted[r.index()] = true;
        shards[r.index()] = MemorySegment.ofBuffer(made);
        ErasureCodecs.of(sc.dataShards(), sc.parityShards()).reconstruct(shards, present, wanted);
    }

    /** The store checks the shard against the write-time CRC32C (SHARD_CORRUPT, nothing stored, if it differs). */
    private void store(RebuildRequest r, ByteBuffer shard) throws IOException {
        store.put(r.shard(), shard, r.expectedCrc32c());
    }

    private <T> CompletableFuture<T> onWorker(Callable<T> work) {
        return io.executeBlocking(work, false).toCompletionStage().toCompletableFuture();
    }
}
