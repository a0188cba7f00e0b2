package io.mooseng.core.maintenance;

import io.mooseng.core.chunk.ChunkClients;
import io.mooseng.core.chunk.RebuildRequest;
import io.mooseng.core.metadata.BlockTable;
import io.mooseng.core.model.BlockId;
import io.mooseng.core.model.BlockRef;
import io.mooseng.core.model.ChunkserverInfo;
import io.mooseng.core.model.ShardId;
import io.mooseng.core.model.ShardMove;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Evens out usage: moves shards from the most used chunkserver (by the stored bytes its
 * heartbeat reports, over capacity) to the least used, taking candidates from the source's node
 * index a page at a time. A move copies the shard, records the new location, and only
 * then deletes the old copy, so redundancy never drops; a move that would crowd a failure
 * domain (more of the block's shards in the target's host, rack or zone than the source's)
 * is skipped.
 */
final class Rebalancer {
    private static final Logger LOG = LoggerFactory.getLogger(Rebalancer.class);
    private static final String[] DOMAINS = {"host", "rack", "zone"};

    /** Index pages looked at per pass at most, so a source with few movable shards costs little. */
    private static final int PAGES_PER_PASS = 8;
    private static final int PAGE = 256;

    private final BlockTable metadata;
    private final ChunkClients clients;
    private final MaintenanceConfig config;
    private final RateLimiter rate;
    /** Where the last pass over each source stopped in its node index, so the next one goes on from there. */
    private final Map<String, ShardId> cursors = new HashMap<>();
    /**
     * Per chunkserver, the usage its heartbeat reported when this rebalancer last moved shards on or
     * off it, and the bytes it moved since: until the next report, cycles see the moves already made
     * (a stale report would send the same shards' worth to the same target cycle after cycle).
     */
    private final Map<String, long[]> movedSinceReport = new HashMap<>();

    Rebalancer(BlockTable metadata, ChunkClients clients, MaintenanceConfig config, RateLimiter rate) {
        this.metadata = metadata;
        this.clients = clients;
        this.config = config;
        this.rate = rate;
    }

    private record Pair(ChunkserverInfo source, ChunkserverInfo target) {
    }

    /** The most and least used live chunkservers (by their reported usage), when they are far enough apart. */
    private Pair pair(ClusterView view) {
        List<ChunkserverInfo> writable = view.writable();
        if (writable.size() < 2 || config.movesPerCycle() == 0) {
            return null;
        }
        Comparator<ChunkserverInfo> byUsage = Comparator.comparingDouble(this::usage);
        ChunkserverInfo least = Collections.min(writable, byUsage);
        // the source may be full: moving off a full chunkserver is the point
        List<ChunkserverInfo> all = view.registered().values().stream().filter(cs -> view.live(cs.id())).toList();
        ChunkserverInfo most = Collections.max(all, byUsage);
        double mean = all.stream().mapToDouble(this::usage).average().orElse(0);
        double spread = usage(most) - usage(least);
        long bytesApart = used(most) - used(least);
        if (most.id().equals(least.id()) || spread <= config.rebalanceSpread() * mean || bytesApart < config.rebalanceMinBytes()) {
            return null;
        }
        return new Pair(most, least);
    }

    private double usage(ChunkserverInfo cs) {
        return (double) used(cs) / Math.max(1, cs.capacityBytes());
    }

    /** The reported usage plus what was moved since that report (a new report supersedes the moves). */
    private long used(ChunkserverInfo cs) {
        long[] since = movedSinceReport.get(cs.id());
        if (since == null || since[0] != cs.usedBytes()) {
            movedSinceReport.remove(cs.id());
            return cs.usedBytes();
        }
        return cs.usedBytes() + since[1];
    }

    private void moved(ChunkserverInfo cs, long bytes) {
        long[] since = movedSinceReport.get(cs.id());
        if (since == null || since[0] != cs.usedBytes()) {
            movedSinceReport.put(cs.id(), new long[] {cs.usedBytes(), bytes});
        } else {
            since[1] += bytes;
        }
    }

    /**
     * Forgets chunkservers no longer registered (removed from the cluster): their moves and index
     * positions would otherwise stay until the leader changes. Called every maintenance cycle.
     */
    void forgetRemoved(ClusterView view) {
        movedSinceReport.keySet().retainAll(view.registered().keySet());
        cursors.keySet().retainAll(view.registered().keySet());
    }

    /** Moves shards off the most used chunkserver, found from its node index pages; @return shards moved. */
    int rebalance(ClusterView view) throws InterruptedException {
        Pair p = pair(view);
        if (p == null) {
            return 0;
        }
        String source = p.source().id();
        String target = p.target().id();
        long budget = (used(p.source()) - used(p.target())) / 2;
        int moved = 0;
        ShardId after = cursors.remove(source);
        for (int pages = 0; pages < PAGES_PER_PASS && moved < config.movesPerCycle() && budget > 0; pages++) {
            List<ShardId> page = metadata.shardsOnNode(source, after, PAGE).join();
            Map<BlockId, BlockRef> rows = new HashMap<>();
            metadata.blocks(page.stream().map(ShardId::block).toList()).join().forEach(b -> rows.put(b.id(), b));
            for (ShardId shard : page) {
                if (moved >= config.movesPerCycle() || budget <= 0) {
                    break;
                }
                after = shard;
                BlockRef b = rows.get(shard.block());
                if (b == null || !source.equals(b.shardNodes().get(shard.index())) || b.shardNodes().contains(target)
                        || !keepsSpread(b, source, target, view)) {
                    continue;
                }
                if (move(b, shard.index(), source, target, view)) {
                    moved++;
                    budget -= b.shardSize();
                    moved(p.source(), -b.shardSize());
                    moved(p.target(), b.shardSize());
                }
            }
            if (page.size() < PAGE) {
                after = null; // the end of the index: the next pass starts over
                break;
            }
        }
        if (after != null) {
            cursors.put(source, after);
        }
        if (moved > 0) {
            LOG.info("rebalanced: from={} to={} shards={}", source, target, moved);
        }
        return moved;
    }

    private boolean move(BlockRef b, int index, String source, String target, ClusterView view) throws InterruptedException {
        List<String> sources = new ArrayList<>(Collections.nCopies(b.shardNodes().size(), ""));
        sources.set(index, view.address(source));
        ShardId shard = new ShardId(b.id(), index);
        rate.acquire(b.shardSize());
        try {
            clients.get(target).rebuildShard(new RebuildRequest(b.id(), b.storageClass(), b.shardSize(), index,
                    b.shardCrcs().get(index), sources)).get(10, TimeUnit.MINUTES);
        } catch (InterruptedException e) {
            throw e;
        } catch (Exception e) {
            LOG.warn("shard copy failed: shard={} from={} to={} cause={}", shard, source, target, e.toString());
            return false;
        }
        try {
            metadata.moveShards(b.id(), List.of(new ShardMove(index, source, target))).get(60, TimeUnit.SECONDS);
        } catch (Exception e) {
            clients.get(target).deleteShard(shard);
            return false;
        }
        clients.get(source).deleteShard(shard); // best effort: GC takes it otherwise
        return true;
    }

    /** Whether the target's domains hold no more of the block's other shards than the source's do. */
    private static boolean keepsSpread(BlockRef b, String source, String target, ClusterView view) {
        ChunkserverInfo from = view.registered().get(source);
        ChunkserverInfo to = view.registered().get(target);
        for (String domain : DOMAINS) {
            int atSource = 0;
            int atTarget = 0;
            for (String node : b.shardNodes()) {
                ChunkserverInfo other = view.registered().get(node);
                if (node.equals(source) || other == null) {
                    continue;
                }
                atSource += other.label(domain).equals(from.label(domain)) ? 1 : 0;
                atTarget += other.label(domain).equals(to.label(domain)) ? 1 : 0;
            }
            if (atTarget > atSource) {
                return false;
            }
        }
        return true;
    }
}
