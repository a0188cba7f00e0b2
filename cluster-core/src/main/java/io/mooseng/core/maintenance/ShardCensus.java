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
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;

/**
 * One comparison of what metadata says against what the live chunkservers hold, one
 * chunkserver at a time: its inventory (sorted by shard id on the chunkserver) merged with
 * its node index pages ({@link InventoryJoin}), never the whole block table. A shard in the
 * index but not in the inventory makes its block a repair candidate (confirmed before acting,
 * since the block may have been written after its chunkserver was listed); one in the
 * inventory but not in the index is a garbage candidate. Lost chunkservers are not listed:
 * their shards are queued from their index as soon as they are found lost.
 */
public final class ShardCensus {
    private static final Logger LOG = LoggerFactory.getLogger(ShardCensus.class);
    static final int INDEX_PAGE = 1000;
    /** Missing shards' blocks fetched per query. */
    private static final int ROWS = 500;

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

    private final BlockTable metadata;
    private final ChunkClients clients;
    private final Map<BlockId, Damaged> damagedBlocks = new LinkedHashMap<>();
    /** Per chunkserver that answered: its shards no block references. */
    final Map<String, Set<ShardId>> unreferenced = new HashMap<>();
    /** Bytes of shards per chunkserver that answered. */
    final Map<String, Long> storedBytes = new HashMap<>();
    /** Shards listed and shards the index placed, over the chunkservers that answered. */
    long listedShards;
    long indexedShards;

    private ShardCensus(BlockTable metadata, ChunkClients clients) {
        this.metadata = metadata;
        this.clients = clients;
    }

    /** @param live chunkservers to list (the registered ones not lost) */
    public static ShardCensus take(BlockTable metadata, ChunkClients clients, Collection<String> live) {
        ShardCensus census = new ShardCensus(metadata, clients);
        for (String node : live) {
            census.node(node);
        }
        return census;
    }

    /** Shards listed by the chunkservers that answered. */
    public long listedShards() {
        return listedShards;
    }

    /** Shards the node index placed on the chunkservers that answered. */
    public long indexedShards() {
        return indexedShards;
    }

    public int damagedBlocks() {
        return damagedBlocks.size();
    }

    public long unreferencedShards() {
        return unreferenced.values().stream().mapToLong(Set::size).sum();
    }

    /** The blocks found damaged, in the order found. */
    List<Damaged> damaged() {
        return new ArrayList<>(damagedBlocks.values());
    }

    /** Lists one chunkserver and merges it with its index; a chunkserver that fails to answer is unknown this time. */
    private void node(String node) {
        List<StoredShard> inventory;
        try {
            inventory = clients.get(node).listShards().get(60, TimeUnit.SECONDS);
        } catch (Exception e) {
            // unknown this census: its shards count as present, none of them as garbage
            LOG.warn("chunkserver inventory unavailable: node={} cause={}", node, e.toString());
            return;
        }
        Set<ShardId> garbage = new HashSet<>();
        Map<BlockId, List<Integer>> missing = new LinkedHashMap<>();
        InventoryJoin.Totals totals;
        try {
            totals = InventoryJoin.join(inventory.iterator(), (after, limit) -> metadata.shardsOnNode(node, after, limit).join(),
                    INDEX_PAGE, shard -> {
                        missing.computeIfAbsent(shard.block(), b -> new ArrayList<>()).add(shard.index());
                        if (missing.size() >= ROWS) {
                            flush(node, missing);
                        }
                    }, garbage::add);
            flush(node, missing);
        } catch (RuntimeException e) {
            LOG.warn("census of a chunkserver failed, skipped this time: node={} cause={}", node, e.toString());
            return;
        }
        unreferenced.put(node, garbage);
        storedBytes.put(node, totals.storedBytes());
        listedShards += totals.listed();
        indexedShards += totals.indexed();
    }

    /** Turns the node's missing shards into damaged blocks, with their current rows (shards moved off the node since are not missing). */
    private void flush(String node, Map<BlockId, List<Integer>> missing) {
        if (missing.isEmpty()) {
            return;
        }
        for (BlockRef row : metadata.blocks(List.copyOf(missing.keySet())).join()) {
            Set<Integer> indexes = new TreeSet<>();
            for (int i : missing.get(row.id())) {
                if (i < row.shardNodes().size() && row.shardNodes().get(i).equals(node)) {
                    indexes.add(i);
                }
            }
            Damaged known = damagedBlocks.get(row.id());
            if (known != null) {
                // missing on another chunkserver too: keep those of its shards the newer row still places there
                for (int i : known.missing()) {
                    if (known.block().shardNodes().get(i).equals(row.shardNodes().get(i))) {
                        indexes.add(i);
                    }
                }
            }
            if (!indexes.isEmpty()) {
                damagedBlocks.put(row.id(), new Damaged(row, List.copyOf(indexes)));
            }
        }
        missing.clear();
    }
}
