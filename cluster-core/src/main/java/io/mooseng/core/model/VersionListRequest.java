package io.mooseng.core.model;

/**
 * ListObjectVersions' arguments.
 *
 * @param prefix          "" for all keys
 * @param delimiter       null for none
 * @param keyMarker       start after this key (null: from the first)
 * @param versionIdMarker with a key marker: start after this version of it (null: after all its versions)
 * @param maxKeys         versions, delete markers and common prefixes to answer at most
 */
public record VersionListRequest(String prefix, String delimiter, String keyMarker, String versionIdMarker, int maxKeys) {
    public VersionListRequest {
        prefix = prefix == null ? "" : prefix;
        if (maxKeys < 0) {
            throw new IllegalArgumentException("maxKeys " + maxKeys);
        }
    }
}
