package io.mooseng.cli.node;

import io.mooseng.core.memory.ByteBudget;
import io.mooseng.core.memory.MemoryLimits;

/**
 * The byte budget of one process, split between the roles it runs: readers and writers of
 * objects (gateway, maintenance, mount) and the chunkservers' shard receive buffers. The
 * two never borrow from each other, so a gateway that has spent its share can never keep
 * the chunkservers of its own process from taking the shards it is waiting for.
 */
public record MemoryPlan(ByteBudget objects, ByteBudget shardReceive) {
    /** The chunkservers' share when they run in one process with readers and writers. */
    static final double CHUNKSERVER_SHARE = 0.3;

    /**
     * @param totalBytes the process's budget, or <= 0 for {@link MemoryLimits#defaultBudget()}
     */
    public static MemoryPlan of(long totalBytes, boolean objects, boolean chunkservers) {
        long total = totalBytes > 0 ? totalBytes : MemoryLimits.defaultBudget();
        long forChunkservers = !chunkservers ? 0 : objects ? (long) (total * CHUNKSERVER_SHARE) : total;
        long forObjects = total - forChunkservers;
        return new MemoryPlan(objects ? new ByteBudget("objects", forObjects) : null,
                chunkservers ? new ByteBudget("shard-receive", forChunkservers) : null);
    }
}
