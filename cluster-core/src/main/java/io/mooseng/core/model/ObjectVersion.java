package io.mooseng.core.model;

/**
 * One version of a key in a bucket's history: an object version or a delete marker.
 *
 * @param versionId   its id ({@link VersionIds}), {@link VersionIds#NULL} for the null version
 * @param latest      whether it is the key's newest version
 * @param mtimeMillis when it was written (a delete marker: when the delete happened)
 * @param object      the version's content and attributes; null for a delete marker
 */
public record ObjectVersion(String key, String versionId, boolean latest, long mtimeMillis, ObjectInfo object) {
    public boolean deleteMarker() {
        return object == null;
    }
}
