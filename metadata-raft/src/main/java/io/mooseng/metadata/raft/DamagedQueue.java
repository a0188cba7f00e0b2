package io.mooseng.metadata.raft;

import io.mooseng.core.model.BlockId;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SortedSet;
import java.util.TreeSet;

/**
 * Blocks waiting for repair in the leader's memory, bounded, most endangered first: the fewest
 * further losses the block survives (its parity shards minus those queued as damaged), then
 * the oldest. A block reported again gains the new shards and moves up if it is now worse off.
 * Not thread-safe: {@link NodeReports} synchronizes.
 */
final class DamagedQueue {
    private static final class Entry {
        final BlockId block;
        final int parityShards;
        final long sequence;
        final SortedSet<Integer> shards = new TreeSet<>();

        Entry(BlockId block, int parityShards, long sequence) {
            this.block = block;
            this.parityShards = parityShards;
            this.sequence = sequence;
        }

        int margin() {
            return parityShards - shards.size();
        }
    }

    private static final Comparator<Entry> ORDER = Comparator.comparingInt(Entry::margin).thenComparingLong(e -> e.sequence);

    private final int capacity;
    private final Map<BlockId, Entry> byBlock = new HashMap<>();
    private final TreeSet<Entry> order = new TreeSet<>(ORDER);
    private long sequence;

    DamagedQueue(int capacity) {
        this.capacity = capacity;
    }

    /** Queues damaged shards of a block of {@code parityShards} parity shards; false if the queue is full. */
    boolean add(BlockId block, List<Integer> shards, int parityShards) {
        Entry e = byBlock.get(block);
        if (e == null) {
            if (byBlock.size() >= capacity) {
                return false;
            }
            e = new Entry(block, parityShards, sequence++);
            byBlock.put(block, e);
        } else {
            order.remove(e);
        }
        e.shards.addAll(shards);
        order.add(e);
        return true;
    }

    /** Removes and returns up to {@code limit} blocks with their damaged shards, most endangered first. */
    List<Map.Entry<BlockId, List<Integer>>> take(int limit) {
        List<Map.Entry<BlockId, List<Integer>>> out = new ArrayList<>(Math.min(limit, order.size()));
        while (out.size() < limit && !order.isEmpty()) {
            Entry e = order.pollFirst();
            byBlock.remove(e.block);
            out.add(Map.entry(e.block, List.copyOf(e.shards)));
        }
        return out;
    }

    int size() {
        return byBlock.size();
    }
}
