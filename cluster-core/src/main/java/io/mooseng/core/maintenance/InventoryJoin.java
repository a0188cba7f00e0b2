package io.mooseng.core.maintenance;

import io.mooseng.core.model.ShardId;
import io.mooseng.core.model.StoredShard;

import java.util.Iterator;
import java.util.List;
import java.util.function.Consumer;

/**
 * Compares one chunkserver's inventory with the node index (the shards the block table places
 * there) as a merge of two streams in shard id order, so memory is one index page whatever the
 * sizes: a shard only in the index is missing, one only in the inventory is unreferenced.
 *
 * <p>The first index page is read when the first inventory shard is consumed (or the inventory
 * ends), after the chunkserver took its inventory snapshot: every index page is then read after
 * the listing, so a shard reported unreferenced was unreferenced at some moment after it was
 * listed (the garbage collector's guarantee).
 */
final class InventoryJoin {
    /** A page of the node index after {@code after} (null: from the first), in shard id order. */
    interface IndexPages {
        List<ShardId> page(ShardId after, int limit);
    }

    /** What the merge saw: shards listed, their bytes, shards the index placed there. */
    record Totals(long listed, long storedBytes, long indexed) {
    }

    private final IndexPages index;
    private final int pageSize;
    private List<ShardId> page;
    private int position;
    private boolean lastPage;
    private long indexed;

    private InventoryJoin(IndexPages index, int pageSize) {
        this.index = index;
        this.pageSize = pageSize;
    }

    /**
     * Merges an inventory (ascending shard ids, each once) with the node index.
     *
     * @throws IllegalStateException if the inventory is not in ascending shard id order (its
     *                               chunkserver's answer cannot be trusted for garbage then)
     */
    static Totals join(Iterator<StoredShard> inventory, IndexPages index, int pageSize, Consumer<ShardId> missing,
                       Consumer<ShardId> unreferenced) {
        return new InventoryJoin(index, pageSize).run(inventory, missing, unreferenced);
    }

    private Totals run(Iterator<StoredShard> inventory, Consumer<ShardId> missing, Consumer<ShardId> unreferenced) {
        long listed = 0;
        long bytes = 0;
        ShardId previous = null;
        while (inventory.hasNext()) {
            StoredShard s = inventory.next();
            if (previous != null && s.id().compareTo(previous) <= 0) {
                throw new IllegalStateException("inventory not in shard id order: " + s.id() + " after " + previous);
            }
            previous = s.id();
            listed++;
            bytes += s.length();
            ShardId next = peek();
            while (next != null && next.compareTo(s.id()) < 0) {
                missing.accept(next);
                next = advance();
            }
            if (next != null && next.equals(s.id())) {
                advance();
            } else {
                unreferenced.accept(s.id());
            }
        }
        for (ShardId next = peek(); next != null; next = advance()) {
            missing.accept(next);
        }
        return new Totals(listed, bytes, indexed);
    }

    /** The current index entry, reading the next page when the current one is used up; null at the end. */
    private ShardId peek() {
        if (page == null || (position == page.size() && !lastPage)) {
            ShardId after = page == null ? null : page.get(page.size() - 1); // a full page: not empty
            page = index.page(after, pageSize);
            position = 0;
            lastPage = page.size() < pageSize;
            indexed += page.size();
        }
        return position < page.size() ? page.get(position) : null;
    }

    private ShardId advance() {
        position++;
        return peek();
    }
}
