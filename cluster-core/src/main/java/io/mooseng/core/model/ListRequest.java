package io.mooseng.core.model;

/**
 * A listing in S3 terms, over full keys in unsigned byte order (UTF-8).
 *
 * @param prefix     only keys starting with it ("" for all)
 * @param delimiter  null or a non-empty string: keys with it after the prefix roll up
 *                   into a common prefix ending at its first occurrence
 * @param startAfter null, or list only entries (keys or common prefixes) sorting after it;
 *                   a common prefix that {@code startAfter} starts with is not repeated,
 *                   so a marker that was a common prefix resumes after its whole group
 * @param maxKeys    0..1000; keys and common prefixes both count
 */
public record ListRequest(String prefix, String delimiter, String startAfter, int maxKeys) {
    public ListRequest {
        prefix = prefix == null ? "" : prefix;
        if (delimiter != null && delimiter.isEmpty()) {
            delimiter = null;
        }
        if (startAfter != null && startAfter.isEmpty()) {
            startAfter = null;
        }
    }
}
