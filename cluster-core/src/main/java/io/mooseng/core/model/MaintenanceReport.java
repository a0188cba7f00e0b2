package io.mooseng.core.model;

/**
 * What the leader's maintenance service last found and did, published through metadata so
 * every admin client (and the next leader) sees it.
 *
 * @param atMillis           when the cycle ended (the reporting master's clock)
 * @param reporter           the master that ran it
 * @param blocks             blocks in the namespace
 * @param underReplicated    blocks missing shards that can still lose more than one
 * @param endangered         blocks that can lose no further shard (exactly k left)
 * @param lost               blocks with fewer than k shards: unreadable until a chunkserver returns
 * @param repairedShards     shards rebuilt since this master became leader
 * @param repairedBytes      bytes of those shards
 * @param repairMiBPerSecond rebuild throughput over the last cycle
 * @param recodePending      objects whose class differs from their target class (re-code or cold conversion)
 * @param recodedObjects     objects re-coded since this master became leader
 * @param movedShards        shards moved by the rebalancer since this master became leader
 * @param orphanShardsDeleted shards deleted by garbage collection since this master became leader
 * @param trashPurged        trash entries expired since this master became leader
 * @param lostChunkservers   chunkservers silent for longer than the timeout, comma-separated
 * @param lifecyclePassMillis when this master's last lifecycle pass ended (0: none yet)
 * @param lifecycleExpired   versions removed or delete markers written by lifecycle expiration rules since this master became leader
 * @param lifecycleTransitioned objects re-coded by lifecycle transitions since this master became leader
 * @param lifecycleAborted   incomplete multipart uploads lifecycle rules aborted since this master became leader
 */
public record MaintenanceReport(long atMillis, String reporter, long blocks, long underReplicated, long endangered,
                                long lost, long repairedShards, long repairedBytes, double repairMiBPerSecond,
                                long recodePending, long recodedObjects, long movedShards, long orphanShardsDeleted,
                                long trashPurged, String lostChunkservers, long lifecyclePassMillis,
                                long lifecycleExpired, long lifecycleTransitioned, long lifecycleAborted) {
}
