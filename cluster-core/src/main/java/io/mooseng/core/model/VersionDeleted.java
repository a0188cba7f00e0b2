package io.mooseng.core.model;

import java.util.Optional;

/**
 * Outcome of a delete in a bucket that may keep versions.
 *
 * @param versionId    the version removed, or the delete marker written (null: nothing was there to remove in an
 *                     unversioned bucket)
 * @param deleteMarker whether {@code versionId} is a delete marker (written now, or removed by its id)
 * @param freed        the removed version if its blocks may be freed now (empty when trashed, kept, or a marker)
 */
public record VersionDeleted(String versionId, boolean deleteMarker, Optional<ObjectInfo> freed) {
}
