package io.mooseng.core.maintenance;

import io.mooseng.core.chunk.ChunkClients;
import io.mooseng.core.chunk.RebuildRequest;
import io.mooseng.core.error.ErrorCode;
import io.mooseng.core.error.MooseException;
import io.mooseng.core.metadata.BlockTable;
import io.mooseng.core.model.BlockRef;
import io.mooseng.core.model.ChunkserverInfo;
import io.mooseng.core.model.ShardId;
import io.mooseng.core.model.ShardMove;
import io.mooseng.core.placement.PlacementPolicy;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * Restores a damaged block's redundancy: confirms which shards are really gone, picks new
 * chunkservers beside the survivors (failure domains counted), has each rebuild its shard
 * from the survivors (it checks the result against the checksum recorded at write time),
 * then records the new locations. A block that lost more than its class tolerates is
 * reported lost and left for a chunkserver to return.
 *
 * <p>Rebuilding and recording are two calls: the caller records the blocks of a batch
 * together, so their records queue in the metadata client and share Raft entries (one
 * entry per block cost as much CPU as rebuilding a sixth of it).
 */
final class Repairer {
    private static final Logger LOG = LoggerFactory.getLogger(Repairer.class);

    /** What one block's repair did, and how many of its shards are still missing after it. */
    record Outcome(int rebuiltShards, long rebuiltBytes, int stillMissing) {
    }

    /**
     * A block whose shards were rebuilt: {@code moves} are stored on their new chunkservers
     * but not yet recorded; {@code inPlace} were rebuilt where they were (nothing to record).
     */
    record Rebuilt(BlockRef block, List<ShardMove> moves, int inPlace, int missing) {
        static Rebuilt nothing(BlockRef block, int missing) {
            return new Rebuilt(block, List.of(), 0, missing);
        }
    }

    private final BlockTable metadata;
    private final ChunkClients clients;
    private final PlacementPolicy placement;
    private final RateLimiter rate;

    Repairer(BlockTable metadata, ChunkClients clients, PlacementPolicy placement, RateLimiter rate) {
        this.metadata = metadata;
        this.clients = clients;
        this.placement = placement;
        this.rate = rate;
    }

    /** Rebuilds the block's missing shards (on the caller's thread); {@link #record} records them. */
    Rebuilt rebuild(ShardCensus.Damaged damaged, ClusterView view) throws InterruptedException {
        BlockRef b = damaged.block();
        List<Integer> missing = confirmMissing(b, damaged.missing(), view);
        if (missing.isEmpty()) {
            return Rebuilt.nothing(b, 0);
        }
        int surviving = b.storageClass().shardCount() - missing.size();
        if (surviving < b.storageClass().dataShards()) {
            LOG.error("block lost until a chunkserver returns: block={} readableShards={} needed={}", b.id(), surviving,
                    b.storageClass().dataShards());
            return Rebuilt.nothing(b, missing.size());
        }
        List<ChunkserverInfo> holders = new ArrayList<>();
        List<String> sources = new ArrayList<>();
        for (int i = 0; i < b.shardNodes().size(); i++) {
            String node = b.shardNodes().get(i);
            boolean ok = !missing.contains(i);
            sources.add(ok ? view.address(node) : "");
            if (ok) {
                holders.add(view.registered().get(node));
            }
        }
        // a shard lost on a chunkserver that is still up and has room (quarantined as corrupt) is
        // rebuilt in place; the others go to chunkservers holding none of the block's shards
        Set<String> writable = new HashSet<>();
        view.writable().forEach(cs -> writable.add(cs.id()));
        List<Integer> inPlace = missing.stream().filter(i -> writable.contains(b.shardNodes().get(i))).toList();
        List<Integer> elsewhere = missing.stream().filter(i -> !inPlace.contains(i)).toList();
        Set<String> used = new HashSet<>(b.shardNodes());
        List<ChunkserverInfo> candidates = view.writable().stream().filter(cs -> !used.contains(cs.id())).toList();
        int count = Math.min(elsewhere.size(), candidates.size());
        if (count < elsewhere.size()) {
            LOG.warn("too few chunkservers to repair onto: block={} shardsWithoutTarget={}", b.id(), elsewhere.size() - count);
        }
        List<ChunkserverInfo> targets = placement.placeBeside(b.id(), count, holders, candidates);
        List<ShardMove> moves = new ArrayList<>();
        int rebuilt = 0;
        for (int index : inPlace) {
            rebuilt += rebuildShard(b, index, b.shardNodes().get(index), sources) ? 1 : 0;
        }
        for (int t = 0; t < count; t++) {
            int index = elsewhere.get(t);
            String target = targets.get(t).id();
            if (rebuildShard(b, index, target, sources)) {
                moves.add(new ShardMove(index, b.shardNodes().get(index), target));
            }
        }
        return new Rebuilt(b, moves, rebuilt, missing.size());
    }

    /** Records where a block's rebuilt shards are now; @return the block's outcome once recorded. */
    CompletableFuture<Outcome> record(Rebuilt r) {
        BlockRef b = r.block();
        int inPlace = r.inPlace();
        if (r.moves().isEmpty()) {
            return CompletableFuture.completedFuture(new Outcome(inPlace, (long) inPlace * b.shardSize(), r.missing() - inPlace));
        }
        return metadata.moveShards(b.id(), r.moves()).orTimeout(60, TimeUnit.SECONDS).handle((ok, e) -> {
            if (e != null) {
                // the block changed meanwhile (deleted, re-coded): the rebuilt shards are garbage now
                LOG.info("repair not recorded, block changed: block={} cause={}", b.id(), MooseException.of(e).toString());
                r.moves().forEach(m -> clients.get(m.toNode()).deleteShard(new ShardId(b.id(), m.index())));
                return new Outcome(inPlace, (long) inPlace * b.shardSize(), 0);
            }
            int all = inPlace + r.moves().size();
            LOG.debug("block repaired: block={} class={} rebuiltShards={}", b.id(), b.storageClass(), all);
            return new Outcome(all, (long) all * b.shardSize(), r.missing() - all);
        });
    }

    /** Has {@code target} rebuild shard {@code index}; @return whether it is stored there now. */
    private boolean rebuildShard(BlockRef b, int index, String target, List<String> sources) throws InterruptedException {
        rate.acquire(b.shardSize());
        try {
            clients.get(target).rebuildShard(new RebuildRequest(b.id(), b.storageClass(), b.shardSize(), index,
                    b.shardCrcs().get(index), sources)).get(10, TimeUnit.MINUTES);
            return true;
        } catch (InterruptedException e) {
            throw e;
        } catch (Exception e) {
            LOG.warn("shard rebuild failed: shard={}/{} target={} cause={}", b.id(), index, target, MooseException.of(e).toString());
            return false;
        }
    }

    /**
     * The seemingly missing shards that really are: on a lost chunkserver, or absent when asked
     * directly (the inventory may predate the block).
     */
    private List<Integer> confirmMissing(BlockRef b, List<Integer> suspects, ClusterView view) {
        List<Integer> missing = new ArrayList<>();
        for (int i : suspects) {
            String node = b.shardNodes().get(i);
            if (!view.live(node)) {
                missing.add(i);
                continue;
            }
            try {
                clients.get(node).readShard(new ShardId(b.id(), i), 0, 0).get(30, TimeUnit.SECONDS);
            } catch (Exception e) {
                ErrorCode code = MooseException.of(e).code();
                if (code == ErrorCode.SHARD_NOT_FOUND || code == ErrorCode.SHARD_CORRUPT || code == ErrorCode.INTERNAL) {
                    missing.add(i);
                }
            }
        }
        return missing;
    }
}
