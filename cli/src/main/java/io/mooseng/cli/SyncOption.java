package io.mooseng.cli;

import io.mooseng.multisite.SyncSettings;
import picocli.CommandLine.Option;

/** The multisite sync agent's settings a process takes ({@code mooseng server}, {@code mooseng master}). */
final class SyncOption {
    @Option(names = "--sync-anti-entropy-interval-ms", defaultValue = "${env:MOOSENG_SYNC_ANTI_ENTROPY_INTERVAL_MS:-"
            + SyncSettings.DEFAULT_ANTI_ENTROPY_MILLIS + "}", paramLabel = "MS",
            description = "In a zone of a zonegroup: how often each bucket's digest is compared with every peer zone's to find and "
                    + "repair changes the log missed (env MOOSENG_SYNC_ANTI_ENTROPY_INTERVAL_MS; default: ${DEFAULT-VALUE}, 10 min).")
    long antiEntropyIntervalMs;

    SyncSettings settings() {
        return SyncSettings.DEFAULTS.withAntiEntropyMillis(antiEntropyIntervalMs);
    }
}
