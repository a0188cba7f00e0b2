package io.mooseng.core.maintenance;

import io.mooseng.core.chunk.ChunkClients;
import io.mooseng.core.chunk.RebuildRequest;
import io.mooseng.core.metadata.BlockTable;
import io.mooseng.core.model.BlockRef;
import io.mooseng.core.model.ChunkserverInfo;
import io.mooseng.core.model.ShardId;
import io.mooseng.core.model.ShardMove;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Evens out usage: moves shards from the most used chunkserver (by stored bytes over
 * capacity) to the least used. A move copies the shard, records the new location, and only
 * then deletes the old copy, so redundancy never drops; a move that would crowd a failure
 * domain (more of the block's shards in the target's host, rack or zone than the source's)
 * is skipped.
 */
final class Rebalancer {
    private static final Logger LOG = LoggerFactory.getLogger(Rebalancer.class);
    private static final String[] DOMAINS = {"host", "rack", "zone"};

    /** Chooses, from the census' stored bytes, the chunkserver to move shards off (or none). */
    interface SourcePicker {
        String source(Map<String, Long> storedBytes);

        int moves();
    }

    private final BlockTable metadata;
    private final ChunkClients clients;
    private final MaintenanceConfig config;
    private final RateLimiter rate;

    Rebalancer(BlockTable metadata, ChunkClients clients, MaintenanceConfig config, RateLimiter rate) {
        this.metadata = metadata;
        this.clients = clients;
        this.config = config;
        this.rate = rate;
    }

    /** The source/target pair when usage is uneven enough, for this cycle's view. */
    SourcePicker picker(ClusterView view) {
        return new SourcePicker() {
            @Override
            public String source(Map<String, Long> storedBytes) {
                Pair p = pair(view, storedBytes);
                return p == null ? null : p.source;
            }

            @Override
            public int moves() {
                return config.movesPerCycle();
            }
        };
    }

    private record Pair(String source, String target) {
    }

    private Pair pair(ClusterView view, Map<String, Long> storedBytes) {
        List<ChunkserverInfo> nodes = new ArrayList<>(view.writable().stream()
                .filter(cs -> storedBytes.containsKey(cs.id())).toList());
        if (nodes.size() < 2 || config.movesPerCycle() == 0) {
            return null;
        }
        Comparator<ChunkserverInfo> byUsage = Comparator.comparingDouble(cs -> usage(cs, storedBytes));
        ChunkserverInfo least = Collections.min(nodes, byUsage);
        // the source may be full: moving off a full chunkserver is the point
        List<ChunkserverInfo> all = view.registered().values().stream()
                .filter(cs -> view.live(cs.id()) && storedBytes.containsKey(cs.id())).toList();
        ChunkserverInfo most = Collections.max(all, byUsage);
        double mean = all.stream().mapToDouble(cs -> usage(cs, storedBytes)).average().orElse(0);
        double spread = usage(most, storedBytes) - usage(least, storedBytes);
        long bytesApart = storedBytes.get(most.id()) - storedBytes.get(least.id());
        if (most.id().equals(least.id()) || spread <= config.rebalanceSpread() * mean || bytesApart < config.rebalanceMinBytes()) {
            return null;
        }
        return new Pair(most.id(), least.id());
    }

    private static double usage(ChunkserverInfo cs, Map<String, Long> storedBytes) {
        return (double) storedBytes.getOrDefault(cs.id(), 0L) / Math.max(1, cs.capacityBytes());
    }

    /** Moves shards of {@code blocks} off the census' source; @return shards moved. */
    int rebalance(ShardCensus census, ClusterView view) throws InterruptedException {
        Pair p = pair(view, census.storedBytes);
        if (p == null || census.onRebalanceSource.isEmpty()) {
            return 0;
        }
        long budget = (census.storedBytes.get(p.source) - census.storedBytes.get(p.target)) / 2;
        int moved = 0;
        for (BlockRef b : census.onRebalanceSource) {
            if (budget <= 0) {
                break;
            }
            if (b.shardNodes().contains(p.target) || !keepsSpread(b, p.source, p.target, view)) {
                continue;
            }
            if (move(b, b.shardNodes().indexOf(p.source), p.source, p.target, view)) {
                moved++;
                budget -= b.shardSize();
            }
        }
        if (moved > 0) {
            LOG.info("rebalanced: from={} to={} shards={}", p.source, p.target, moved);
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
