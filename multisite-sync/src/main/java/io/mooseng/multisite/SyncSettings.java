package io.mooseng.multisite;

/**
 * Tuning of a zone's sync agent.
 *
 * @param pollMillis   how often an idle peer's log is asked for news
 * @param configMillis how often zonegroup configurations are compared with the peers' (and the log trimmed)
 * @param maxLogEntries entries a shard of this zone's log keeps at most, consumed or not: a peer
 *                      further behind full-syncs
 */
public record SyncSettings(long pollMillis, long configMillis, long maxLogEntries) {
    public static final SyncSettings DEFAULTS = new SyncSettings(100, 2_000, 1_000_000);
}
