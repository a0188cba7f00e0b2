package io.mooseng.core.model;

import java.util.List;

/**
 * A block some of whose shards a reader found missing or corrupt, queued for repair.
 *
 * @param block  the block as the block table has it now
 * @param shards indexes of the shards reported damaged, ascending
 */
public record DamagedBlock(BlockRef block, List<Integer> shards) {
    public DamagedBlock {
        shards = List.copyOf(shards);
    }
}
