package io.mooseng.core.object;

import java.util.concurrent.Executor;
import java.util.function.LongSupplier;

/** What every writer of one {@link ObjectService} shares. */
record WriteContext(BlockWriter blocks, ShardReclaimer reclaimer, Executor codingPool, ObjectServiceConfig config,
                    LongSupplier clock) {
}
