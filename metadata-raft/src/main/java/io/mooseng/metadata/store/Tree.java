package io.mooseng.metadata.store;

import io.mooseng.core.metadata.ObjectNamespace.StoredObject;

import io.mooseng.core.error.ErrorCode;
import io.mooseng.core.error.MooseException;
import io.mooseng.core.model.BucketInfo;
import io.mooseng.core.model.ObjectInfo;
import io.mooseng.core.model.ObjectKey;
import io.mooseng.core.model.ObjectEncryption;
import io.mooseng.core.model.ObjectManifest;
import io.mooseng.metadata.store.KvView.Cursor;
import io.mooseng.metadata.store.NamespaceSchema.Table;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import static io.mooseng.metadata.store.NamespaceSchema.decodeDentry;
import static io.mooseng.metadata.store.NamespaceSchema.decodeInode;
import static io.mooseng.metadata.store.NamespaceSchema.dentryKey;
import static io.mooseng.metadata.store.NamespaceSchema.dentryPrefix;
import static io.mooseng.metadata.store.NamespaceSchema.dirSortName;
import static io.mooseng.metadata.store.NamespaceSchema.encodeInode;
import static io.mooseng.metadata.store.NamespaceSchema.fileSortName;
import static io.mooseng.metadata.store.NamespaceSchema.inodeKey;

/**
 * A bucket's directory tree: keys resolved to directory entries, objects created,
 * replaced and removed. As in S3, object {@code a/b} and keys under {@code a/b/} coexist: a
 * file and a directory of the same name are two entries (their sort names differ). A
 * directory lives while it is explicit or has children.
 */
final class Tree {
    private final KvView kv;
    private final InodeAllocator ids;
    private final BlockIndex blocks;
    private final Dentries dentries;

    /** @param ids null for a read-only view */
    Tree(KvView kv, InodeAllocator ids) {
        this.kv = kv;
        this.ids = ids;
        this.blocks = new BlockIndex(kv);
        this.dentries = new Dentries(kv);
    }

    BlockIndex blocks() {
        return blocks;
    }

    /** The only writer of directory entries (and of the directories' subdirectory counts). */
    Dentries dentries() {
        return dentries;
    }

    /** A directory entry on a path: {@code parent} holds {@code sortName} -> {@code inode}. */
    record Step(long parent, String sortName, long inode) {
    }

    /** @return the inode of directory {@code name} in {@code parent}, or null */
    Long directory(long parent, String name) {
        byte[] d = kv.get(Table.DENTRIES, dentryKey(parent, dirSortName(name)));
        return d == null ? null : decodeDentry(d);
    }

    InodeRecord inode(long id) {
        byte[] v = kv.get(Table.INODES, inodeKey(id));
        if (v == null) {
            throw new IllegalStateException("dangling directory entry: inode " + id + " missing");
        }
        return decodeInode(v);
    }

    boolean hasChildren(long dir) {
        byte[] prefix = dentryPrefix(dir);
        try (Cursor c = kv.seekWithin(Table.DENTRIES, prefix)) {
            return c.valid() && NamespaceSchema.startsWith(c.key(), prefix);
        }
    }

    ObjectInfo get(BucketInfo bucket, ObjectKey key) {
        List<Step> path = walk(bucket, key);
        byte[] d = path == null ? null : kv.get(Table.DENTRIES, dentryKey(parentOf(bucket, path), sortName(key)));
        if (d != null) {
            long id = decodeDentry(d);
            InodeRecord rec = inode(id);
            if (!rec.directory() || rec.explicit()) {
                return new ObjectInfo(bucket.name(), key.key(), id, rec.manifest());
            }
        }
        throw new MooseException(ErrorCode.NO_SUCH_KEY, "no such key: " + bucket.name() + "/" + key.key());
    }

    /**
     * Creates or replaces the object, creating missing parent directories. A marker key
     * makes its directory explicit (keeping the marker's manifest).
     */
    StoredObject put(BucketInfo bucket, ObjectKey key, ObjectManifest manifest) {
        return put(bucket, key, manifest, 0);
    }

    /** As {@link #put(BucketInfo, ObjectKey, ObjectManifest)}, re-linking file inode {@code inode} if not 0. */
    StoredObject put(BucketInfo bucket, ObjectKey key, ObjectManifest manifest, long inode) {
        int last = key.segments().size() - 1;
        String name = key.name();
        long parent = ensureDirectories(bucket, key, last);
        if (key.directoryMarker()) {
            byte[] d = kv.get(Table.DENTRIES, dentryKey(parent, dirSortName(name)));
            long id = d != null ? decodeDentry(d) : inode != 0 ? inode : ids.next();
            InodeRecord old = d == null ? null : inode(id);
            kv.put(Table.INODES, inodeKey(id), encodeInode(InodeRecord.explicitDirectory(manifest)));
            dentries.put(parent, dirSortName(name), id);
            ObjectInfo object = new ObjectInfo(bucket.name(), key.key(), id, manifest);
            boolean replaced = old != null && old.explicit();
            return new StoredObject(object, replaced ? Optional.of(new ObjectInfo(bucket.name(), key.key(), id, old.manifest())) : Optional.empty());
        }
        byte[] old = kv.get(Table.DENTRIES, dentryKey(parent, fileSortName(name)));
        // a new inode per version: a PUT replaces the file as rename-over does
        long id = inode != 0 ? inode : ids.next();
        kv.put(Table.INODES, inodeKey(id), encodeInode(InodeRecord.file(manifest)));
        dentries.put(parent, fileSortName(name), id);
        blocks.add(new BlockOwner.Inode(id), manifest.blocks());
        ObjectInfo object = new ObjectInfo(bucket.name(), key.key(), id, manifest);
        if (old == null) {
            return new StoredObject(object, Optional.empty());
        }
        long oldId = decodeDentry(old);
        InodeRecord oldRecord = inode(oldId);
        if (!releaseLink(oldId, oldRecord, manifest.mtimeMillis())) {
            return new StoredObject(object, Optional.empty());
        }
        kv.delete(Table.INODES, inodeKey(oldId));
        blocks.remove(oldRecord.manifest().blocks());
        return new StoredObject(object, Optional.of(new ObjectInfo(bucket.name(), key.key(), oldId, oldRecord.manifest())));
    }

    /**
     * Puts a new manifest on the current version of an object (same inode), e.g. its blocks
     * re-coded to another class. Fails with CONCURRENT_CHANGE if {@code inode} is no longer the
     * object's current version.
     *
     * @return the version as it was, whose blocks the caller may now free
     */
    ObjectInfo replaceManifest(BucketInfo bucket, ObjectKey key, long inode, ObjectManifest manifest) {
        ObjectInfo current;
        try {
            current = get(bucket, key);
        } catch (MooseException e) {
            throw new MooseException(ErrorCode.CONCURRENT_CHANGE, bucket.name() + "/" + key.key() + " was deleted");
        }
        if (current.inode() != inode || key.directoryMarker()) {
            throw new MooseException(ErrorCode.CONCURRENT_CHANGE, bucket.name() + "/" + key.key() + " was replaced");
        }
        return replaceInode(current, manifest);
    }

    /** Puts a new manifest on a file inode (a current or kept version), its blocks in the index with it; @return it as it was. */
    ObjectInfo replaceInode(ObjectInfo version, ObjectManifest manifest) {
        kv.put(Table.INODES, inodeKey(version.inode()), encodeInode(InodeRecord.file(manifest)));
        blocks.remove(version.manifest().blocks());
        blocks.add(new BlockOwner.Inode(version.inode()), manifest.blocks());
        return version;
    }

    /**
     * Puts {@code wrappedKey} in place of the SSE-S3 data key of inode {@code id} if it still holds
     * {@code expected}, wherever the inode is linked (or trashed); nothing else of it changes.
     *
     * @return false when the inode is gone or its key is another one (a concurrent write won)
     */
    boolean resealObject(long id, byte[] expected, byte[] wrappedKey) {
        byte[] v = kv.get(Table.INODES, inodeKey(id));
        InodeRecord rec = v == null ? null : decodeInode(v);
        ObjectEncryption e = rec == null || rec.directory() || rec.manifest() == null ? null : rec.manifest().encryption();
        if (e == null || e.mode() != ObjectEncryption.Mode.SSE_S3 || !java.util.Arrays.equals(e.wrappedKey(), expected)) {
            return false;
        }
        ObjectEncryption resealed = new ObjectEncryption(e.mode(), e.salt(), wrappedKey, e.customerKeyMd5());
        kv.put(Table.INODES, inodeKey(id), encodeInode(InodeRecord.file(rec.manifest().withEncryption(resealed))));
        return true;
    }

    /**
     * Removes the object, or the explicit directory of a marker key (only its explicit flag
     * if it has children), then every ancestor left empty and implicit. With {@code trash}
     * an object's inode and blocks stay, unlinked, for the caller to record in the trash.
     */
    Optional<ObjectInfo> delete(BucketInfo bucket, ObjectKey key, boolean trash, long deletedMillis) {
        return delete(bucket, key, trash, deletedMillis, true);
    }

    /** As {@link #delete(BucketInfo, ObjectKey, boolean, long)}; without {@code prune} empty ancestors stay (a put follows). */
    Optional<ObjectInfo> delete(BucketInfo bucket, ObjectKey key, boolean trash, long deletedMillis, boolean prune) {
        List<Step> path = walk(bucket, key);
        if (path == null) {
            return Optional.empty();
        }
        long parent = parentOf(bucket, path);
        byte[] d = kv.get(Table.DENTRIES, dentryKey(parent, sortName(key)));
        if (d == null) {
            return Optional.empty();
        }
        long id = decodeDentry(d);
        InodeRecord rec = inode(id);
        ObjectInfo removed = new ObjectInfo(bucket.name(), key.key(), id, rec.manifest());
        if (key.directoryMarker()) {
            if (!rec.explicit()) {
                return Optional.empty();
            }
            if (hasChildren(id)) {
                kv.put(Table.INODES, inodeKey(id), encodeInode(InodeRecord.implicitDirectory()));
                return Optional.of(removed);
            }
        }
        dentries.delete(parent, sortName(key));
        if (!rec.directory() && !releaseLink(id, rec, deletedMillis)) {
            if (prune) {
                prune(path);
            }
            return Optional.empty();
        }
        if (!trash || rec.directory()) {
            kv.delete(Table.INODES, inodeKey(id));
            if (rec.manifest() != null) {
                blocks.remove(rec.manifest().blocks());
            }
        }
        if (prune) {
            prune(path);
        }
        return Optional.of(removed);
    }

    /** Moves an unlinked file inode to id {@code to}, which owns its blocks from now on; @return it there. */
    ObjectInfo moveInode(ObjectInfo unlinked, long to) {
        ObjectInfo moved = copyInode(unlinked, to);
        kv.delete(Table.INODES, inodeKey(unlinked.inode()));
        return moved;
    }

    /** Writes file {@code version}'s manifest as inode {@code to}, which owns its blocks from now on; @return it there. */
    ObjectInfo copyInode(ObjectInfo version, long to) {
        kv.put(Table.INODES, inodeKey(to), encodeInode(InodeRecord.file(version.manifest())));
        blocks.add(new BlockOwner.Inode(to), version.manifest().blocks());
        return new ObjectInfo(version.bucket(), version.key(), to, version.manifest());
    }

    /** Removes an unlinked file inode and its blocks from the index (the caller frees the blocks). */
    void dropInode(ObjectInfo unlinked) {
        kv.delete(Table.INODES, inodeKey(unlinked.inode()));
        blocks.remove(unlinked.manifest().blocks());
    }

    /**
     * Drops one name of a file inode: with other hard links left its link count goes down and
     * its ctime moves to {@code changedMillis}.
     *
     * @return true if that was the last name (the caller removes or trashes the inode)
     */
    boolean releaseLink(long id, InodeRecord rec, long changedMillis) {
        ObjectManifest m = rec.manifest();
        if (m.posix() == null || m.posix().nlink() <= 1) {
            return true;
        }
        kv.put(Table.INODES, inodeKey(id), encodeInode(InodeRecord.file(
                m.withAttributes(m.mtimeMillis(), m.properties(), m.posix().withLinks(m.posix().nlink() - 1).changedAt(changedMillis)))));
        return false;
    }

    private void prune(List<Step> path) {
        for (int i = path.size() - 1; i >= 0; i--) {
            Step s = path.get(i);
            if (inode(s.inode()).explicit() || hasChildren(s.inode())) {
                return;
            }
            dentries.delete(s.parent(), s.sortName());
            kv.delete(Table.INODES, inodeKey(s.inode()));
        }
    }

    /** The parent directories of the key's last segment, root first; null if one is missing. */
    List<Step> walk(BucketInfo bucket, ObjectKey key) {
        List<Step> path = new ArrayList<>();
        long dir = bucket.inode();
        for (int i = 0; i < key.segments().size() - 1; i++) {
            String sortName = dirSortName(key.segments().get(i));
            byte[] d = kv.get(Table.DENTRIES, dentryKey(dir, sortName));
            if (d == null) {
                return null;
            }
            long child = decodeDentry(d);
            path.add(new Step(dir, sortName, child));
            dir = child;
        }
        return path;
    }

    /** The directory of the key's first {@code count} segments, creating missing ones (implicit) beside any file of their name. */
    long ensureDirectories(BucketInfo bucket, ObjectKey key, int count) {
        long dir = bucket.inode();
        for (int i = 0; i < count; i++) {
            String name = key.segments().get(i);
            Long child = directory(dir, name);
            if (child == null) {
                child = ids.next();
                kv.put(Table.INODES, inodeKey(child), encodeInode(InodeRecord.implicitDirectory()));
                dentries.put(dir, dirSortName(name), child);
            }
            dir = child;
        }
        return dir;
    }

    boolean exists(long parent, String sortName) {
        return kv.get(Table.DENTRIES, dentryKey(parent, sortName)) != null;
    }

    static long parentOf(BucketInfo bucket, List<Step> path) {
        return path.isEmpty() ? bucket.inode() : path.get(path.size() - 1).inode();
    }

    static String sortName(ObjectKey key) {
        return key.directoryMarker() ? dirSortName(key.name()) : fileSortName(key.name());
    }
}
