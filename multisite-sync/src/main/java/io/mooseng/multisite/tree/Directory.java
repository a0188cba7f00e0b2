package io.mooseng.multisite.tree;

import io.mooseng.core.model.ZoneStamp;

import io.mooseng.core.model.ObjectKey;

import java.util.HashMap;
import java.util.Map;
import java.util.NavigableMap;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.function.Predicate;

/**
 * The children of one node and the names they are shown under; see {@link ReplicatedTree} for
 * the collision rule. Visible names are derived from the entries alone, never stored, so every
 * replica with the same entries shows the same names.
 */
final class Directory {
    // name -> the children placed under it, keyed by the move that placed them (stamps are unique)
    private final Map<String, NavigableMap<ZoneStamp, Long>> byName = new HashMap<>();

    void add(long child, Placement placement) {
        byName.computeIfAbsent(placement.name(), n -> new TreeMap<>()).put(placement.placedBy(), child);
    }

    void remove(Placement placement) {
        NavigableMap<ZoneStamp, Long> group = byName.get(placement.name());
        group.remove(placement.placedBy());
        if (group.isEmpty()) {
            byName.remove(placement.name());
        }
    }

    boolean isEmpty() {
        return byName.isEmpty();
    }

    /** The visible name of {@code child}, which is placed here as {@code placement}. */
    String visibleName(long child, Placement placement) {
        if (byName.get(placement.name()).firstEntry().getValue() == child) {
            return placement.name(); // the common case: no collision, or the oldest placement
        }
        return visibleNames().entrySet().stream()
                .filter(e -> e.getValue() == child).findFirst().orElseThrow().getKey();
    }

    /** Visible name -> child, every child exactly once. */
    SortedMap<String, Long> visibleNames() {
        SortedMap<String, Long> shown = new TreeMap<>();
        NavigableMap<ZoneStamp, String> losers = new TreeMap<>(); // placing stamp -> name, in stamp order
        byName.forEach((name, group) -> {
            shown.put(name, group.firstEntry().getValue());
            group.keySet().stream().skip(1).forEach(stamp -> losers.put(stamp, name));
        });
        // winners first, so a derived name never takes a real one; then losers oldest first
        losers.forEach((stamp, name) -> shown.put(derivedName(name, stamp, shown::containsKey), byName.get(name).get(stamp)));
        return shown;
    }

    /** {@code name~zone~hlc}, else {@code name~zone~hlc~2}, {@code ~3}, ...: the first not taken. */
    private static String derivedName(String name, ZoneStamp placedBy, Predicate<String> taken) {
        String suffix = "~" + placedBy.zone() + "~" + placedBy.hlc();
        String candidate = fit(name, suffix);
        for (int n = 2; taken.test(candidate); n++) {
            candidate = fit(name, suffix + "~" + n);
        }
        return candidate;
    }

    // cuts the name at a code point so name + suffix stays a valid segment (the suffix is ASCII, under 100 bytes)
    private static String fit(String name, String suffix) {
        int room = ObjectKey.MAX_SEGMENT_BYTES - suffix.length();
        int end = 0;
        for (int used = 0; end < name.length(); end += Character.charCount(name.codePointAt(end))) {
            used += utf8Length(name.codePointAt(end));
            if (used > room) {
                break;
            }
        }
        return name.substring(0, end) + suffix;
    }

    private static int utf8Length(int codePoint) {
        return codePoint < 0x80 ? 1 : codePoint < 0x800 ? 2 : codePoint < 0x10000 ? 3 : 4;
    }
}
