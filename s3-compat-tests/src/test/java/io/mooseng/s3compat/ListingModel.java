package io.mooseng.s3compat;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;

/**
 * The reference for ListObjects: S3's rules applied to an in-memory key set. Keys sort by
 * their UTF-8 bytes (not Java's UTF-16 order: U+FF21 sorts before U+1F600 in UTF-16 and
 * after it in UTF-8); a key containing the delimiter after the prefix rolls up into the
 * common prefix that ends at the delimiter's first occurrence; keys and common prefixes
 * share one sequence in byte order, which the pages cut.
 */
final class ListingModel {
    static final Comparator<String> UTF8_ORDER = (a, b) ->
            Arrays.compareUnsigned(a.getBytes(StandardCharsets.UTF_8), b.getBytes(StandardCharsets.UTF_8));

    /** One listing entry: an object key or a common prefix. */
    record Entry(String name, boolean commonPrefix) {
        @Override
        public String toString() {
            return commonPrefix ? "PRE " + name : name;
        }
    }

    private final List<String> sorted;

    ListingModel(Collection<String> keys) {
        this.sorted = keys.stream().sorted(UTF8_ORDER).toList();
    }

    List<String> keys() {
        return sorted;
    }

    /**
     * Everything a complete listing (all pages) returns.
     *
     * @param delimiter  null for none
     * @param startAfter null for none; exclusive. Must not fall inside a common prefix, where S3
     *                   implementations differ on whether the prefix is listed again.
     */
    List<Entry> list(String prefix, String delimiter, String startAfter) {
        List<Entry> out = new ArrayList<>();
        for (String key : sorted) {
            if (!key.startsWith(prefix) || startAfter != null && UTF8_ORDER.compare(key, startAfter) <= 0) {
                continue;
            }
            int at = delimiter == null ? -1 : key.indexOf(delimiter, prefix.length());
            if (at < 0) {
                out.add(new Entry(key, false));
                continue;
            }
            String common = key.substring(0, at + delimiter.length());
            if (startAfter != null && UTF8_ORDER.compare(common, startAfter) <= 0) {
                throw new IllegalArgumentException("start-after " + startAfter + " falls inside common prefix " + common);
            }
            if (out.isEmpty() || !out.get(out.size() - 1).equals(new Entry(common, true))) {
                out.add(new Entry(common, true));
            }
        }
        return out;
    }

    /**
     * One page as a client sees it, keys and common prefixes merged back into one sequence.
     * Merging (not sorting) keeps any misordering within either list visible.
     */
    static List<Entry> merge(List<String> keys, List<String> commonPrefixes) {
        List<Entry> out = new ArrayList<>(keys.size() + commonPrefixes.size());
        int k = 0;
        int p = 0;
        while (k < keys.size() || p < commonPrefixes.size()) {
            boolean takeKey = p == commonPrefixes.size()
                    || k < keys.size() && UTF8_ORDER.compare(keys.get(k), commonPrefixes.get(p)) < 0;
            out.add(takeKey ? new Entry(keys.get(k++), false) : new Entry(commonPrefixes.get(p++), true));
        }
        return out;
    }
}
