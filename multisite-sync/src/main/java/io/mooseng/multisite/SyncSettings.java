package io.mooseng.multisite;

/**
 * Tuning of a zone's sync agent.
 *
 * @param pollMillis   how often an idle peer's log is asked for news
 * @param configMillis how often zonegroup configurations are compared with the peers'
 */
public record SyncSettings(long pollMillis, long configMillis) {
    public static final SyncSettings DEFAULTS = new SyncSettings(100, 2_000);
}
