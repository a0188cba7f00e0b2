package io.mooseng.core.chunk;

import io.mooseng.core.error.ErrorCode;
import io.mooseng.core.error.MooseException;
import io.mooseng.core.model.BlockId;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;

/**
 * Fetches the same range of {@code need} shards of one block, to decode from them (a
 * degraded read, a repair) or to copy one: starts {@code need} reads in the order of the
 * candidates, and replaces each failed one (down, missing, corrupt, wrong length) with the
 * next untried candidate, so no more shards than needed cross the network when all is well.
 *
 * <p>Completes with shard index -> bytes (as the reads returned them) once {@code need} have
 * arrived (no read is under way then, so memory the reads were given is free again), or with
 * DATA_UNAVAILABLE, naming how many sources answered, once the candidates run out (and
 * none is under way).
 * Thread-safe; completes on whichever thread the last read completes on.
 */
public final class SurvivorFetch {
    /** Reads the wanted range of shard {@code index} from wherever it lives. */
    @FunctionalInterface
    public interface ShardRead {
        CompletableFuture<ByteBuffer> read(int index);
    }

    private final BlockId block;
    private final int length;
    private final List<String> sources;
    private final List<Integer> candidates;
    private final int need;
    private final ShardRead reads;
    private final CompletableFuture<Map<Integer, ByteBuffer>> outcome = new CompletableFuture<>();
    private final Map<Integer, ByteBuffer> arrived = new TreeMap<>();
    private final List<String> failures = new ArrayList<>();
    private int tried;
    private int inFlight;

    private SurvivorFetch(BlockId block, int length, List<String> sources, List<Integer> candidates, int need, ShardRead reads) {
        this.block = block;
        this.length = length;
        this.sources = sources;
        this.candidates = candidates;
        this.need = need;
        this.reads = reads;
    }

    /**
     * @param length     bytes each read must return
     * @param sources    host:port holding shard j of the block (for messages)
     * @param candidates the shard indexes to try, in order of preference
     * @param need       how many of them must arrive
     * @param reads      reads {@code length} bytes of one shard
     */
    public static CompletableFuture<Map<Integer, ByteBuffer>> fetch(BlockId block, int length, List<String> sources,
                                                                List<Integer> candidates, int need, ShardRead reads) {
        SurvivorFetch fetch = new SurvivorFetch(block, length, sources, candidates, need, reads);
        if (candidates.size() < need) {
            return CompletableFuture.failedFuture(new MooseException(ErrorCode.DATA_UNAVAILABLE, "block " + block
                    + ": " + candidates.size() + " sources given, " + need + " needed"));
        }
        fetch.progress();
        return fetch.outcome;
    }

    /**
     * After each read: completes once enough arrived, else starts reads until enough are under
     * way, and fails once none are under way and none are left to try.
     */
    private void progress() {
        List<Integer> toStart = new ArrayList<>();
        Map<Integer, ByteBuffer> complete = null;
        boolean exhausted = false;
        synchronized (this) {
            if (arrived.size() == need) {
                complete = Map.copyOf(arrived);
            } else {
                while (arrived.size() + inFlight < need && tried < candidates.size()) {
                    toStart.add(candidates.get(tried++));
                    inFlight++;
                }
                exhausted = inFlight == 0;
            }
        }
        if (complete != null) {
            outcome.complete(complete);
        } else if (exhausted) {
            outcome.completeExceptionally(unavailable());
        }
        // outside the lock: a read may complete, and call back, before it returns
        toStart.forEach(this::read);
    }

    private void read(int index) {
        CompletableFuture<ByteBuffer> read;
        try {
            read = reads.read(index);
        } catch (RuntimeException e) {
            read = CompletableFuture.failedFuture(e);
        }
        read.whenComplete((data, failure) -> {
            if (failure == null && data.remaining() != length) {
                failure = new MooseException(ErrorCode.SHARD_CORRUPT, "has " + data.remaining() + " bytes, expected " + length);
            }
            synchronized (this) {
                inFlight--;
                if (failure == null) {
                    arrived.put(index, data);
                } else {
                    failures.add("shard " + index + " at " + sources.get(index) + ": " + MooseException.of(failure));
                }
            }
            progress();
        });
    }

    private synchronized MooseException unavailable() {
        return new MooseException(ErrorCode.DATA_UNAVAILABLE, "block " + block + ": " + arrived.size() + " of "
                + candidates.size() + " sources answered, " + need + " needed; " + String.join("; ", failures));
    }
}
