package io.mooseng.core.metadata;

import io.mooseng.core.model.BlockId;
import io.mooseng.core.model.BlockRef;
import io.mooseng.core.model.DamagedBlock;
import io.mooseng.core.model.QueuedShards;
import io.mooseng.core.model.ShardId;
import io.mooseng.core.model.ShardMove;

import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * Every block the namespace references, for maintenance: scans, shard moves and the queue
 * of blocks readers found damaged.
 * Non-blocking and linearizable: see {@link MetadataService} for the contract.
 */
public interface BlockTable {
    /** Up to {@code limit} blocks of all objects, parts and trash entries after {@code after} (null: from the start), in id order. */
    CompletableFuture<List<BlockRef>> scanBlocks(BlockId after, int limit);

    /**
     * Up to {@code limit} shards the block table places on chunkserver {@code node}, after
     * {@code after} (null: from the first), in shard id order (block id unsigned, then index):
     * the node index, kept in the same batch as every block row.
     */
    CompletableFuture<List<ShardId>> shardsOnNode(String node, ShardId after, int limit);

    /** The rows of these blocks, in the order given; blocks gone are left out. */
    CompletableFuture<List<BlockRef>> blocks(List<BlockId> ids);

    /** Blocks in the table. */
    CompletableFuture<Long> countBlocks();

    /**
     * The leader queues for repair up to {@code limit} shards its node index places on the
     * (lost) chunkserver {@code node}, after {@code after}, as if a reader had found them
     * missing; it stops early when the queue is full.
     */
    CompletableFuture<QueuedShards> queueShardsOfNode(String node, ShardId after, int limit);

    /**
     * Records that shards of a block moved. Fails with NO_SUCH_BLOCK if the block is gone and
     * CONCURRENT_CHANGE if a shard is not where a move says it comes from.
     */
    CompletableFuture<Void> moveShards(BlockId block, List<ShardMove> moves);

    /**
     * A reader found these shards of a block missing or corrupt: the leader queues the block
     * for repair (in memory, bounded; the maintenance census finds whatever a lost report misses).
     */
    CompletableFuture<Void> reportDamagedShards(BlockId block, List<Integer> shards);

    /** Takes up to {@code limit} queued damaged blocks, as the block table has them now (blocks gone since are dropped). */
    CompletableFuture<List<DamagedBlock>> takeDamagedBlocks(int limit);
}
