package io.mooseng.core.model;

/** Shard {@code index} (0..k+m-1) of a block. */
public record ShardId(BlockId block, int index) {
    @Override
    public String toString() {
        return block + "/" + index;
    }
}
