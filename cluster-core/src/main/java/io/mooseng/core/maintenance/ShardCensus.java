package io.mooseng.core.maintenance;

import io.mooseng.core.chunk.ChunkClients;
import io.mooseng.core.metadata.BlockTable;
import io.mooseng.core.model.BlockId;
import io.mooseng.core.model.BlockRef;
import io.mooseng.core.model.ShardId;
import io.mooseng.core.model.StoredShard;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * One comparison of what metadata says against what the chunkservers hold. Inventories are
 * taken first and the block table scanned after, so a shard absent from every block row was
 * unreferenced at some moment after it was listed (a garbage candidate), and a block row's
 * shard missing from an inventory is a repair candidate (confirmed before acting, since the
 * block may have been written after its chunkserver was listed).
 */
final class ShardCensus {
    private static final Logger LOG = LoggerFactory.getLogger(ShardCensus.class);
    private static final int PAGE = 1000;

    /** A block with shards that seem missing, and the indexes of those shards. */
    record Damaged(BlockRef block, List<Integer> missing) {
        int surviving() {
            return block.storageClass().shardCount() - missing.size();
        }

        /** Further losses the block survives: negative when it is unreadable. */
        int margin() {
            return surviving() - block.storageClass().dataShards();
        }
    }

    long blocks;
    final List<Damaged> damaged = new ArrayList<>();
    /** Inventory of every chunkserver that answered, minus the shards some block references there. */
    final Map<String, Set<ShardId>> unreferenced = new HashMap<>();
    /** Bytes of shards per chunkserver that answered. */
    final Map<String, Long> storedBytes = new HashMap<>();
    /** Blocks with a shard on {@link #rebalanceSource}, for the rebalancer. */
    final List<BlockRef> onRebalanceSource = new ArrayList<>();
    private String rebalanceSource;
    private int rebalanceWanted;

    private ShardCensus() {
    }

    /**
     * @param live  chunkservers to list (the registered ones not lost); a lost one's shards all count as missing
     */
    static ShardCensus take(BlockTable metadata, ChunkClients clients, Collection<String> live,
                            Rebalancer.SourcePicker rebalance) {
        ShardCensus census = new ShardCensus();
        Map<String, CompletableFuture<List<StoredShard>>> listing = new HashMap<>();
        for (String node : live) {
            listing.put(node, clients.get(node).listShards());
        }
        Map<String, Set<ShardId>> inventories = new HashMap<>();
        listing.forEach((node, f) -> {
            try {
                List<StoredShard> shards = f.get(60, TimeUnit.SECONDS);
                Set<ShardId> ids = new HashSet<>(shards.size() * 2);
                long bytes = 0;
                for (StoredShard s : shards) {
                    ids.add(s.id());
                    bytes += s.length();
                }
                inventories.put(node, ids);
                census.unreferenced.put(node, new HashSet<>(ids));
                census.storedBytes.put(node, bytes);
            } catch (Exception e) {
                // unknown this cycle: its shards count as present, none of them as garbage
                LOG.warn("chunkserver inventory unavailable: node={} cause={}", node, e.toString());
            }
        });
        census.rebalanceSource = rebalance.source(census.storedBytes);
        census.rebalanceWanted = rebalance.moves();
        census.scan(metadata, live, inventories);
        return census;
    }

    private void scan(BlockTable metadata, Collection<String> live, Map<String, Set<ShardId>> inventories) {
        Set<String> liveSet = new HashSet<>(live);
        BlockId after = null;
        while (true) {
            List<BlockRef> page = metadata.scanBlocks(after, PAGE).join();
            for (BlockRef b : page) {
                visit(b, liveSet, inventories);
            }
            if (page.size() < PAGE) {
                return;
            }
            after = page.get(page.size() - 1).id();
        }
    }

    private void visit(BlockRef b, Set<String> live, Map<String, Set<ShardId>> inventories) {
        blocks++;
        List<Integer> missing = new ArrayList<>();
        for (int i = 0; i < b.shardNodes().size(); i++) {
            String node = b.shardNodes().get(i);
            ShardId shard = new ShardId(b.id(), i);
            Set<ShardId> inventory = inventories.get(node);
            if (!live.contains(node) || (inventory != null && !inventory.contains(shard))) {
                missing.add(i);
            }
            Set<ShardId> garbage = unreferenced.get(node);
            if (garbage != null) {
                garbage.remove(shard);
            }
        }
        if (!missing.isEmpty()) {
            damaged.add(new Damaged(b, missing));
        } else if (rebalanceSource != null && onRebalanceSource.size() < rebalanceWanted
                && b.shardNodes().contains(rebalanceSource)) {
            onRebalanceSource.add(b);
        }
    }
}
