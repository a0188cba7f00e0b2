package io.mooseng.core.model;

import java.util.List;
import java.util.Optional;

/**
 * The zones that replicate to each other, as every zone keeps it. A change raises the epoch;
 * zones exchange their copies and keep the one with the highest epoch (ties: the greater
 * {@link #fingerprint}), so any zone can change it while another is down.
 *
 * @param syncAccessKey access key the zones' sync agents sign their requests to peers with: a
 *                      key of every zone, whose secret each zone keeps sealed in its own key
 *                      record (this configuration, which travels between zones, holds no secret)
 */
public record Zonegroup(String name, long epoch, List<Zone> zones, String syncAccessKey) {
    public static final Zonegroup NONE = new Zonegroup("", 0, List.of(), "");

    /** A zone and the S3 endpoints of its gateways. */
    public record Zone(String name, List<String> endpoints) {
        public Zone {
            endpoints = List.copyOf(endpoints);
            if (!name.matches("[a-z0-9][a-z0-9-]{0,62}")) {
                throw new IllegalArgumentException("zone names are 1-63 characters of a-z, 0-9 and '-': " + name);
            }
        }
    }

    public Zonegroup {
        zones = List.copyOf(zones);
    }

    public Optional<Zone> zone(String zoneName) {
        return zones.stream().filter(z -> z.name().equals(zoneName)).findFirst();
    }

    /** Whether {@code other} replaces this copy: a higher epoch, or the same epoch and a greater fingerprint. */
    public boolean supersededBy(Zonegroup other) {
        return other.epoch > epoch || other.epoch == epoch && other.fingerprint().compareTo(fingerprint()) > 0;
    }

    /** Orders two different configurations made at the same epoch the same way everywhere. */
    public String fingerprint() {
        return name + "|" + zones + "|" + syncAccessKey;
    }
}
