package io.mooseng.core.placement;

import io.mooseng.core.model.BlockId;
import io.mooseng.core.model.ChunkserverInfo;

import java.util.List;

/**
 * Chooses the chunkservers for a block's shards.
 *
 * <p>Contract: pure and deterministic: the same block id and candidates give the same
 * answer on every client. Returns {@code shardCount} distinct chunkservers, element i
 * for shard i, spread over failure domains (zone, then rack, then host) as evenly as
 * the candidates allow. Fails with INSUFFICIENT_CHUNKSERVERS if there are fewer
 * candidates than shards.
 */
public interface PlacementPolicy {
    List<ChunkserverInfo> place(BlockId block, int shardCount, List<ChunkserverInfo> candidates);

    /**
     * Chooses {@code shardCount} more chunkservers for a block whose other shards live on
     * {@code holders} (repair, rebalancing): the domains of the holders count as used, so new
     * shards go where the block has the fewest shards already. Candidates must exclude the holders.
     */
    List<ChunkserverInfo> placeBeside(BlockId block, int shardCount, List<ChunkserverInfo> holders,
                                      List<ChunkserverInfo> candidates);
}
