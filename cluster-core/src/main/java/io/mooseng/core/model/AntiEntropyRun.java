package io.mooseng.core.model;

/**
 * The last anti-entropy comparison of this zone with one peer zone, kept in this zone's
 * metadata for {@code admin sync status}.
 *
 * @param finishedMillis when it ended
 * @param ranges         ranges whose digests were compared
 * @param repaired       the peer's entries applied here because this zone lacked them or held an older state
 * @param error          why it stopped early, or null
 */
public record AntiEntropyRun(long finishedMillis, long ranges, long repaired, String error) {
}
