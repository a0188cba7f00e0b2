package io.mooseng.metadata.store;

import io.mooseng.core.error.ErrorCode;
import io.mooseng.core.error.MooseException;
import io.mooseng.core.metadata.ObjectNamespace.StoredObject;
import io.mooseng.core.model.BucketInfo;
import io.mooseng.core.model.ObjectInfo;
import io.mooseng.core.model.ObjectKey;
import io.mooseng.core.model.ObjectManifest;
import io.mooseng.core.model.ObjectVersion;
import io.mooseng.core.model.RemoteApplied;
import io.mooseng.core.model.VersionDeleted;
import io.mooseng.core.model.VersionIds;
import io.mooseng.core.model.Versioning;
import io.mooseng.core.model.ZoneStamp;
import io.mooseng.metadata.store.Versions.Row;

import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * Writes and deletes of keys in a bucket that keeps versions, and reads of versions by id. The
 * tree holds a key's current object (what the mount and unversioned reads see); the
 * {@link Versions} rows hold the rest. A version's id derives from its inode id, which the log
 * index orders, so newer versions sort first. Directory marker keys are directories, not versioned.
 */
final class VersionedKeys {
    private final InodeAllocator ids;
    private final Tree tree;
    private final Versions versions;
    private final Trash trash;
    /** The zone this cluster is ("" outside a zonegroup), whose versions' ids it mints. */
    private final Supplier<String> zone;

    VersionedKeys(InodeAllocator ids, Tree tree, Versions versions, Trash trash, Supplier<String> zone) {
        this.ids = ids;
        this.tree = tree;
        this.versions = versions;
        this.trash = trash;
        this.zone = zone;
    }

    /** A new version's id, from a sequence of this entry: see {@link VersionIds#minted}. */
    String idOf(long sequence) {
        return VersionIds.minted(sequence, zone.get());
    }

    String newVersionId() {
        return idOf(ids.next());
    }

    static boolean applies(BucketInfo bucket, ObjectKey key) {
        return bucket.policy().versioning().keepsVersions() && !key.directoryMarker();
    }

    /**
     * Stores a new current version: with versioning enabled under a new id, the current one kept as
     * noncurrent; suspended, as the null version, replacing the key's null version wherever it is.
     *
     * @return the stored object, and a null version it replaced (its blocks are the caller's to free)
     */
    StoredObject put(BucketInfo bucket, ObjectKey key, ObjectManifest manifest) {
        boolean enabled = bucket.policy().versioning() == Versioning.ENABLED;
        // the inode and blocks are kept (a hard-linked file only loses this name and is not kept); no pruning: a put follows
        Optional<ObjectInfo> freed = retire(bucket, key, tree.delete(bucket, key, true, manifest.mtimeMillis(), false), !enabled);
        long id = ids.next(); // after the retired version's row: the new version is newer
        String versionId = enabled ? idOf(id) : null;
        StoredObject stored = tree.put(bucket, key, manifest.withVersionId(versionId), id);
        return new StoredObject(stored.object(), freed.isPresent() ? freed : stored.replaced());
    }

    /** A delete without a version id: the current version is kept (unless null and suspended) and a delete marker written. */
    VersionDeleted deleteCurrent(BucketInfo bucket, ObjectKey key, long deletedMillis) {
        return deleteUnlinked(bucket, key, tree.delete(bucket, key, true, deletedMillis, true), deletedMillis);
    }

    /**
     * As {@link #deleteCurrent} once the key's current object is unlinked from the tree (its inode kept), by S3 or
     * by the mount (whose unlink keeps the emptied directory).
     *
     * @param unlinked the unlinked object; empty when the key had none (or only lost one of a file's hard links)
     */
    VersionDeleted deleteUnlinked(BucketInfo bucket, ObjectKey key, Optional<ObjectInfo> unlinked, long deletedMillis) {
        boolean suspended = bucket.policy().versioning() == Versioning.SUSPENDED;
        Optional<ObjectInfo> freed = retire(bucket, key, unlinked, suspended);
        long id = ids.next(); // after the retired version's row: the marker is newer
        String markerId = suspended ? null : idOf(id);
        versions.addMarker(bucket.name(), key.key(), id, markerId, deletedMillis, null);
        return new VersionDeleted(markerId == null ? VersionIds.NULL : markerId, true, freed);
    }

    /**
     * Stamps the delete marker this command just wrote for the key (its sequence is of this log entry), if it wrote one:
     * the stamp orders it among versions that peers' zones add later.
     *
     * @return the marker's id; null when none was written or it is the null version
     */
    String stampNewMarker(BucketInfo bucket, ObjectKey key, ZoneStamp stamp) {
        Optional<Row> marker = versions.newest(bucket.name(), key.key()).filter(r -> r.deleteMarker() && !ids.isEarlier(r.sequence()));
        marker.ifPresent(r -> versions.addMarker(bucket.name(), key.key(), r.sequence(), r.versionId(), r.millis(), stamp));
        return marker.map(Row::versionId).orElse(null);
    }

    /**
     * A peer zone's version of the key (versioning enabled here), under the id its origin zone gave it: the newest by
     * stamp becomes current as a local write makes it (the current one kept as noncurrent); an older one is inserted
     * among the noncurrent versions at its stamp's place (the rows newer than it move to new sequences), so every zone
     * lists the same versions in the same order whatever order they arrived in. A version held here already is not
     * added again; held with an older stamp (a tag change restamps a version in place) it is replaced by the peer's copy.
     *
     * @param manifest the object version on this zone's content, or null for a delete marker
     * @return whether it was stored, and a replaced copy whose blocks the caller may free
     */
    RemoteApplied putRemote(BucketInfo bucket, ObjectKey key, String versionId, ZoneStamp stamp, ObjectManifest manifest, long millis) {
        Optional<ObjectInfo> replaced = Optional.empty();
        ObjectInfo current = current(bucket, key);
        Optional<Row> held = versions.find(bucket.name(), key.key(), versionId);
        if (current != null && versionId.equals(current.manifest().versionId())) {
            if (!stamp.after(current.manifest().effectiveStamp())) {
                return RemoteApplied.SKIPPED;
            }
            replaced = tree.delete(bucket, key, false, millis, false);
            promote(bucket, key);
        } else if (held.isPresent()) {
            if (!stamp.after(versions.stampOf(bucket.name(), held.get()))) {
                return RemoteApplied.SKIPPED;
            }
            if (held.get().deleteMarker()) {
                versions.remove(bucket.name(), held.get());
            } else {
                replaced = Optional.of(versions.drop(bucket.name(), held.get()));
            }
        }
        if (stamp.after(newestStamp(bucket, key))) {
            retire(bucket, key, tree.delete(bucket, key, true, millis, manifest == null), false);
            long id = ids.next(); // after the retired version's row: the new version is newer
            if (manifest == null) {
                versions.addMarker(bucket.name(), key.key(), id, versionId, millis, stamp);
            } else {
                tree.put(bucket, key, manifest.withVersionId(versionId), id);
            }
            return new RemoteApplied(true, replaced);
        }
        List<Row> newer = versions.newerThan(bucket.name(), key.key(), stamp);
        long id = ids.next();
        if (manifest == null) {
            versions.addMarker(bucket.name(), key.key(), id, versionId, millis, stamp);
        } else {
            // an inode of its own, never linked into the tree: a noncurrent version from the start
            versions.keep(tree.copyInode(new ObjectInfo(bucket.name(), key.key(), id, manifest.withVersionId(versionId)), id));
        }
        for (Row r : newer.reversed()) {
            versions.resequence(bucket.name(), r, ids.next());
        }
        return new RemoteApplied(true, replaced);
    }

    /** The stamp of the key's newest version (its current object, else its newest row); NONE without any. */
    ZoneStamp newestStamp(BucketInfo bucket, ObjectKey key) {
        ObjectInfo current = current(bucket, key);
        return current != null ? current.manifest().effectiveStamp()
                : versions.newest(bucket.name(), key.key()).map(r -> versions.stampOf(bucket.name(), r)).orElse(ZoneStamp.NONE);
    }

    /**
     * What replacing or deleting the key's current object does with it once it is unlinked from the tree: it is kept
     * as the newest noncurrent version; when the key's new newest version is a null one ({@code nullReplaced}) the
     * key's null version is dropped instead, wherever it is.
     *
     * @param unlinked the unlinked object, its inode kept; empty for none
     * @return a dropped null version, whose blocks the caller may free
     */
    Optional<ObjectInfo> retire(BucketInfo bucket, ObjectKey key, Optional<ObjectInfo> unlinked, boolean nullReplaced) {
        Optional<ObjectInfo> freed = Optional.empty();
        Optional<Row> keptNull = nullReplaced ? versions.nullVersion(bucket.name(), key.key()) : Optional.empty();
        if (keptNull.isPresent() && keptNull.get().deleteMarker()) {
            versions.remove(bucket.name(), keptNull.get());
        } else if (keptNull.isPresent()) {
            freed = Optional.of(versions.drop(bucket.name(), keptNull.get()));
        }
        if (unlinked.isEmpty()) {
            return freed;
        }
        if (nullReplaced && unlinked.get().manifest().versionId() == null) {
            tree.dropInode(unlinked.get());
            return unlinked;
        }
        keepNewest(bucket, unlinked.get());
        return freed;
    }

    /**
     * Keeps a version as its key's newest row. A row sorts by its inode id, so an inode older than the key's newest row
     * (one the mount reserved early, or a file renamed onto the key) first moves to a new id.
     */
    void keepNewest(BucketInfo bucket, ObjectInfo version) {
        Optional<Row> newest = versions.newest(bucket.name(), version.key());
        versions.keep(newest.isPresent() && newest.get().sequence() >= version.inode() ? tree.moveInode(version, ids.next()) : version);
    }

    /**
     * Removes one version for good: an object version to the bucket's trash (or freed when the bucket keeps no
     * trash); the current one's removal makes the next newest version current if that is an object.
     *
     * @param versionId a well-formed id or "null"
     * @param bypassGovernance the caller may remove a version under a GOVERNANCE retention
     * @return what was removed; {@code promoted} when another version became the current object
     */
    Removal deleteVersion(BucketInfo bucket, ObjectKey key, String versionId, long deletedMillis, boolean bypassGovernance) {
        ObjectInfo current = current(bucket, key);
        if (current != null && VersionIds.of(current.manifest()).equals(versionId)) {
            ObjectLocks.checkRemovable(current, deletedMillis, bypassGovernance);
            boolean toTrash = bucket.policy().trashRetentionMillis() != 0;
            Optional<ObjectInfo> removed = tree.delete(bucket, key, toTrash, deletedMillis);
            if (toTrash && removed.isPresent()) {
                trash.add(removed.get(), deletedMillis);
                removed = Optional.empty();
            }
            return new Removal(new VersionDeleted(versionId, false, removed), true, promote(bucket, key));
        }
        Optional<Row> found = versions.find(bucket.name(), key.key(), versionId);
        if (found.isEmpty()) {
            return new Removal(new VersionDeleted(versionId, false, Optional.empty()), false, false);
        }
        Row row = found.get();
        if (!row.deleteMarker()) {
            ObjectLocks.checkRemovable(versions.object(bucket.name(), row), deletedMillis, bypassGovernance);
        }
        boolean newest = current == null && versions.newest(bucket.name(), key.key()).map(r -> r.sequence() == row.sequence()).orElse(false);
        Optional<ObjectInfo> freed = Optional.empty();
        if (row.deleteMarker()) {
            versions.remove(bucket.name(), row);
        } else if (bucket.policy().trashRetentionMillis() != 0) {
            versions.remove(bucket.name(), row);
            trash.add(versions.object(bucket.name(), row), deletedMillis);
        } else {
            freed = Optional.of(versions.drop(bucket.name(), row));
        }
        return new Removal(new VersionDeleted(versionId, row.deleteMarker(), freed), newest, newest && promote(bucket, key));
    }

    /**
     * @param latestRemoved the key's newest version was removed (what it shows may have changed)
     * @param promoted      an older object version became current
     */
    record Removal(VersionDeleted deleted, boolean latestRemoved, boolean promoted) {
    }

    /** Links the key's newest kept version back into the tree if it is an object (not a delete marker). */
    private boolean promote(BucketInfo bucket, ObjectKey key) {
        Optional<Row> newest = versions.newest(bucket.name(), key.key());
        if (newest.isEmpty() || newest.get().deleteMarker()) {
            return false;
        }
        ObjectInfo version = versions.object(bucket.name(), newest.get());
        versions.remove(bucket.name(), newest.get());
        tree.put(bucket, key, version.manifest(), version.inode());
        return true;
    }

    /**
     * A version by id, or with {@code versionId} null the key's newest: its current object, or a delete marker
     * newer than every kept object.
     */
    ObjectVersion get(BucketInfo bucket, ObjectKey key, String versionId) {
        ObjectInfo current = current(bucket, key);
        if (current != null && (versionId == null || VersionIds.of(current.manifest()).equals(versionId))) {
            return new ObjectVersion(key.key(), VersionIds.of(current.manifest()), true, current.mtimeMillis(), current);
        }
        if (versionId == null) {
            Optional<Row> newest = versions.newest(bucket.name(), key.key()).filter(Row::deleteMarker);
            return newest.map(r -> versions.answer(bucket.name(), r, true)).orElseThrow(() -> noSuchKey(bucket, key));
        }
        Optional<Row> found = versions.find(bucket.name(), key.key(), versionId);
        if (found.isPresent()) {
            boolean latest = current == null && versions.newest(bucket.name(), key.key()).get().sequence() == found.get().sequence();
            return versions.answer(bucket.name(), found.get(), latest);
        }
        if (current == null && versions.newest(bucket.name(), key.key()).isEmpty()) {
            throw noSuchKey(bucket, key);
        }
        throw new MooseException(ErrorCode.NO_SUCH_VERSION, "no version " + versionId + " of " + bucket.name() + "/" + key.key());
    }

    /** The key's current object, or null. */
    ObjectInfo current(BucketInfo bucket, ObjectKey key) {
        try {
            return tree.get(bucket, key);
        } catch (MooseException e) {
            if (e.code() != ErrorCode.NO_SUCH_KEY) {
                throw e;
            }
            return null;
        }
    }

    private static MooseException noSuchKey(BucketInfo bucket, ObjectKey key) {
        return new MooseException(ErrorCode.NO_SUCH_KEY, "no such key: " + bucket.name() + "/" + key.key());
    }
}
