package io.mooseng.core.status;

import java.util.List;

/**
 * This cluster's place in a zonegroup and its lag behind each peer zone, as the web console's
 * multisite call answers it.
 *
 * @param zone      this cluster's zone, or null when it belongs to no zonegroup
 * @param zonegroup the zonegroup's name, or null
 * @param peers     every other zone of the zonegroup (none without one)
 */
public record MultisiteStatus(String zone, String zonegroup, List<PeerLag> peers) {
    public static final MultisiteStatus NONE = new MultisiteStatus(null, null, List.of());
}
