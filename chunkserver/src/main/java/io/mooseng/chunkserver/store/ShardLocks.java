package io.mooseng.chunkserver.store;

import io.mooseng.core.model.ShardId;

import java.util.Collection;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Striped locks by shard id. A writer holds the stripe of its shard from append until its
 * record is durable, so no two records of one shard are in flight at once: the order of a
 * shard's records in the log is the order in which their writers checked the index. The
 * compactor relies on this to copy a record forward only while it is still current.
 *
 * <p>Deadlock freedom: a single writer holds one stripe; whoever needs several takes them
 * in ascending stripe order ({@link #lockAll}).
 */
final class ShardLocks {
    private static final int STRIPES = 1024;

    private final ReentrantLock[] stripes = new ReentrantLock[STRIPES];

    ShardLocks() {
        for (int i = 0; i < STRIPES; i++) {
            stripes[i] = new ReentrantLock();
        }
    }

    /** Locks the stripe of {@code id}; close the result to unlock. */
    Held lock(ShardId id) {
        ReentrantLock stripe = stripes[stripeOf(id)];
        stripe.lock();
        return stripe::unlock;
    }

    /** Locks the stripes of all {@code ids}, each once, in ascending order; close the result to unlock. */
    Held lockAll(Collection<ShardId> ids) {
        int[] order = ids.stream().mapToInt(ShardLocks::stripeOf).distinct().sorted().toArray();
        for (int s : order) {
            stripes[s].lock();
        }
        return () -> {
            for (int i = order.length - 1; i >= 0; i--) {
                stripes[order[i]].unlock();
            }
        };
    }

    private static int stripeOf(ShardId id) {
        int h = id.hashCode();
        return (h ^ (h >>> 16)) & (STRIPES - 1);
    }

    /** Stripes held by the caller. */
    interface Held extends AutoCloseable {
        @Override
        void close();
    }
}
