package io.mooseng.multisite.tree;

import java.util.Comparator;
import java.util.regex.Pattern;

/**
 * The identity and order of a {@link Move}: the hybrid-logical-clock timestamp it was made at
 * (one long, millis &lt;&lt; 16 | counter, as {@link io.mooseng.core.clock.HybridLogicalClock}
 * returns) and the zone that made it.
 *
 * <p>Stamps are ordered by hlc, then by zone name (so concurrent moves made in the same clock
 * tick in two zones still have one order everywhere). A zone's clock never repeats a
 * timestamp, so a stamp names exactly one move. Zone names are 1 to 64 characters of
 * {@code [A-Za-z0-9._-]}: they appear in visible names of colliding entries and must keep
 * those valid file names that parse back unambiguously (no '~').
 */
public record Stamp(long hlc, String zone) implements Comparable<Stamp> {
    private static final Pattern ZONE = Pattern.compile("[A-Za-z0-9._-]{1,64}");
    private static final Comparator<Stamp> ORDER = Comparator.comparingLong(Stamp::hlc).thenComparing(Stamp::zone);

    public Stamp {
        if (hlc < 0) {
            throw new IllegalArgumentException("negative hlc: " + hlc);
        }
        if (zone == null || !ZONE.matcher(zone).matches()) {
            throw new IllegalArgumentException("zone must be 1-64 characters of [A-Za-z0-9._-]: " + zone);
        }
    }

    @Override
    public int compareTo(Stamp other) {
        return ORDER.compare(this, other);
    }

    @Override
    public String toString() {
        return hlc + "@" + zone;
    }
}
