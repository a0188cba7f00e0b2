package io.mooseng.fuse;

import io.mooseng.core.file.OpenFile;
import io.mooseng.core.model.NamespaceEntry;
import io.mooseng.core.model.ObjectManifest;
import io.mooseng.core.model.PosixAttributes;
import io.mooseng.core.model.RenameMode;
import io.mooseng.core.object.ObjectService;
import io.mooseng.fuse.kernel.Errno;
import io.mooseng.fuse.kernel.FuseException;

import java.util.concurrent.locks.Lock;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

import static io.mooseng.fuse.MountTree.await;

/**
 * Namespace changes in directories this mount leases, answered before they commit: each is
 * checked against the mount's view (the truth there: nobody else changes a leased subtree),
 * applied to it, and sent without waiting ({@link WriteBehind}). A new file's creation waits
 * for its first commit, so that a small file costs one command, content included. Every
 * method answers false (or null) when the change cannot go this way (no usable lease, a
 * directory whose content is not known, ...): the caller then makes it as a committed change.
 */
final class LeasedChanges {
    /** Inode ids reserved at once: one command per this many creates. */
    static final int INODE_BATCH = 1024;

    private final ObjectService objects;
    private final MountTree tree;
    private final MountLeases leases;
    private final WriteBehind behind;
    private final OpenFiles files;
    private final LongSupplier clock;
    private long nextInode;
    private long endInode;

    LeasedChanges(ObjectService objects, MountTree tree, MountLeases leases, WriteBehind behind, OpenFiles files, LongSupplier clock) {
        this.objects = objects;
        this.tree = tree;
        this.leases = leases;
        this.behind = behind;
        this.files = files;
        this.clock = clock;
    }

    /**
     * A new regular file at {@code p}, open, its creation sent at its first commit; null if
     * {@code p}'s directory is not leased.
     *
     * @throws FuseException EEXIST if the name is taken (the caller decides what O_CREAT without O_EXCL makes of it)
     */
    OpenFile createFile(FusePath p, PosixAttributes posix) {
        return underLease(() -> {
            refuseTaken(p);
            long inode = newInode();
            ObjectManifest empty = await(objects.entryManifest(p.bucket(), p.key(), new byte[0], posix));
            NamespaceEntry e = new NamespaceEntry(p.name(), inode, false, empty);
            tree.createdBehind(p, e);
            OpenFile f = files.acquire(p, e);
            f.createOnCommit(content -> {
                // created with its content; the path is where the file is now (a rename sends the creation first)
                PosixAttributes attrs = posix.changedAt(content.mtimeMillis());
                ObjectManifest created = content.withAttributes(content.mtimeMillis(), content.properties(), attrs);
                FusePath at = OpenFiles.path(f);
                behind.submit(() -> "create " + at, () -> objects.createEntry(at.bucket(), at.key(), created, inode));
                tree.remember(at, new NamespaceEntry(at.name(), inode, false, created));
                return created;
            });
            return f;
        }, p.parent());
    }

    /** A directory, symlink or special file, sent at once; null if {@code p}'s directory is not leased. */
    NamespaceEntry create(FusePath p, byte[] content, PosixAttributes posix) {
        return underLease(() -> {
            refuseTaken(p);
            long inode = newInode();
            String key = posix.directory() ? p.markerKey() : p.key();
            ObjectManifest m = await(objects.entryManifest(p.bucket(), key, content, posix));
            behind.submit(() -> "create " + p, () -> objects.createEntry(p.bucket(), key, m, inode));
            NamespaceEntry e = new NamespaceEntry(p.name(), inode, posix.directory(), m);
            tree.createdBehind(p, e);
            return e;
        }, p.parent());
    }

    /**
     * unlink(2) or rmdir(2) of a directory known empty; null if not leased or not known.
     *
     * @return the removed entry
     */
    NamespaceEntry remove(FusePath p, boolean directory) {
        return underLease(() -> {
            if (directory && !tree.knownEmpty(p)) {
                return null;
            }
            NamespaceEntry e = tree.entry(p, false);
            if (e.directory() != directory) {
                throw new FuseException(directory ? Errno.ENOTDIR : Errno.EISDIR, p + (directory ? " is not a directory" : " is a directory"));
            }
            OpenFile open = directory ? null : files.find(e.inode());
            if (open != null && open.uncreated()) {
                // never sent: nothing to remove at the masters
                open.neverCreated();
            } else {
                behind.submit(() -> "remove " + p, () -> objects.unlink(p.bucket(), directory ? p.markerKey() : p.key(), directory));
            }
            tree.removedBehind(p, e, clock.getAsLong());
            return e;
        }, p.parent());
    }

    /**
     * rename(2) of a file, or of a directory known empty, within leased directories; false
     * if it cannot go this way. With NO_REPLACE an existing target is EEXIST, decided here: the
     * lease makes this mount the directory's only writer.
     */
    boolean rename(FusePath from, FusePath to, RenameMode mode) {
        if (!from.bucket().equals(to.bucket())) {
            return false;
        }
        Boolean renamed = underLease(() -> {
            NamespaceEntry src = tree.entry(from, false);
            NamespaceEntry dst = tree.entryOrNull(to);
            if (dst != null && mode == RenameMode.NO_REPLACE) {
                throw new FuseException(Errno.EEXIST, to + " exists");
            }
            if (src.directory() && (!tree.knownEmpty(from) || to.isUnder(from))
                    || dst != null && (dst.directory() != src.directory() || dst.directory() && !tree.knownEmpty(to))) {
                // the masters answer these (EINVAL, ENOTDIR, EISDIR, ENOTEMPTY) or must move a subtree
                return null;
            }
            if (dst != null && dst.inode() == src.inode()) {
                return true;
            }
            materialize(src);
            if (dst != null) {
                materialize(dst);
            }
            behind.submit(() -> "rename " + from + " to " + to, () -> objects.rename(from.bucket(), from.key(), to.key(), mode));
            tree.renamedBehind(from, to, src, dst != null, clock.getAsLong());
            OpenFile open = src.directory() ? null : files.find(src.inode());
            if (open != null) {
                open.renamed(to.key());
            }
            return true;
        }, from.parent(), to.parent());
        return renamed != null;
    }

    /**
     * Runs {@code change} if a usable lease covers every one of {@code dirs} (taking leases as
     * needed), with the lease gate held until it has sent what it sends; @return its answer,
     * or null when the change must be committed instead.
     */
    private <T> T underLease(Supplier<T> change, FusePath... dirs) {
        Lock gate = leases.gate();
        gate.lock();
        try {
            for (FusePath dir : dirs) {
                if (!leases.writeBehind(dir)) {
                    return null;
                }
            }
            return change.get();
        } finally {
            gate.unlock();
        }
    }

    /** A file whose creation waits for its first commit: the creation goes now (what follows must find it). */
    private void materialize(NamespaceEntry e) {
        OpenFile open = e.directory() ? null : files.find(e.inode());
        if (open != null) {
            open.materialize();
        }
    }

    private void refuseTaken(FusePath p) {
        if (tree.entryOrNull(p) != null) {
            throw new FuseException(Errno.EEXIST, p + " exists");
        }
    }

    private synchronized long newInode() {
        if (nextInode == endInode) {
            nextInode = await(objects.leases().reserveInodes(INODE_BATCH));
            endInode = nextInode + INODE_BATCH;
        }
        return nextInode++;
    }
}
