package io.mooseng.metadata.store;

import io.mooseng.core.error.ErrorCode;
import io.mooseng.core.error.MooseException;
import io.mooseng.core.model.BucketInfo;
import io.mooseng.core.model.ObjectInfo;
import io.mooseng.core.model.ObjectKey;
import io.mooseng.core.model.ObjectLock;
import io.mooseng.core.model.ObjectLockConfig;
import io.mooseng.core.model.ObjectManifest;
import io.mooseng.core.model.ObjectVersion;
import io.mooseng.core.model.VersionIds;
import io.mooseng.metadata.store.NamespaceSchema.Table;

import static io.mooseng.metadata.store.NamespaceSchema.encodeInode;
import static io.mooseng.metadata.store.NamespaceSchema.inodeKey;

/**
 * S3 Object Lock in the state machine, so every front door (S3, the mount, multisite) obeys the same rules: what a
 * version's retention and legal hold forbid, the bucket's default retention for new versions, and changes of a
 * version's lock. Times are the commands' own (the writer's clock), so replicas decide alike.
 */
final class ObjectLocks {
    private final KvView kv;
    private final Tree tree;
    private final VersionedKeys versioned;

    ObjectLocks(KvView kv, Tree tree, VersionedKeys versioned) {
        this.kv = kv;
        this.tree = tree;
        this.versioned = versioned;
    }

    /**
     * The manifest a new version is stored with: in a bucket with object lock, the default retention unless its
     * writer asked for one; elsewhere without any lock (a copy or a peer zone's version may carry one).
     */
    static ObjectManifest forNewVersion(BucketInfo bucket, ObjectManifest manifest) {
        ObjectLockConfig config = bucket.policy().objectLock();
        ObjectLock lock = manifest.lock();
        if (config == null) {
            return lock.none() ? manifest : manifest.withLock(ObjectLock.NONE);
        }
        if (lock.mode() != null) {
            return manifest;
        }
        ObjectLock byDefault = config.defaultLock(manifest.mtimeMillis());
        return byDefault.none() ? manifest : manifest.withLock(byDefault.withLegalHold(lock.legalHold()));
    }

    /**
     * Refuses removing a version (or rewriting it in place) while its lock holds: a legal hold and a COMPLIANCE
     * retention always, a GOVERNANCE retention unless {@code bypassGovernance}.
     */
    static void checkRemovable(ObjectInfo version, long nowMillis, boolean bypassGovernance) {
        ObjectLock lock = version.manifest() == null ? ObjectLock.NONE : version.manifest().lock();
        if (lock.legalHold()) {
            throw locked(version, "is under a legal hold");
        }
        if (lock.retainedAt(nowMillis) && (lock.mode() == ObjectLock.Mode.COMPLIANCE || !bypassGovernance)) {
            throw locked(version, "is retained in " + lock.mode() + " mode until " + java.time.Instant.ofEpochMilli(lock.retainUntilMillis()));
        }
    }

    /**
     * Sets a version's retention while the old one holds: a COMPLIANCE one can only be extended (never shortened,
     * removed or weakened to GOVERNANCE); a GOVERNANCE one shortened or removed only with {@code bypassGovernance}.
     *
     * @param mode null to remove the retention
     */
    ObjectInfo setRetention(BucketInfo bucket, ObjectKey key, String versionId, ObjectLock.Mode mode, long untilMillis,
                            boolean bypassGovernance, long nowMillis) {
        ObjectInfo version = version(bucket, key, versionId);
        ObjectLock old = version.manifest().lock();
        if (old.retainedAt(nowMillis)) {
            boolean weaker = mode == null || untilMillis < old.retainUntilMillis()
                    || (old.mode() == ObjectLock.Mode.COMPLIANCE && mode != ObjectLock.Mode.COMPLIANCE);
            if (weaker && (old.mode() == ObjectLock.Mode.COMPLIANCE || !bypassGovernance)) {
                throw locked(version, "is retained in " + old.mode() + " mode until "
                        + java.time.Instant.ofEpochMilli(old.retainUntilMillis()) + ": the retention can only be extended"
                        + (old.mode() == ObjectLock.Mode.GOVERNANCE ? " without x-amz-bypass-governance-retention" : ""));
            }
        }
        return rewrite(version, old.withRetention(mode, mode == null ? 0 : untilMillis));
    }

    ObjectInfo setLegalHold(BucketInfo bucket, ObjectKey key, String versionId, boolean on) {
        ObjectInfo version = version(bucket, key, versionId);
        return rewrite(version, version.manifest().lock().withLegalHold(on));
    }

    /** @param versionId null for the current version */
    private ObjectInfo version(BucketInfo bucket, ObjectKey key, String versionId) {
        if (bucket.policy().objectLock() == null) {
            throw new MooseException(ErrorCode.INVALID_BUCKET_STATE, "Bucket is missing Object Lock Configuration");
        }
        ObjectVersion v = versioned.get(bucket, key, versionId);
        if (v.deleteMarker()) {
            throw new MooseException(ErrorCode.INVALID_ARGUMENT, "version " + v.versionId() + " of " + key.key() + " is a delete marker");
        }
        return v.object();
    }

    /** Only the lock changes: the inode (current or noncurrent) keeps its blocks, attributes and version id. */
    private ObjectInfo rewrite(ObjectInfo version, ObjectLock lock) {
        ObjectManifest m = version.manifest().withLock(lock);
        InodeRecord rec = tree.inode(version.inode());
        kv.put(Table.INODES, inodeKey(version.inode()), encodeInode(rec.directory() ? InodeRecord.explicitDirectory(m) : InodeRecord.file(m)));
        return new ObjectInfo(version.bucket(), version.key(), version.inode(), m);
    }

    private static MooseException locked(ObjectInfo version, String why) {
        String id = version.manifest() == null ? VersionIds.NULL : VersionIds.of(version.manifest());
        return new MooseException(ErrorCode.OBJECT_LOCKED, version.bucket() + "/" + version.key() + " version " + id + " " + why);
    }
}
