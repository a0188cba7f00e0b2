package io.mooseng.multisite;

/**
 * Tuning of a zone's sync agent.
 *
 * @param pollMillis   pause between rounds that applied nothing while behind (parked changes, errors back off from it)
 * @param longPollMillis how long a peer holds a request for news once this zone caught up with it
 * @param configMillis how often zonegroup configurations are compared with the peers' (and the log trimmed)
 * @param maxLogEntries entries a shard of this zone's log keeps at most, consumed or not: a peer
 *                      further behind full-syncs
 * @param antiEntropyMillis how often this zone compares its buckets' digests with each peer's
 *                          ({@link AntiEntropy}; also after each full sync)
 */
public record SyncSettings(long pollMillis, long longPollMillis, long configMillis, long maxLogEntries, long antiEntropyMillis) {
    public static final long DEFAULT_ANTI_ENTROPY_MILLIS = 600_000;
    public static final SyncSettings DEFAULTS = new SyncSettings(100, 10_000, 2_000, 1_000_000, DEFAULT_ANTI_ENTROPY_MILLIS);

    public SyncSettings {
        if (antiEntropyMillis < 100) {
            throw new IllegalArgumentException("the anti-entropy interval must be at least 100 ms: " + antiEntropyMillis);
        }
    }

    public SyncSettings withAntiEntropyMillis(long millis) {
        return new SyncSettings(pollMillis, longPollMillis, configMillis, maxLogEntries, millis);
    }
}
