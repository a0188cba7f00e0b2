package io.mooseng.metadata.store;

import io.mooseng.core.error.MooseException;
import io.mooseng.core.metadata.PosixNamespace.InodeUpdated;
import io.mooseng.core.model.BlockRef;
import io.mooseng.core.model.BucketInfo;
import io.mooseng.core.model.InodeUpdate;
import io.mooseng.core.model.NamespaceEntry;
import io.mooseng.core.model.ObjectInfo;
import io.mooseng.core.model.ObjectKey;
import io.mooseng.core.model.ObjectManifest;
import io.mooseng.core.model.Versioning;
import io.mooseng.metadata.store.NamespaceSchema.Table;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import static io.mooseng.metadata.store.NamespaceSchema.encodeInode;
import static io.mooseng.metadata.store.NamespaceSchema.inodeKey;

/**
 * The mount's changes of files in a bucket that keeps versions, made as S3's writes make them ({@link VersionedKeys}):
 * an unlink writes a delete marker over the kept file, a rename over a file keeps the replaced one, and new content
 * makes a new version. A file keeps its inode id (the mount's handle to it) whatever its version id; it is the old
 * content that moves to a new inode when kept. Directories are not versioned.
 */
final class MountVersions {
    private final KvView kv;
    private final InodeAllocator ids;
    private final Tree tree;
    private final PosixTree posix;
    private final Versions versions;
    private final VersionedKeys versioned;

    MountVersions(KvView kv, InodeAllocator ids, Tree tree, PosixTree posix, Versions versions, VersionedKeys versioned) {
        this.kv = kv;
        this.ids = ids;
        this.tree = tree;
        this.posix = posix;
        this.versions = versions;
        this.versioned = versioned;
    }

    /** The manifest a file the mount creates gets: a new version id where versioning is enabled, else the null version. */
    ObjectManifest created(BucketInfo bucket, ObjectKey key, ObjectManifest manifest) {
        if (!enabled(bucket)) {
            // the new null version replaces a kept one (its shards are left to garbage collection)
            versioned.retire(bucket, key, Optional.empty(), true);
            return manifest.withVersionId(null);
        }
        return manifest.withVersionId(versioned.newVersionId());
    }

    /** unlink(2) of a file: its content kept as noncurrent (or dropped, a null version while suspended) under a delete marker. */
    Optional<ObjectInfo> unlink(BucketInfo bucket, ObjectKey key, long deletedMillis) {
        Optional<ObjectInfo> unlinked = posix.unlink(bucket, key, false, true, deletedMillis);
        return versioned.deleteUnlinked(bucket, key, unlinked, deletedMillis).freed();
    }

    /**
     * Before a rename of a file onto {@code to}: a file there is unlinked and kept as a noncurrent version of its key
     * (rename(2) then finds the name free).
     *
     * @return a dropped null version, whose blocks the caller may free
     */
    Optional<ObjectInfo> beforeRename(BucketInfo bucket, ObjectKey to, long changedMillis) {
        Optional<ObjectInfo> replaced = tree.delete(bucket, to, true, changedMillis, false);
        return versioned.retire(bucket, to, replaced, !enabled(bucket));
    }

    /**
     * After a file moved from {@code from} to {@code to}: it is a new version of {@code to}, and {@code from}, if it has
     * kept versions, gets a delete marker (they stay noncurrent, as after an S3 delete); a key without history gets none.
     *
     * @return a dropped null version of {@code from}, whose blocks the caller may free
     */
    Optional<ObjectInfo> afterRename(BucketInfo bucket, ObjectKey from, ObjectKey to, long changedMillis) {
        NamespaceEntry moved = posix.lookup(bucket, to);
        rewrite(moved.inode(), moved.manifest().withVersionId(enabled(bucket) ? versioned.newVersionId() : null));
        if (versions.newest(bucket.name(), from.key()).isEmpty()) {
            return Optional.empty();
        }
        return versioned.deleteUnlinked(bucket, from, Optional.empty(), changedMillis).freed();
    }

    /**
     * New content for the file at {@code key} (inode {@code inode}, its current object): the old content is kept as a
     * noncurrent version in an inode of its own, and the file gets a new version id (the null one while suspended, which
     * replaces the old content where that was the null version). Blocks the new content keeps from the old (an append, a
     * patch of a file of several blocks) cannot belong to both, since the block table gives each block one owner: such a
     * commit replaces the old content in place, as in an unversioned bucket, under a new version id. Empty content is
     * not kept either: creat(2) or an O_TRUNC open and the writes that follow make one version, not an empty one first.
     */
    InodeUpdated update(BucketInfo bucket, ObjectKey key, long inode, InodeUpdate update) {
        ObjectManifest old = tree.inode(inode).manifest();
        boolean keepOld = update.keptBlocks().isEmpty() && old.size() > 0 && (enabled(bucket) || old.versionId() != null);
        InodeUpdated updated = posix.update(bucket, inode, update);
        List<BlockRef> freed = new ArrayList<>(keepOld ? List.of() : updated.freed());
        if (!enabled(bucket)) {
            // the new null version replaces a kept one
            versioned.retire(bucket, key, Optional.empty(), true).ifPresent(dropped -> freed.addAll(dropped.manifest().blocks()));
        }
        if (keepOld) {
            // the update took the old blocks out of the index: they are the kept version's now, not to be freed
            versioned.keepNewest(bucket, tree.copyInode(new ObjectInfo(bucket.name(), key.key(), inode, old), ids.next()));
        }
        ObjectManifest m = updated.manifest().withVersionId(enabled(bucket) ? versioned.newVersionId() : null);
        rewrite(inode, m);
        return new InodeUpdated(m, freed);
    }

    /** Whether inode {@code inode} is the file {@code key} names now (a content change of it makes a version). */
    boolean isCurrent(BucketInfo bucket, ObjectKey key, long inode) {
        try {
            NamespaceEntry e = posix.lookup(bucket, key);
            return !e.directory() && e.inode() == inode;
        } catch (MooseException e) {
            return false;
        }
    }

    private void rewrite(long inode, ObjectManifest m) {
        kv.put(Table.INODES, inodeKey(inode), encodeInode(InodeRecord.file(m)));
    }

    private static boolean enabled(BucketInfo bucket) {
        return bucket.policy().versioning() == Versioning.ENABLED;
    }
}
