package io.mooseng.metadata.store;

import io.mooseng.core.error.ErrorCode;
import io.mooseng.core.error.MooseException;
import io.mooseng.core.metadata.PosixNamespace.InodeUpdated;
import io.mooseng.core.model.BlockRef;
import io.mooseng.core.model.BucketInfo;
import io.mooseng.core.model.InodeUpdate;
import io.mooseng.core.model.NamespaceEntry;
import io.mooseng.core.model.ObjectInfo;
import io.mooseng.core.model.ObjectKey;
import io.mooseng.core.model.ObjectManifest;
import io.mooseng.core.model.ObjectProperties;
import io.mooseng.core.model.PosixAttributes;
import io.mooseng.core.model.TwinName;
import io.mooseng.metadata.store.KvView.Cursor;
import io.mooseng.metadata.store.NamespaceSchema.Table;
import io.mooseng.metadata.store.Tree.Step;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

import static io.mooseng.metadata.store.NamespaceSchema.decodeDentry;
import static io.mooseng.metadata.store.NamespaceSchema.dentryKey;
import static io.mooseng.metadata.store.NamespaceSchema.dentryPrefix;
import static io.mooseng.metadata.store.NamespaceSchema.dentrySortName;
import static io.mooseng.metadata.store.NamespaceSchema.dirSortName;
import static io.mooseng.metadata.store.NamespaceSchema.encodeInode;
import static io.mooseng.metadata.store.NamespaceSchema.fileSortName;
import static io.mooseng.metadata.store.NamespaceSchema.inodeKey;
import static io.mooseng.metadata.store.NamespaceSchema.startsWith;

/**
 * The tree operations a mounted filesystem needs beyond S3's: entries by name, directory
 * pages, exclusive create, atomic rename, hard links, unlink/rmdir and inode updates.
 *
 * <p>Unlike S3 deletes, a directory never disappears here because its last entry went: a
 * directory only implied by keys is made explicit (a "dir/" marker) when it becomes empty,
 * since a POSIX directory lives until rmdir.
 *
 * <p>Where S3 made object {@code a/b} beside directory {@code a/b/}, the directory keeps the
 * name {@code b} and the object is reached by its twin name ({@link TwinName}); the mount
 * itself never makes such a pair: a name taken by either kind is taken.
 */
final class PosixTree {
    private static final String EMPTY_MD5 = "d41d8cd98f00b204e9800998ecf8427e";

    private final KvView kv;
    private final Tree tree;

    PosixTree(KvView kv, Tree tree) {
        this.kv = kv;
        this.tree = tree;
    }

    /** The file (or symlink) or directory the key names; NO_SUCH_KEY if none. */
    NamespaceEntry lookup(BucketInfo bucket, ObjectKey key) {
        return find(bucket, key).entry();
    }

    /** The bucket's root directory. */
    NamespaceEntry root(BucketInfo bucket) {
        return entry(bucket.name(), bucket.inode(), tree.inode(bucket.inode()));
    }

    /** Inode {@code id} under {@code name}; a directory's with the count of directories it holds (its links). */
    private NamespaceEntry entry(String name, long id, InodeRecord rec) {
        long subdirectories = rec.directory() ? tree.dentries().subdirectories(id) : 0;
        return new NamespaceEntry(name, id, rec.directory(), rec.manifest(), (int) Math.min(subdirectories, Integer.MAX_VALUE));
    }

    /** The S3 key of what the mount's {@code key} names (a twin name stands for its object's key); NO_SUCH_KEY if none. */
    String objectKey(BucketInfo bucket, ObjectKey key) {
        Named n = find(bucket, key);
        String parent = key.key().substring(0, key.key().length() - key.name().length() - (key.directoryMarker() ? 1 : 0));
        return parent + n.sortName();
    }

    private Named find(BucketInfo bucket, ObjectKey key) {
        List<Step> path = tree.walk(bucket, key);
        Named n = path == null ? null : resolve(Tree.parentOf(bucket, path), key.name());
        if (n == null) {
            throw noSuchEntry(bucket, key);
        }
        return n;
    }

    /** Up to {@code limit} entries of a directory (null: the bucket's root) after sort name {@code after}. */
    List<NamespaceEntry> readDirectory(BucketInfo bucket, ObjectKey dir, String after, int limit) {
        long inode = bucket.inode();
        if (dir != null) {
            NamespaceEntry d = lookup(bucket, dir);
            if (!d.directory()) {
                throw new MooseException(ErrorCode.NOT_A_DIRECTORY, bucket.name() + "/" + dir.key() + " is not a directory");
            }
            inode = d.inode();
        }
        byte[] prefix = dentryPrefix(inode);
        byte[] from = after == null ? prefix : dentryKey(inode, storedAfter(inode, after));
        List<NamespaceEntry> out = new ArrayList<>();
        try (Cursor c = kv.seekWithin(Table.DENTRIES, prefix, from)) {
            if (after != null && c.valid() && Arrays.equals(c.key(), from)) {
                c.next();
            }
            for (; c.valid() && startsWith(c.key(), prefix) && out.size() < limit; c.next()) {
                String sortName = dentrySortName(c.key());
                boolean directory = sortName.endsWith("/");
                String name = directory ? sortName.substring(0, sortName.length() - 1) : shownName(inode, sortName);
                if (name == null) {
                    continue;
                }
                long child = decodeDentry(c.value());
                out.add(entry(name, child, tree.inode(child)));
            }
        }
        return out;
    }

    /**
     * Creates a file, or a directory for a marker key, only if the name is free (ALREADY_EXISTS),
     * with inode id {@code inode} (one the client reserved; 0: a new one).
     */
    ObjectInfo create(BucketInfo bucket, ObjectKey key, ObjectManifest manifest, long inode) {
        long parent = parentFor(bucket, key);
        if (resolve(parent, key.name()) != null) {
            throw new MooseException(ErrorCode.ALREADY_EXISTS, bucket.name() + "/" + key.key() + " exists");
        }
        touch(parent, manifest.mtimeMillis());
        return tree.put(bucket, key, manifest, inode).object();
    }

    /** Applies {@code update} to the inode wherever it is linked (or trashed); NO_SUCH_KEY if it is gone. */
    InodeUpdated update(BucketInfo bucket, long inode, InodeUpdate update) {
        if (kv.get(Table.INODES, inodeKey(inode)) == null) {
            throw new MooseException(ErrorCode.NO_SUCH_KEY, "inode " + inode + " no longer exists");
        }
        InodeRecord rec = tree.inode(inode);
        List<BlockRef> old = rec.manifest() == null ? List.of() : rec.manifest().blocks();
        List<Integer> kept = update.keptBlocks();
        if (!kept.isEmpty()) {
            List<BlockRef> merged = new ArrayList<>(update.content().blocks());
            for (int at : kept) {
                if (at >= old.size() || !old.get(at).id().equals(merged.get(at).id())) {
                    // written over content another client has replaced since: the kept blocks may be gone
                    throw new MooseException(ErrorCode.CONCURRENT_CHANGE, "inode " + inode + " changed while being written");
                }
                // the block as recorded now: a repair may have moved its shards since the writer read it
                merged.set(at, old.get(at));
            }
            update = update.withContent(update.content().withBlocks(update.content().storageClass(), merged));
        }
        ObjectManifest updated = update.applyTo(rec.manifest(), rec.directory(), marker(bucket, update.changedMillis()));
        if (rec.directory()) {
            if (update.content() != null) {
                throw new MooseException(ErrorCode.IS_A_DIRECTORY, "inode " + inode + " is a directory");
            }
            kv.put(Table.INODES, inodeKey(inode), encodeInode(InodeRecord.explicitDirectory(updated)));
            return new InodeUpdated(updated, List.of());
        }
        kv.put(Table.INODES, inodeKey(inode), encodeInode(InodeRecord.file(updated)));
        if (update.content() == null) {
            return new InodeUpdated(updated, List.of());
        }
        List<BlockRef> replaced = InodeUpdate.withoutPositions(old, kept);
        tree.blocks().remove(replaced);
        tree.blocks().add(new BlockOwner.Inode(inode), update.newBlocks());
        return new InodeUpdated(updated, replaced);
    }

    /**
     * Moves an entry, replacing the target as rename(2) does (a file replaces a file, a
     * directory an empty directory), in one step whatever the directory holds; with
     * {@code noReplace} an existing target fails it (RENAME_NOREPLACE).
     *
     * @return the replaced file if its blocks may be freed now
     */
    Optional<ObjectInfo> rename(BucketInfo bucket, ObjectKey from, ObjectKey to, boolean noReplace, long changedMillis) {
        List<Step> srcPath = tree.walk(bucket, from);
        long srcParent = srcPath == null ? 0 : Tree.parentOf(bucket, srcPath);
        Named source = srcPath == null ? null : resolve(srcParent, from.name());
        if (source == null) {
            throw noSuchEntry(bucket, from);
        }
        NamespaceEntry src = source.entry();
        if (src.directory() && (to.key() + "/").startsWith(from.key() + "/")) {
            throw new MooseException(ErrorCode.INVALID_ARGUMENT, "cannot move " + from.key() + " into itself");
        }
        long dstParent = parentFor(bucket, to);
        Named dst = resolve(dstParent, to.name());
        Optional<ObjectInfo> freed = Optional.empty();
        if (dst != null) {
            if (noReplace) {
                throw new MooseException(ErrorCode.ALREADY_EXISTS, bucket.name() + "/" + to.key() + " exists");
            }
            if (dst.entry().inode() == src.inode()) {
                return freed;
            }
            freed = removeTarget(bucket, to, dstParent, src, dst, changedMillis);
        }
        tree.dentries().delete(srcParent, source.sortName());
        // onto a twin name: the file becomes that object
        tree.dentries().put(dstParent, dst != null ? dst.sortName() : sortName(src.directory(), to.name()), src.inode());
        keepDirectory(bucket, srcPath, changedMillis);
        touch(srcParent, changedMillis);
        touch(dstParent, changedMillis);
        changed(src.inode(), changedMillis);
        return freed;
    }

    /**
     * RENAME_EXCHANGE: two existing names swap what they name (files or whole directories, of
     * either kind), in one step; neither may contain the other.
     */
    void exchange(BucketInfo bucket, ObjectKey a, ObjectKey b, long changedMillis) {
        List<Step> aPath = tree.walk(bucket, a);
        List<Step> bPath = tree.walk(bucket, b);
        long aParent = aPath == null ? 0 : Tree.parentOf(bucket, aPath);
        long bParent = bPath == null ? 0 : Tree.parentOf(bucket, bPath);
        Named namedA = aPath == null ? null : resolve(aParent, a.name());
        Named namedB = bPath == null ? null : resolve(bParent, b.name());
        if (namedA == null || namedB == null) {
            throw noSuchEntry(bucket, namedA == null ? a : b);
        }
        NamespaceEntry atA = namedA.entry();
        NamespaceEntry atB = namedB.entry();
        if (atA.inode() == atB.inode()) {
            return;
        }
        if ((b.key() + "/").startsWith(a.key() + "/") || (a.key() + "/").startsWith(b.key() + "/")) {
            throw new MooseException(ErrorCode.INVALID_ARGUMENT, "cannot exchange " + a.key() + " with " + b.key() + ": one contains the other");
        }
        String toB = sortName(atA.directory(), namedB.storedName());
        String toA = sortName(atB.directory(), namedA.storedName());
        if (takenBeside(bParent, toB, namedB, namedA) || takenBeside(aParent, toA, namedA, namedB)) {
            // a file would land beside a directory of its name, or the reverse: the mount makes no twins
            throw new MooseException(ErrorCode.ALREADY_EXISTS, "cannot exchange " + a.key() + " with " + b.key()
                    + ": a file and a directory of one name would result");
        }
        tree.dentries().delete(aParent, namedA.sortName());
        tree.dentries().delete(bParent, namedB.sortName());
        tree.dentries().put(bParent, toB, atA.inode());
        tree.dentries().put(aParent, toA, atB.inode());
        touch(aParent, changedMillis);
        touch(bParent, changedMillis);
        changed(atA.inode(), changedMillis);
        changed(atB.inode(), changedMillis);
    }

    /** Whether {@code sortName} in {@code parent} holds an entry other than the two being exchanged. */
    private boolean takenBeside(long parent, String sortName, Named... leaving) {
        for (Named n : leaving) {
            if (n.parent() == parent && n.sortName().equals(sortName)) {
                return false;
            }
        }
        return tree.exists(parent, sortName);
    }

    private Optional<ObjectInfo> removeTarget(BucketInfo bucket, ObjectKey to, long dstParent, NamespaceEntry src, Named target,
                                              long changedMillis) {
        NamespaceEntry dst = target.entry();
        if (src.directory() && !dst.directory()) {
            throw new MooseException(ErrorCode.NOT_A_DIRECTORY, bucket.name() + "/" + to.key() + " is not a directory");
        }
        if (!src.directory() && dst.directory()) {
            throw new MooseException(ErrorCode.IS_A_DIRECTORY, bucket.name() + "/" + to.key() + " is a directory");
        }
        if (dst.directory() && tree.hasChildren(dst.inode())) {
            throw new MooseException(ErrorCode.DIRECTORY_NOT_EMPTY, bucket.name() + "/" + to.key() + " is not empty");
        }
        tree.dentries().delete(dstParent, target.sortName());
        InodeRecord rec = tree.inode(dst.inode());
        if (!dst.directory() && !tree.releaseLink(dst.inode(), rec, changedMillis)) {
            return Optional.empty();
        }
        kv.delete(Table.INODES, inodeKey(dst.inode()));
        if (rec.manifest() == null) {
            return Optional.empty();
        }
        tree.blocks().remove(rec.manifest().blocks());
        return Optional.of(new ObjectInfo(bucket.name(), to.key(), dst.inode(), rec.manifest()));
    }

    /** A second name for a file; ALREADY_EXISTS if the new name is taken. */
    NamespaceEntry link(BucketInfo bucket, ObjectKey existing, ObjectKey newKey, long changedMillis) {
        NamespaceEntry src = lookup(bucket, existing);
        if (src.directory()) {
            throw new MooseException(ErrorCode.IS_A_DIRECTORY, "cannot hard-link directory " + bucket.name() + "/" + existing.key());
        }
        long parent = parentFor(bucket, newKey);
        if (resolve(parent, newKey.name()) != null) {
            throw new MooseException(ErrorCode.ALREADY_EXISTS, bucket.name() + "/" + newKey.key() + " exists");
        }
        ObjectManifest m = src.manifest();
        PosixAttributes posix = src.posix().withLinks(src.posix().nlink() + 1);
        ObjectManifest linked = m.withAttributes(m.mtimeMillis(), m.properties(), changedMillis > 0 ? posix.changedAt(changedMillis) : posix);
        kv.put(Table.INODES, inodeKey(src.inode()), encodeInode(InodeRecord.file(linked)));
        tree.dentries().put(parent, fileSortName(newKey.name()), src.inode());
        touch(parent, changedMillis);
        return new NamespaceEntry(newKey.name(), src.inode(), false, linked);
    }

    /**
     * unlink(2) ({@code directory} false) or rmdir(2). A file's last name leaves its inode in
     * place when {@code keepInode} (the caller trashes it).
     *
     * @return the removed file if that was its last name
     */
    Optional<ObjectInfo> unlink(BucketInfo bucket, ObjectKey key, boolean directory, boolean keepInode, long changedMillis) {
        List<Step> path = tree.walk(bucket, key);
        long parent = path == null ? 0 : Tree.parentOf(bucket, path);
        Named named = path == null ? null : resolve(parent, key.name());
        if (named == null) {
            throw noSuchEntry(bucket, key);
        }
        NamespaceEntry e = named.entry();
        if (directory != e.directory()) {
            throw new MooseException(directory ? ErrorCode.NOT_A_DIRECTORY : ErrorCode.IS_A_DIRECTORY,
                    bucket.name() + "/" + key.key() + (directory ? " is not a directory" : " is a directory"));
        }
        if (directory && tree.hasChildren(e.inode())) {
            throw new MooseException(ErrorCode.DIRECTORY_NOT_EMPTY, bucket.name() + "/" + key.key() + " is not empty");
        }
        tree.dentries().delete(parent, named.sortName());
        keepDirectory(bucket, path, changedMillis);
        touch(parent, changedMillis);
        InodeRecord rec = tree.inode(e.inode());
        if (!directory && !tree.releaseLink(e.inode(), rec, changedMillis)) {
            return Optional.empty();
        }
        ObjectInfo removed = new ObjectInfo(bucket.name(), key.key(), e.inode(), rec.manifest());
        if (directory || !keepInode) {
            kv.delete(Table.INODES, inodeKey(e.inode()));
            if (rec.manifest() != null) {
                tree.blocks().remove(rec.manifest().blocks());
            }
        }
        return directory ? Optional.empty() : Optional.of(removed);
    }

    /** Makes the innermost directory of {@code path} explicit if it was implied and is now empty. */
    private void keepDirectory(BucketInfo bucket, List<Step> path, long changedMillis) {
        if (path.isEmpty()) {
            return;
        }
        Step s = path.get(path.size() - 1);
        if (!tree.inode(s.inode()).explicit() && !tree.hasChildren(s.inode())) {
            kv.put(Table.INODES, inodeKey(s.inode()), encodeInode(InodeRecord.explicitDirectory(marker(bucket, changedMillis))));
        }
    }

    /**
     * A directory's mtime and ctime move when an entry is added or removed (explicit
     * directories: the others keep none).
     */
    private void touch(long dir, long millis) {
        InodeRecord rec = tree.inode(dir);
        if (rec.explicit() && rec.manifest().mtimeMillis() < millis) {
            ObjectManifest m = rec.manifest();
            kv.put(Table.INODES, inodeKey(dir), encodeInode(InodeRecord.explicitDirectory(
                    m.withAttributes(millis, m.properties(), m.posix() == null ? null : m.posix().changedAt(millis)))));
        }
    }

    /** An inode's ctime moves (rename(2) changes it on Linux); those without POSIX attributes show their mtime. */
    private void changed(long inode, long millis) {
        InodeRecord rec = tree.inode(inode);
        ObjectManifest m = rec.manifest();
        if (m == null || m.posix() == null || millis <= 0) {
            return;
        }
        ObjectManifest updated = m.withAttributes(m.mtimeMillis(), m.properties(), m.posix().changedAt(millis));
        kv.put(Table.INODES, inodeKey(inode), encodeInode(rec.directory() ? InodeRecord.explicitDirectory(updated) : InodeRecord.file(updated)));
    }

    /** An entry under the name the mount knows it by, stored under {@code sortName} in {@code parent}. */
    private record Named(long parent, NamespaceEntry entry, String sortName) {
        /** The name it is stored under (a twin's: its object's name). */
        String storedName() {
            return sortName.endsWith("/") ? sortName.substring(0, sortName.length() - 1) : sortName;
        }
    }

    /**
     * What the mount's {@code name} in {@code parent} names: the directory of that name, else the
     * file, else the object whose twin name it is, else null.
     */
    private Named resolve(long parent, String name) {
        Named n = stored(parent, name, dirSortName(name));
        if (n == null) {
            n = stored(parent, name, fileSortName(name));
        }
        String object = n == null ? TwinName.objectName(name) : null;
        if (object != null && tree.exists(parent, dirSortName(object))) {
            n = stored(parent, name, fileSortName(object));
        }
        return n;
    }

    private Named stored(long parent, String name, String sortName) {
        byte[] d = kv.get(Table.DENTRIES, dentryKey(parent, sortName));
        if (d == null) {
            return null;
        }
        long id = decodeDentry(d);
        InodeRecord rec = tree.inode(id);
        return new Named(parent, entry(name, id, rec), sortName);
    }

    /** The name file {@code name} of {@code parent} shows under: its twin name beside a directory of its name, null if a real entry takes that. */
    private String shownName(long parent, String name) {
        if (!tree.exists(parent, dirSortName(name))) {
            return name;
        }
        String twin = TwinName.of(name);
        return tree.exists(parent, fileSortName(twin)) || tree.exists(parent, dirSortName(twin)) ? null : twin;
    }

    /** The sort name a directory page after the shown name {@code after} resumes at (a twin's: its object's). */
    private String storedAfter(long dir, String after) {
        if (after.endsWith("/")) {
            return after;
        }
        Named n = resolve(dir, after);
        return n == null || n.entry().directory() ? after : n.sortName();
    }

    /**
     * The directory {@code key} goes in, missing ones created as a PUT does; NOT_A_DIRECTORY when
     * a parent is a file only (making the directory beside it would make a twin).
     */
    private long parentFor(BucketInfo bucket, ObjectKey key) {
        long dir = bucket.inode();
        for (String name : key.segments().subList(0, key.segments().size() - 1)) {
            Long child = tree.directory(dir, name);
            if (child == null) {
                if (tree.exists(dir, fileSortName(name))) {
                    throw new MooseException(ErrorCode.NOT_A_DIRECTORY, bucket.name() + "/" + key.key() + ": '" + name + "' is not a directory");
                }
                break;
            }
            dir = child;
        }
        return tree.ensureDirectories(bucket, key, key.segments().size() - 1);
    }

    private static String sortName(boolean directory, String name) {
        return directory ? dirSortName(name) : fileSortName(name);
    }

    /** What a directory made explicit without a marker PUT holds: no content, default attributes. */
    private static ObjectManifest marker(BucketInfo bucket, long millis) {
        return new ObjectManifest(0, EMPTY_MD5, millis, ObjectProperties.EMPTY, bucket.policy().defaultClass(), List.of(), new byte[0]);
    }

    private static MooseException noSuchEntry(BucketInfo bucket, ObjectKey key) {
        return new MooseException(ErrorCode.NO_SUCH_KEY, "no such file or directory: " + bucket.name() + "/" + key.key());
    }
}
