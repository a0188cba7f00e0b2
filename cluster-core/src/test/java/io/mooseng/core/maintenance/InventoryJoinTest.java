package io.mooseng.core.maintenance;

import io.mooseng.core.model.BlockId;
import io.mooseng.core.model.ShardId;
import io.mooseng.core.model.StoredShard;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** The census' merge of one chunkserver's inventory with its node index pages. */
class InventoryJoinTest {
    /** The node index as pages of {@code list}, counting the pages read. */
    private static final class Index implements InventoryJoin.IndexPages {
        final List<ShardId> shards;
        int pagesRead;

        Index(ShardId... shards) {
            this.shards = List.of(shards);
        }

        @Override
        public List<ShardId> page(ShardId after, int limit) {
            pagesRead++;
            return shards.stream().filter(s -> after == null || s.compareTo(after) > 0).limit(limit).toList();
        }
    }

    private record Outcome(List<ShardId> missing, List<ShardId> unreferenced, InventoryJoin.Totals totals) {
    }

    private static ShardId shard(long block, int index) {
        return new ShardId(new BlockId(0, block), index);
    }

    private static Outcome join(List<ShardId> inventory, Index index, int pageSize) {
        List<ShardId> missing = new ArrayList<>();
        List<ShardId> unreferenced = new ArrayList<>();
        InventoryJoin.Totals totals = InventoryJoin.join(inventory.stream().map(s -> new StoredShard(s, 10)).iterator(), index, pageSize,
                missing::add, unreferenced::add);
        return new Outcome(missing, unreferenced, totals);
    }

    @Test
    void shardsOnlyInTheIndexAreMissingAndOnlyInTheInventoryUnreferenced() {
        Index index = new Index(shard(1, 0), shard(2, 3), shard(4, 1), shard(7, 2));
        Outcome o = join(List.of(shard(1, 0), shard(3, 0), shard(4, 1), shard(9, 0)), index, 100);
        assertEquals(List.of(shard(2, 3), shard(7, 2)), o.missing());
        assertEquals(List.of(shard(3, 0), shard(9, 0)), o.unreferenced());
        assertEquals(new InventoryJoin.Totals(4, 40, 4), o.totals());
    }

    @Test
    void theSameBlockWithAnotherIndexIsAnotherShard() {
        Outcome o = join(List.of(shard(5, 1)), new Index(shard(5, 0), shard(5, 2)), 100);
        assertEquals(List.of(shard(5, 0), shard(5, 2)), o.missing());
        assertEquals(List.of(shard(5, 1)), o.unreferenced());
    }

    @Test
    void emptySides() {
        Outcome noInventory = join(List.of(), new Index(shard(1, 0), shard(2, 0)), 100);
        assertEquals(List.of(shard(1, 0), shard(2, 0)), noInventory.missing());
        assertEquals(List.of(), noInventory.unreferenced());

        Outcome noIndex = join(List.of(shard(1, 0), shard(2, 0)), new Index(), 100);
        assertEquals(List.of(), noIndex.missing());
        assertEquals(List.of(shard(1, 0), shard(2, 0)), noIndex.unreferenced());

        Index none = new Index();
        Outcome nothing = join(List.of(), none, 100);
        assertEquals(List.of(), nothing.missing());
        assertEquals(1, none.pagesRead, "the index is read once, after the inventory (even an empty one)");
    }

    @Test
    void theIndexIsReadPageByPageAcrossPageBoundaries() {
        List<ShardId> all = Stream.iterate(1L, i -> i + 1).limit(10).map(i -> shard(i, 0)).toList();
        Index index = new Index(all.toArray(ShardId[]::new));
        // the inventory lacks 3 and 6 (page edges at size 3) and has 11 beyond the index's end
        List<ShardId> inventory = new ArrayList<>(all);
        inventory.removeAll(List.of(shard(3, 0), shard(6, 0)));
        inventory.add(shard(11, 0));
        Outcome o = join(inventory, index, 3);
        assertEquals(List.of(shard(3, 0), shard(6, 0)), o.missing());
        assertEquals(List.of(shard(11, 0)), o.unreferenced());
        assertEquals(4, index.pagesRead, "3 full pages and the short last one: never more than a page held");
        assertEquals(10, o.totals().indexed());
    }

    @Test
    void blockIdsCompareUnsignedAsTheIndexKeysDo() {
        ShardId high = new ShardId(new BlockId(-1, 0), 0);
        ShardId low = new ShardId(new BlockId(1, 0), 0);
        Outcome o = join(List.of(low, high), new Index(low, high), 100);
        assertEquals(List.of(), o.missing());
        assertEquals(List.of(), o.unreferenced());
    }

    @Test
    void anInventoryOutOfOrderIsRefusedRatherThanTakenForGarbage() {
        assertThrows(IllegalStateException.class, () -> join(List.of(shard(2, 0), shard(1, 0)), new Index(shard(1, 0), shard(2, 0)), 100));
        assertThrows(IllegalStateException.class, () -> join(List.of(shard(1, 0), shard(1, 0)), new Index(shard(1, 0)), 100));
    }
}
