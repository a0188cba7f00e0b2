package io.mooseng.core.maintenance;

/**
 * The registered chunkservers as the leader's last cycle counted them: for monitoring, kept in
 * memory (unlike the report, never written to metadata).
 *
 * @param up            registered and heartbeating within the timeout
 * @param lost          registered but silent for longer than the timeout
 * @param capacityBytes capacity of the up ones
 * @param usedBytes     live shard bytes stored on the up ones
 */
public record ChunkserverFleet(int up, int lost, long capacityBytes, long usedBytes) {
    /** Before the first cycle. */
    public static final ChunkserverFleet NONE = new ChunkserverFleet(0, 0, 0, 0);
}
