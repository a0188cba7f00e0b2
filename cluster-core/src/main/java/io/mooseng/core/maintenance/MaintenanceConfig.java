package io.mooseng.core.maintenance;

/**
 * Tuning of the leader's maintenance service. Defaults suit a production cluster; tests
 * shorten the intervals.
 *
 * @param intervalMillis         pause between two cycles (repair, GC, rebalance, re-code, trash; a census when one is due)
 * @param chunkserverTimeoutMillis a chunkserver whose heartbeat has not changed for this long is
 *                               lost: its shards are rebuilt elsewhere
 * @param repairBytesPerSecond   bound on bytes of shards rebuilt or moved per second, so client
 *                               I/O keeps flowing (0: unbounded)
 * @param repairConcurrency      shards rebuilt at once
 * @param gcGraceMillis          a shard no block references is deleted only after it stayed
 *                               unreferenced this long (uploads in flight write shards before
 *                               their commit references them)
 * @param trashRetentionMillis   retention of buckets that use the cluster default
 * @param rebalanceSpread        rebalance when the most and least used chunkservers differ by
 *                               more than this fraction of the mean usage
 * @param rebalanceMinBytes      ... and by at least this many stored bytes
 * @param movesPerCycle          shards the rebalancer moves per cycle at most
 * @param recodesPerCycle        objects re-coded per cycle at most
 * @param lifecycleObjectsPerSecond bound on the lifecycle pass's actions (expirations, version removals, aborts) per second
 * @param lifecycleDayMillis     the length of a lifecycle rule's "day": a real day in production; an operator testing rules,
 *                               or a test, shortens it so that rules of a few days apply in seconds
 * @param censusIntervalMillis   pause between two full censuses (every live chunkserver's inventory against its node
 *                               index: what finds garbage and shards lost without a report); one also runs when a
 *                               master takes over. Lost chunkservers and reported losses are queued without one
 */
public record MaintenanceConfig(long intervalMillis, long chunkserverTimeoutMillis, long repairBytesPerSecond,
                                int repairConcurrency, long gcGraceMillis, long trashRetentionMillis,
                                double rebalanceSpread, long rebalanceMinBytes, int movesPerCycle, int recodesPerCycle,
                                int lifecycleObjectsPerSecond, long lifecycleDayMillis, long censusIntervalMillis) {
    /**
     * Rebuilds at once: each mostly waits (k survivors fetched, the shard made durable), so 8
     * repaired 10-15% faster than 4 (docs/BENCHMARKS.md); a chunkserver runs 4 at most itself.
     */
    public static final int DEFAULT_REPAIR_CONCURRENCY = 8;
    public static final MaintenanceConfig DEFAULTS = new MaintenanceConfig(10_000, 60_000, 64L << 20, DEFAULT_REPAIR_CONCURRENCY,
            3_600_000, 86_400_000, 0.2, 256L << 20, 64, 16, 100, 86_400_000, 600_000);

    public MaintenanceConfig {
        if (intervalMillis < 1 || chunkserverTimeoutMillis < 1 || repairBytesPerSecond < 0 || repairConcurrency < 1
                || gcGraceMillis < 0 || trashRetentionMillis < 0 || rebalanceSpread < 0 || movesPerCycle < 0
                || recodesPerCycle < 0 || lifecycleObjectsPerSecond < 1 || lifecycleDayMillis < 1 || censusIntervalMillis < 1) {
            throw new IllegalArgumentException("invalid maintenance settings: " + this);
        }
    }

    public MaintenanceConfig withInterval(long millis) {
        return new MaintenanceConfig(millis, chunkserverTimeoutMillis, repairBytesPerSecond, repairConcurrency, gcGraceMillis,
                trashRetentionMillis, rebalanceSpread, rebalanceMinBytes, movesPerCycle, recodesPerCycle,
                lifecycleObjectsPerSecond, lifecycleDayMillis, censusIntervalMillis);
    }

    public MaintenanceConfig withChunkserverTimeout(long millis) {
        return new MaintenanceConfig(intervalMillis, millis, repairBytesPerSecond, repairConcurrency, gcGraceMillis,
                trashRetentionMillis, rebalanceSpread, rebalanceMinBytes, movesPerCycle, recodesPerCycle,
                lifecycleObjectsPerSecond, lifecycleDayMillis, censusIntervalMillis);
    }

    public MaintenanceConfig withRepairRate(long bytesPerSecond) {
        return new MaintenanceConfig(intervalMillis, chunkserverTimeoutMillis, bytesPerSecond, repairConcurrency, gcGraceMillis,
                trashRetentionMillis, rebalanceSpread, rebalanceMinBytes, movesPerCycle, recodesPerCycle,
                lifecycleObjectsPerSecond, lifecycleDayMillis, censusIntervalMillis);
    }

    public MaintenanceConfig withGcGrace(long millis) {
        return new MaintenanceConfig(intervalMillis, chunkserverTimeoutMillis, repairBytesPerSecond, repairConcurrency, millis,
                trashRetentionMillis, rebalanceSpread, rebalanceMinBytes, movesPerCycle, recodesPerCycle,
                lifecycleObjectsPerSecond, lifecycleDayMillis, censusIntervalMillis);
    }

    public MaintenanceConfig withTrashRetention(long millis) {
        return new MaintenanceConfig(intervalMillis, chunkserverTimeoutMillis, repairBytesPerSecond, repairConcurrency, gcGraceMillis,
                millis, rebalanceSpread, rebalanceMinBytes, movesPerCycle, recodesPerCycle,
                lifecycleObjectsPerSecond, lifecycleDayMillis, censusIntervalMillis);
    }

    public MaintenanceConfig withRebalance(double spread, long minBytes, int moves) {
        return new MaintenanceConfig(intervalMillis, chunkserverTimeoutMillis, repairBytesPerSecond, repairConcurrency, gcGraceMillis,
                trashRetentionMillis, spread, minBytes, moves, recodesPerCycle,
                lifecycleObjectsPerSecond, lifecycleDayMillis, censusIntervalMillis);
    }

    public MaintenanceConfig withRecodesPerCycle(int count) {
        return new MaintenanceConfig(intervalMillis, chunkserverTimeoutMillis, repairBytesPerSecond, repairConcurrency, gcGraceMillis,
                trashRetentionMillis, rebalanceSpread, rebalanceMinBytes, movesPerCycle, count,
                lifecycleObjectsPerSecond, lifecycleDayMillis, censusIntervalMillis);
    }

    public MaintenanceConfig withLifecycle(int objectsPerSecond, long dayMillis) {
        return new MaintenanceConfig(intervalMillis, chunkserverTimeoutMillis, repairBytesPerSecond, repairConcurrency, gcGraceMillis,
                trashRetentionMillis, rebalanceSpread, rebalanceMinBytes, movesPerCycle, recodesPerCycle, objectsPerSecond, dayMillis, censusIntervalMillis);
    }

    public MaintenanceConfig withCensusInterval(long millis) {
        return new MaintenanceConfig(intervalMillis, chunkserverTimeoutMillis, repairBytesPerSecond, repairConcurrency, gcGraceMillis,
                trashRetentionMillis, rebalanceSpread, rebalanceMinBytes, movesPerCycle, recodesPerCycle,
                lifecycleObjectsPerSecond, lifecycleDayMillis, millis);
    }
}
