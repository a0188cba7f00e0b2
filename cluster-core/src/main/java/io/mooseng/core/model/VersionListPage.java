package io.mooseng.core.model;

import java.util.List;

/**
 * A page of ListObjectVersions: versions in key order, each key's newest first, and common
 * prefixes, each in the position of its first key.
 *
 * @param nextKeyMarker       with {@code nextVersionIdMarker}, where the next page starts (null when not truncated)
 * @param nextVersionIdMarker null when the page ended on a common prefix
 */
public record VersionListPage(List<ObjectVersion> versions, List<String> commonPrefixes, boolean truncated,
                              String nextKeyMarker, String nextVersionIdMarker) {
    public VersionListPage {
        versions = List.copyOf(versions);
        commonPrefixes = List.copyOf(commonPrefixes);
    }
}
