package io.mooseng.multisite;

/**
 * Tuning of a zone's sync agent.
 *
 * @param pollMillis   pause between rounds that applied nothing while behind (parked changes, errors back off from it)
 * @param longPollMillis how long a peer holds a request for news once this zone caught up with it
 * @param configMillis how often zonegroup configurations are compared with the peers' (and the log trimmed)
 * @param maxLogEntries entries a shard of this zone's log keeps at most, consumed or not: a peer
 *                      further behind full-syncs
 */
public record SyncSettings(long pollMillis, long longPollMillis, long configMillis, long maxLogEntries) {
    public static final SyncSettings DEFAULTS = new SyncSettings(100, 10_000, 2_000, 1_000_000);
}
