package io.mooseng.fuse;

import io.mooseng.fuse.kernel.Errno;
import io.mooseng.fuse.kernel.FuseException;
import io.mooseng.core.error.Failures;
import io.mooseng.core.model.InodeUpdate;
import io.mooseng.core.model.NamespaceEntry;
import io.mooseng.core.model.ObjectInfo;
import io.mooseng.core.model.ObjectManifest;
import io.mooseng.core.model.PosixAttributes;
import io.mooseng.core.model.RenameMode;
import io.mooseng.core.object.DirectoryCursor;
import io.mooseng.core.object.ObjectService;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import java.util.function.LongSupplier;

/**
 * The namespace as the mount sees it, over {@link ObjectService} and an {@link EntryCache}:
 * entries by path (the root and bucket roots included) and every change the mount makes,
 * each keeping the cache true for this mount. In a directory this mount leases the cache is
 * the truth (see {@link MountLeases}): nothing there is asked of the masters again, and a
 * directory is read from them only after this mount's changes there are committed.
 */
final class MountTree {
    static final long ROOT_INODE = NodeTable.ROOT;
    static final int PAGE = 1024;
    /** The root of a mount of all buckets. */
    private static final FusePath ALL_BUCKETS = new FusePath(null, "");

    private final ObjectService objects;
    private final EntryCache cache;
    private final LongSupplier clock;
    private final MountLeases leases;
    private final Consumer<FusePath> settle;
    private final Set<FusePath> prefetching = ConcurrentHashMap.newKeySet();

    /**
     * @param settle commits this mount's changes of a leased directory not committed yet (before
     *               the directory is read from the masters)
     */
    MountTree(ObjectService objects, EntryCache cache, LongSupplier clock, MountLeases leases, Consumer<FusePath> settle) {
        this.objects = objects;
        this.cache = cache;
        this.clock = clock;
        this.leases = leases;
        this.settle = settle;
    }

    /**
     * The entry at {@code path}; {@code fresh} asks the masters (open: close-to-open
     * consistency), except in a leased directory, where this mount's view is the truth.
     */
    NamespaceEntry entry(FusePath path, boolean fresh) {
        if (path.isRoot()) {
            return mountRoot();
        }
        boolean leased = leases.covers(path.parent());
        if (!fresh || leased) {
            NamespaceEntry cached = cache.find(path);
            if (cached != null) {
                return cached;
            }
            FusePath dir = path.parent();
            if (!dir.isRoot() && !cache.recentlyListed(dir)) {
                // the first page of the directory answers this and the neighbours' lookups (stat loops)
                readPage(dir, null);
                cached = cache.find(path);
                if (cached != null) {
                    return cached;
                }
            }
        }
        if (leased) {
            // the masters answer only once this mount's changes are in (a hard link's count, say)
            settle.accept(path.parent());
        }
        long version = cache.version(path.parent());
        NamespaceEntry e;
        try {
            e = await(objects.lookup(path.bucket(), path.key()));
        } catch (FuseException err) {
            if (absent(err) && leased) {
                cache.putFetched(path, null, version);
            } else if (absent(err)) {
                cache.remove(path);
            } else {
                cache.forget(path);
            }
            throw err;
        }
        cache.putFetched(path, e, version);
        FusePath dir = path.parent();
        if (!fresh && !leased && !dir.isRoot() && cache.recentlyListed(dir) && prefetching.add(dir)) {
            // missed in a directory larger than a page: the names after this one are likely next (ls -l);
            // one read ahead per directory at a time, or every miss meanwhile would start another
            long dirVersion = cache.version(dir);
            objects.readDirectory(dir.bucket(), dir.key(), DirectoryCursor.after(e), PAGE)
                    .thenAccept(page -> page.forEach(next -> cache.putFetched(dir.child(next.name()), next, dirVersion)))
                    .whenComplete((v, err) -> prefetching.remove(dir));
        }
        return e;
    }

    /** The root of a mount of all buckets: a directory of the buckets, each linking it as "..". */
    private NamespaceEntry mountRoot() {
        NamespaceEntry cached = cache.find(ALL_BUCKETS);
        if (cached != null) {
            return cached;
        }
        long version = cache.version(ALL_BUCKETS);
        NamespaceEntry e = new NamespaceEntry("", ROOT_INODE, true, null, await(objects.listBuckets()).size());
        cache.putFetched(ALL_BUCKETS, e, version);
        return e;
    }

    /**
     * The page of a directory from {@code after} (null: the first), in listing order; a page
     * shorter than {@link #PAGE} is the last. The root of a mount of all buckets is one page
     * of buckets. Pages prime the cache.
     */
    List<NamespaceEntry> page(FusePath dir, DirectoryCursor after) {
        if (dir.isRoot()) {
            return after != null ? List.of() : bucketRoots();
        }
        return readPage(dir, after);
    }

    /** The buckets' root directories, asked for together; a bucket deleted meanwhile is left out. */
    private List<NamespaceEntry> bucketRoots() {
        List<CompletableFuture<NamespaceEntry>> roots = await(objects.listBuckets()).stream()
                .map(b -> objects.lookup(b.name(), "")).toList();
        List<NamespaceEntry> out = new ArrayList<>(roots.size());
        for (CompletableFuture<NamespaceEntry> root : roots) {
            try {
                out.add(await(root));
            } catch (FuseException e) {
                if (!absent(e)) {
                    throw e;
                }
            }
        }
        return out;
    }

    private List<NamespaceEntry> readPage(FusePath dir, DirectoryCursor after) {
        if (leases.covers(dir)) {
            settle.accept(dir);
        }
        long version = cache.version(dir);
        List<NamespaceEntry> page = await(objects.readDirectory(dir.bucket(), dir.key(), after, PAGE));
        for (NamespaceEntry e : page) {
            cache.putFetched(dir.child(e.name()), e, version);
        }
        if (after == null) {
            cache.listed(dir, page.size() < PAGE, version);
        }
        return page;
    }

    /** Creates a file, symlink (target as content) or directory that must not exist yet. */
    NamespaceEntry create(FusePath path, byte[] content, PosixAttributes posix) {
        if (path.isRoot() || path.isBucketRoot()) {
            throw new FuseException(Errno.EEXIST, path + " exists");
        }
        boolean directory = posix.directory();
        ObjectInfo created = change(path, objects.createEntry(path.bucket(), directory ? path.markerKey() : path.key(), content, posix));
        NamespaceEntry e = new NamespaceEntry(path.name(), created.inode(), directory, created.manifest());
        cache.put(path, e);
        cache.touch(path.parent(), created.manifest().mtimeMillis(), directory ? 1 : 0);
        return e;
    }

    /** Records what this mount just committed to a path's inode; its other names are asked for again. */
    void remember(FusePath path, NamespaceEntry entry) {
        if (!entry.directory() && entry.posix().nlink() > 1) {
            cache.forgetInode(entry.inode());
        }
        cache.put(path, entry);
    }

    NamespaceEntry update(FusePath path, NamespaceEntry entry, InodeUpdate update) {
        ObjectManifest m = change(path, objects.updateInode(path.bucket(), entry.inode(), update, path.key()));
        NamespaceEntry e = entry.with(entry.name(), m);
        remember(path, e);
        return e;
    }

    void unlink(FusePath path, boolean directory) {
        NamespaceEntry known = directory ? null : cache.find(path);
        change(path, objects.unlink(path.bucket(), directory ? path.markerKey() : path.key(), directory));
        if (known != null && known.posix().nlink() > 1) {
            // other hard links now count one name less
            cache.forgetInode(known.inode());
        }
        cache.touch(path.parent(), clock.getAsLong(), directory ? -1 : 0);
        removed(path);
        if (directory) {
            cache.forgetTree(path);
            leases.gone(path);
            TwinPaths.directoryLeft(cache, path);
        }
    }

    /** A name this mount removed: known absent where it leases the directory, else simply not cached. */
    private void removed(FusePath path) {
        if (leases.covers(path.parent())) {
            cache.putAbsent(path);
        } else {
            cache.remove(path);
        }
    }

    // ---- changes answered before they commit (the directories are leased: see MountLeases, WriteBehind)

    /** A new entry that the masters will hold as {@code created}; a directory starts known, and empty. */
    void createdBehind(FusePath path, NamespaceEntry created) {
        cache.put(path, created);
        cache.touch(path.parent(), created.mtimeMillis(), created.directory() ? 1 : 0);
        if (created.directory()) {
            cache.createdEmpty(path);
        }
    }

    /** A name removed (unlink, or rmdir of a directory known empty). */
    void removedBehind(FusePath path, NamespaceEntry was, long changedMillis) {
        if (!was.directory() && was.posix().nlink() > 1) {
            cache.forgetInode(was.inode());
        }
        cache.touch(path.parent(), changedMillis, was.directory() ? -1 : 0);
        removed(path);
        if (was.directory()) {
            cache.forgetTree(path);
            cache.putAbsent(path);
            leases.gone(path);
            TwinPaths.directoryLeft(cache, path);
        }
    }

    /**
     * A file or a directory known empty moved to {@code to} (replacing what was there, of its
     * kind, if {@code replaced}), as the masters will have it.
     */
    void renamedBehind(FusePath from, FusePath to, NamespaceEntry moved, boolean replaced, long changedMillis) {
        PosixAttributes posix = moved.manifest() == null || moved.manifest().posix() == null ? null : moved.posix().changedAt(changedMillis);
        NamespaceEntry at = moved.with(to.name(), moved.manifest() == null ? null
                : moved.manifest().withAttributes(moved.manifest().mtimeMillis(), moved.manifest().properties(), posix));
        cache.putAbsent(from);
        cache.put(to, at);
        // a directory's ".." leaves its old parent for its new one, where it may take a replaced directory's place
        int moves = moved.directory() ? 1 : 0;
        cache.touch(from.parent(), changedMillis, -moves);
        cache.touch(to.parent(), changedMillis, replaced ? 0 : moves);
        if (moved.directory()) {
            cache.forgetTree(from);
            cache.putAbsent(from);
            cache.createdEmpty(to);
            leases.gone(from);
            TwinPaths.directoryLeft(cache, from);
        }
    }

    /** Whether {@code dir} is known in full, in a leased directory, to be empty. */
    boolean knownEmpty(FusePath dir) {
        return leases.covers(dir) && cache.knownEmpty(dir);
    }

    /** The entry at {@code path} as {@link #entry} gives it, or null if there is none. */
    NamespaceEntry entryOrNull(FusePath path) {
        try {
            return entry(path, false);
        } catch (FuseException e) {
            if (absent(e)) {
                return null;
            }
            throw e;
        }
    }

    /** @param directory whether {@code from} may be a directory (its subtree then moves along) */
    void rename(FusePath from, FusePath to, boolean directory, RenameMode mode) {
        if (!from.bucket().equals(to.bucket())) {
            throw new FuseException(Errno.EXDEV, "rename across buckets");
        }
        try {
            await(objects.rename(from.bucket(), from.key(), to.key(), mode));
        } finally {
            if (directory) {
                // a moved directory takes its subtree along: forget both trees
                cache.forgetTree(from);
                cache.forgetTree(to);
            }
            cache.forget(from);
            cache.forget(to);
            touchedByMove(from.parent(), directory);
            touchedByMove(to.parent(), directory);
        }
        if (directory) {
            leases.gone(from);
        }
        removed(from);
        if (directory) {
            TwinPaths.directoryLeft(cache, from);
        }
    }

    /** RENAME_EXCHANGE; @param directory whether either may be a directory (subtrees then swap) */
    void exchange(FusePath first, FusePath second, boolean directory) {
        if (!first.bucket().equals(second.bucket())) {
            throw new FuseException(Errno.EXDEV, "rename across buckets");
        }
        try {
            await(objects.rename(first.bucket(), first.key(), second.key(), RenameMode.EXCHANGE));
        } finally {
            for (FusePath p : List.of(first, second)) {
                if (directory) {
                    cache.forgetTree(p);
                }
                cache.forget(p);
                touchedByMove(p.parent(), directory);
            }
        }
        if (directory) {
            leases.gone(first);
            leases.gone(second);
        }
    }

    /**
     * A directory a committed rename took an entry from or put one in. When that may have been
     * a directory, its count of subdirectories is asked for again: whether it changed depends
     * on what the rename replaced, which only the masters knew.
     */
    private void touchedByMove(FusePath dir, boolean directory) {
        if (directory) {
            cache.forget(dir);
        } else {
            cache.touch(dir, clock.getAsLong());
        }
    }

    NamespaceEntry link(FusePath existing, FusePath newPath) {
        if (!existing.bucket().equals(newPath.bucket())) {
            throw new FuseException(Errno.EXDEV, "link across buckets");
        }
        NamespaceEntry e = change(newPath, objects.link(existing.bucket(), existing.key(), newPath.key()));
        cache.forgetInode(e.inode());
        cache.put(newPath, e);
        // the masters moved the directory's times with the inode's ctime
        cache.touch(newPath.parent(), e.posix().ctimeMillis());
        return e;
    }

    void createBucket(String name) {
        await(objects.createBucket(name, null));
        cache.touch(ALL_BUCKETS, clock.getAsLong(), 1);
    }

    void deleteBucket(String name) {
        await(objects.deleteBucket(name));
        cache.touch(ALL_BUCKETS, clock.getAsLong(), -1);
    }

    /** Whether {@code path} may be a directory: true unless this mount knows it as a file. */
    boolean mayBeDirectory(FusePath path) {
        try {
            return entry(path, false).directory();
        } catch (FuseException e) {
            return true;
        }
    }

    /** This mount removed a name of a file: its other names now count a link less. */
    void linksChanged(List<FusePath> names) {
        names.forEach(cache::forget);
    }

    /**
     * Another client changed the name (and with {@code subtree}, everything under it).
     *
     * @return the other names forgotten with it ({@link TwinPaths#forgetAround})
     */
    List<FusePath> changedElsewhere(FusePath path, boolean subtree) {
        if (subtree) {
            cache.forgetTree(path);
        }
        cache.forget(path);
        return TwinPaths.forgetAround(cache, path);
    }

    /** Another client changed an inode. */
    void changedElsewhere(long inode) {
        cache.forgetInode(inode);
    }

    /** Changes were missed: nothing cached can be trusted. */
    void forgetAll() {
        cache.clear();
    }

    /** Waits for a change; on failure this mount's view of the path is dropped. */
    private <T> T change(FusePath path, CompletableFuture<T> f) {
        try {
            return await(f);
        } catch (FuseException e) {
            cache.forget(path);
            throw e;
        }
    }

    /** The result, or a FuseException carrying the errno of the failure. */
    static <T> T await(CompletableFuture<T> f) {
        try {
            return f.join();
        } catch (CompletionException e) {
            Throwable cause = Failures.unwrap(e);
            throw cause instanceof FuseException fe ? fe
                    : new FuseException(ErrnoTable.of(cause), cause.getMessage() != null ? cause.getMessage() : cause.toString());
        }
    }

    /** True if the failure means "not there". */
    static boolean absent(FuseException e) {
        return e.errno() == Errno.ENOENT;
    }
}
