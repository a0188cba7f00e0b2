package io.mooseng.core.model;

/**
 * Shard {@code index} (0..k+m-1) of a block. Ordered by block id (unsigned), then index: the
 * order of a chunkserver's inventory and of the metadata's node index, so the two merge.
 */
public record ShardId(BlockId block, int index) implements Comparable<ShardId> {
    @Override
    public int compareTo(ShardId o) {
        int c = block.compareTo(o.block);
        return c != 0 ? c : Integer.compare(index, o.index);
    }

    @Override
    public String toString() {
        return block + "/" + index;
    }
}
