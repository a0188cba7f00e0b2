package io.mooseng.chunkserver.store;

/**
 * Space accounting of one segment file, for compaction and metrics.
 *
 * @param sizeBytes bytes of the file holding records (live or not)
 * @param liveBytes bytes of the records the index points to (header, checksums, payload)
 */
public record SegmentStats(int id, long sizeBytes, long liveBytes) {
    /** Bytes compaction would reclaim: overwritten and deleted shards, tombstones, skipped records. */
    public long deadBytes() {
        return sizeBytes - liveBytes;
    }
}
