package io.mooseng.core.model;

import io.mooseng.core.clock.HybridLogicalClock;

import java.util.Objects;

/**
 * When and where a replicated change was made: its hybrid-logical-clock timestamp and its
 * origin zone. Stamps order changes to one key the same way in every zone: the higher
 * timestamp wins and the zone name breaks ties (last writer wins without trusting clocks
 * beyond the HLC's rules).
 */
public record ZoneStamp(long hlc, String zone) implements Comparable<ZoneStamp> {
    /** What no stamp beats: nothing was ever written. */
    public static final ZoneStamp NONE = new ZoneStamp(0, "");

    public ZoneStamp {
        Objects.requireNonNull(zone, "zone");
    }

    /** The stamp of a version written before its cluster joined a zonegroup: its mtime, from no zone. */
    public static ZoneStamp unzoned(long mtimeMillis) {
        return new ZoneStamp(HybridLogicalClock.timestamp(Math.max(0, mtimeMillis), 0), "");
    }

    @Override
    public int compareTo(ZoneStamp o) {
        int c = Long.compare(hlc, o.hlc);
        return c != 0 ? c : zone.compareTo(o.zone);
    }

    public boolean after(ZoneStamp o) {
        return compareTo(o) > 0;
    }

    /** As the x-mooseng-stamp header carries it: {@code <hlc> <zone>}. */
    @Override
    public String toString() {
        return hlc + " " + zone;
    }

    /** @throws IllegalArgumentException unless {@code text} is what {@link #toString()} makes */
    public static ZoneStamp parse(String text) {
        int space = text.indexOf(' ');
        if (space <= 0) {
            throw new IllegalArgumentException("not a zone stamp: " + text);
        }
        return new ZoneStamp(Long.parseLong(text.substring(0, space)), text.substring(space + 1));
    }
}
