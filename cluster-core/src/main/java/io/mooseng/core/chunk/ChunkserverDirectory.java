package io.mooseng.core.chunk;

import io.mooseng.core.metadata.NodeRegistry;
import io.mooseng.core.model.ChunkserverInfo;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import java.util.function.LongSupplier;
import java.util.stream.Collectors;

/**
 * A client's view of the chunkservers: the registry from metadata, refreshed at most every
 * {@code refreshMillis}, minus the ones this client recently failed to reach, the ones silent
 * for longer than {@link #STALE_MILLIS} and the ones whose disk is (nearly) full. Writers
 * place blocks on {@link #live()}; a failed call {@link #suspect}s the node for a while so
 * the next placements avoid it without waiting for the metadata service to notice.
 */
public final class ChunkserverDirectory {
    private static final Logger LOG = LoggerFactory.getLogger(ChunkserverDirectory.class);
    /** A chunkserver whose last heartbeat is older than this is not offered for new shards. */
    public static final long STALE_MILLIS = 30_000;
    /** Free space a chunkserver keeps for in-flight writes: 2% of its disk, at most 256 MiB. */
    private static final long MAX_RESERVE_BYTES = 256L << 20;

    private final NodeRegistry metadata;
    private final long refreshMillis;
    private final long suspectMillis;
    private final LongSupplier clock;
    private final Map<String, Long> suspectUntil = new ConcurrentHashMap<>();
    /** The registry as read, and when it was asked for (it reflects the cluster at that time or later). */
    private record View(Map<String, ChunkserverInfo> nodes, long readAt) {
    }

    private volatile View view;
    private volatile CompletableFuture<View> refreshing;

    public ChunkserverDirectory(NodeRegistry metadata, long refreshMillis, long suspectMillis, LongSupplier clock) {
        this.metadata = metadata;
        this.refreshMillis = refreshMillis;
        this.suspectMillis = suspectMillis;
        this.clock = clock;
    }

    /** Registered chunkservers that are reporting, not suspected and not full, in id order. */
    public CompletableFuture<List<ChunkserverInfo>> live() {
        return current().thenApply(v -> {
            long now = clock.getAsLong();
            // silence is judged as of the read: a view cached while no one wrote is no evidence of it
            return v.nodes().values().stream()
                    .filter(cs -> suspectUntil.getOrDefault(cs.id(), Long.MIN_VALUE) <= now)
                    .filter(cs -> cs.heartbeatMillis() == 0 || v.readAt() - cs.heartbeatMillis() <= STALE_MILLIS)
                    .filter(cs -> !full(cs))
                    .sorted(java.util.Comparator.comparing(ChunkserverInfo::id))
                    .toList();
        });
    }

    /** Whether a chunkserver has too little free space left to be given new shards. */
    public static boolean full(ChunkserverInfo cs) {
        return cs.capacityBytes() > 0 && cs.freeBytes() < Math.min(MAX_RESERVE_BYTES, cs.capacityBytes() / 50);
    }

    /**
     * Registered chunkservers placement skips because their disk is full (for a metric). A read
     * of a view older than the refresh period starts a refresh, so the gauge follows the
     * registry while no one writes, one scrape behind.
     */
    public long fullCount() {
        current();
        View v = view;
        return v == null ? 0 : v.nodes().values().stream().filter(ChunkserverDirectory::full).count();
    }

    /** The registered address of a chunkserver, from the last refresh. */
    public Optional<String> addressOf(String nodeId) {
        View v = view;
        return Optional.ofNullable(v == null ? null : v.nodes().get(nodeId)).map(ChunkserverInfo::address);
    }

    public void suspect(String nodeId) {
        long now = clock.getAsLong();
        Long previous = suspectUntil.put(nodeId, now + suspectMillis);
        if (previous == null || previous <= now) {
            LOG.warn("chunkserver unreachable, avoiding it for {} ms: node={}", suspectMillis, nodeId);
            // it may have come back on another address: readers re-resolve from the fresh registry
            reload();
        }
    }

    /** Clears suspicion after a successful call. */
    public void reachable(String nodeId) {
        suspectUntil.remove(nodeId);
    }

    /** Loads the registry now (e.g. at start, before the first write). */
    public CompletableFuture<Map<String, ChunkserverInfo>> refresh() {
        return reload().thenApply(View::nodes);
    }

    private CompletableFuture<View> reload() {
        CompletableFuture<View> inFlight = refreshing;
        if (inFlight != null) {
            return inFlight;
        }
        long asked = clock.getAsLong();
        CompletableFuture<View> f = metadata.listChunkservers().thenApply(list -> new View(
                list.stream().collect(Collectors.toUnmodifiableMap(ChunkserverInfo::id, Function.identity())), asked));
        refreshing = f;
        return f.whenComplete((v, e) -> {
            refreshing = null;
            if (v != null) {
                view = v;
            }
        });
    }

    private CompletableFuture<View> current() {
        View v = view;
        long age = v == null ? Long.MAX_VALUE : clock.getAsLong() - v.readAt();
        if (age >= STALE_MILLIS) {
            return reload(); // none yet, or too old to place shards by: wait for a fresh one
        }
        if (age >= refreshMillis) {
            reload(); // serve the cached view; the refresh lands for later callers
        }
        return CompletableFuture.completedFuture(v);
    }
}
