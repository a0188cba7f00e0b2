package io.mooseng.core.model;

/**
 * A cluster's place in multisite sync: its own zone's name ("" while it belongs to no
 * zonegroup: nothing is logged then) and the zonegroup as it knows it.
 */
public record SyncState(String localZone, Zonegroup zonegroup) {
    public static final SyncState NONE = new SyncState("", Zonegroup.NONE);

    public boolean zoned() {
        return !localZone.isEmpty();
    }
}
