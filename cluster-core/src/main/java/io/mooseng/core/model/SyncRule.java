package io.mooseng.core.model;

import java.util.List;
import java.util.Map;

/**
 * How a bucket's objects replicate between the zones of its zonegroup: a bucket setting, which
 * replicates like the others, so every zone applies the same rule. Bucket creation, deletion and
 * settings reach every zone whatever the rule.
 *
 * @param enabled  false: every object stays in the zone it was written in
 * @param zones    the zones that exchange the bucket's objects; empty: every zone of the group
 * @param source   "": changes flow between all of them; a zone: only changes made there flow, to
 *                 the others (one direction)
 * @param prefixes only keys starting with one of them replicate; empty: every key
 * @param tags     only objects carrying every one of these tags replicate (S3 replication's And filter); empty: any
 */
public record SyncRule(boolean enabled, List<String> zones, String source, List<String> prefixes, Map<String, String> tags) {
    public static final SyncRule ALL = new SyncRule(true, List.of(), "", List.of());
    public static final SyncRule OFF = new SyncRule(false, List.of(), "", List.of());

    public SyncRule {
        zones = List.copyOf(zones);
        prefixes = List.copyOf(prefixes);
        tags = Map.copyOf(tags);
        if (!source.isEmpty() && !zones.isEmpty() && !zones.contains(source)) {
            throw new IllegalArgumentException("the source zone " + source + " is not one of the zones " + zones);
        }
    }

    public SyncRule(boolean enabled, List<String> zones, String source, List<String> prefixes) {
        this(enabled, zones, source, prefixes, Map.of());
    }

    /**
     * Whether a change of {@code key} made in zone {@code origin} is applied in zone {@code to}.
     *
     * @param objectTags the object's tags; null for a change that carries none (a delete), which the tag filter lets through
     */
    public boolean flows(String origin, String to, String key, Map<String, String> objectTags) {
        return enabled
                && (zones.isEmpty() || zones.contains(origin) && zones.contains(to))
                && (source.isEmpty() || source.equals(origin))
                && (prefixes.isEmpty() || prefixes.stream().anyMatch(key::startsWith))
                && (objectTags == null || objectTags.entrySet().containsAll(tags.entrySet()));
    }

    /** Whether some change may flow under this rule that may not under {@code before}: enabling a flow backfills it. */
    public boolean widens(SyncRule before) {
        return !equals(before) && enabled;
    }
}
