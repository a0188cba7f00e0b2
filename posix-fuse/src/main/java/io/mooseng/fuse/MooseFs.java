package io.mooseng.fuse;

import io.mooseng.core.file.OpenFile;
import io.mooseng.core.model.InodeUpdate;
import io.mooseng.core.model.NamespaceChange;
import io.mooseng.core.model.NamespaceChanges;
import io.mooseng.core.model.NamespaceEntry;
import io.mooseng.core.model.ObjectManifest;
import io.mooseng.core.model.PosixAttributes;
import io.mooseng.core.model.RenameMode;
import io.mooseng.core.object.ObjectService;
import io.mooseng.fuse.kernel.Attr;
import io.mooseng.fuse.kernel.AttrReply;
import io.mooseng.fuse.kernel.Created;
import io.mooseng.fuse.kernel.DirectoryFill;
import io.mooseng.fuse.kernel.Entry;
import io.mooseng.fuse.kernel.Errno;
import io.mooseng.fuse.kernel.FuseException;
import io.mooseng.fuse.kernel.FuseFilesystem;
import io.mooseng.fuse.kernel.FuseRequest;
import io.mooseng.fuse.kernel.FuseSession;
import io.mooseng.fuse.kernel.Opened;
import io.mooseng.fuse.kernel.SetAttr;
import io.mooseng.fuse.kernel.StatFs;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import java.util.function.LongSupplier;

/**
 * The FUSE operations: each turns a node (an inode the kernel holds, named through
 * {@link NodeTable}) into {@link MountTree} and {@link OpenFile} calls. Runs on the session's
 * threads, which may block. Locks (flock, fcntl) are left to the kernel, which keeps them
 * across this mount's processes. Each operation first asks {@link MountAccess} for the IAM
 * actions it needs ({@link MountActions}); the kernel checks mode bits besides.
 */
final class MooseFs implements FuseFilesystem {
    /** renameat2(2)'s flags. */
    private static final int RENAME_NOREPLACE = 1;
    private static final int RENAME_EXCHANGE = 2;
    private static final String USER_XATTR = "user.";
    private static final int O_ACCMODE = 03;
    private static final int O_RDONLY = 0;
    private static final int O_WRONLY = 01;
    private static final int O_TRUNC = 01000;
    private static final int O_APPEND = 02000;
    private static final int O_EXCL = 0200;
    private static final long STATFS_TTL_MILLIS = 2_000;
    private static final long NANOS_PER_MILLI = 1_000_000L;

    private final ObjectService objects;
    private final MountConfig config;
    private final MountTree tree;
    private final OpenFiles files;
    private final NodeTable nodes;
    private final Attributes attributes;
    private final LongSupplier clock;
    private final long ttlNanos;
    private final MountStats stats;
    private final MountAccess access;
    private final MountLeases leases;
    private final WriteBehind behind = new WriteBehind();
    private final LeasedChanges changes;
    /** Changes answered early that the masters refused, as last reported by fsync (EIO once per new loss). */
    private final AtomicLong reportedLosses = new AtomicLong();
    private final Map<Long, DirectoryListing> directories = new ConcurrentHashMap<>();
    /** Nodes whose open reached another inode by their name (see {@link #open(FuseRequest, long, int)}). */
    private final RedirectedHandles<OpenFile> openedByName = new RedirectedHandles<>();
    private final AtomicLong nextDirectoryHandle = new AtomicLong(1);
    private volatile FuseSession session;
    private volatile long[] capacity;
    private volatile long capacityAt;

    MooseFs(ObjectService objects, MountConfig config, LongSupplier clock, MountStats stats, MountAccess access) {
        this.stats = stats;
        this.access = access;
        this.objects = objects;
        this.config = config;
        this.clock = clock;
        this.leases = new MountLeases(objects.leases(), clock);
        this.tree = new MountTree(objects, new EntryCache(config.cacheTtlMillis(), clock, leases::covers), clock, leases, this::settle);
        this.files = new OpenFiles(objects, config, clock);
        this.changes = new LeasedChanges(objects, tree, leases, behind, files, clock);
        this.nodes = new NodeTable(FusePath.parse("/", config.bucket()));
        this.attributes = new Attributes(config.ownerUid(), config.ownerGid(), clock.getAsLong());
        this.ttlNanos = config.cacheTtlMillis() * NANOS_PER_MILLI;
    }

    OpenFiles files() {
        return files;
    }

    @Override
    public int errno(RuntimeException failure) {
        // the file API's failures (content, commit) are the storage layer's
        return ErrnoTable.of(failure);
    }

    @Override
    public void served(String request, long nanos, int errno) {
        stats.served(request, nanos, errno);
    }

    /** Changes answered before their commit and not committed yet. */
    int pendingChanges() {
        return behind.pending();
    }

    int heldLeases() {
        return leases.held();
    }

    /** The kernel session, once mounted: where invalidations go. */
    void attach(FuseSession mounted) {
        this.session = mounted;
    }

    // ---- what other clients changed (the watcher's thread, never inside an operation)

    /** Forgets a change another client made, here and in the kernel. */
    void changedElsewhere(NamespaceChange c) {
        if (config.bucket() != null && !config.bucket().equals(c.bucket())) {
            return;
        }
        switch (c.kind()) {
            case NAME, TREE -> {
                String key = c.key().endsWith("/") ? c.key().substring(0, c.key().length() - 1) : c.key();
                FusePath p = new FusePath(c.bucket(), key);
                List<FusePath> beside = tree.changedElsewhere(p, c.kind() == NamespaceChange.Kind.TREE);
                kernelForgets(p);
                beside.forEach(this::kernelForgets);
            }
            case INODE -> {
                tree.changedElsewhere(c.inode());
                files.changedElsewhere(c.inode());
                invalidate(c.inode());
            }
            case BUCKET -> forgetAll();
        }
    }

    // ---- directory leases (the watcher's thread)

    /**
     * The leader answered a question asked at {@code askedAtMillis}: the leases stay usable; if
     * it took them all, what was kept under them goes; leases it recalls are given back.
     */
    void leasesAnswered(long askedAtMillis, NamespaceChanges c) {
        leases.revoked(c.fence(), () -> {
            forgetAll();
            files.abandonCreations();
        });
        leases.heard(askedAtMillis);
        if (!c.recalls().isEmpty()) {
            leases.giveBack(c.recalls(), dir -> {
                settle(dir);
                kernelForgetsNamesUnder(dir);
            });
        }
    }

    /** Gives every lease back, after committing what was changed under them (unmount). */
    void giveBackLeases() {
        leases.stop();
        leases.giveBack(leases.all(), this::settle);
    }

    /** Commits what this mount changed in a leased directory and not committed yet: files to create, changes answered early. */
    private void settle(FusePath dir) {
        files.materializeUnder(dir);
        behind.drain();
    }

    /** A file created in a leased directory whose creation waits: it is sent now, before a change that must find it. */
    private void materialize(long node) {
        OpenFile f = node == 0 ? null : files.find(node);
        if (f != null) {
            f.materialize();
        }
    }

    /** Waits for every change answered early; EIO once if the masters refused one since the last report. */
    private void awaitChangesAnsweredEarly() {
        long lost = behind.drain();
        if (lost > reportedLosses.getAndSet(lost)) {
            throw new FuseException(Errno.EIO, "the masters refused changes this mount answered before their commit (see its log)");
        }
    }

    /** Changes were missed: this mount and the kernel forget every attribute and name they cached. */
    void forgetAll() {
        tree.forgetAll();
        files.changedElsewhere(0);
        nodes.held().forEach(this::invalidate);
        invalidate(NodeTable.ROOT);
    }

    private void kernelForgets(FusePath p) {
        long node = nodes.nodeAt(p);
        if (node != 0) {
            invalidate(node);
        }
        if (!p.equals(nodes.path(NodeTable.ROOT))) {
            long parent = nodes.nodeAt(p.parent());
            FuseSession s = session;
            if (parent != 0 && s != null) {
                s.invalidateEntry(parent, p.name());
            }
        }
    }

    /** Names the kernel was told under a lease it may keep past the TTL: they go with the lease. */
    private void kernelForgetsNamesUnder(FusePath dir) {
        FuseSession s = session;
        if (s == null) {
            return;
        }
        for (FusePath p : nodes.namesUnder(dir)) {
            long parent = nodes.nodeAt(p.parent());
            if (parent != 0) {
                s.invalidateEntry(parent, p.name());
            }
        }
    }

    private void invalidate(long nodeid) {
        FuseSession s = session;
        if (s != null) {
            s.invalidateInode(nodeid, true);
        }
    }

    // ---- names and attributes

    @Override
    public Entry lookup(FuseRequest r, long parent, String name) {
        FusePath p = child(parent, name);
        access.check(MountActions.see(p));
        return entry(p, tree.entry(p, false));
    }

    @Override
    public void forget(long nodeid, long count) {
        if (nodes.forget(nodeid, count)) {
            files.kernelDropped(nodeid);
        }
    }

    /** The reply for a name: the kernel now holds one more lookup of its node. */
    private Entry entry(FusePath p, NamespaceEntry e) {
        nodes.looked(nodeid(e), p);
        return new Entry(nodeid(e), attr(e), entryTtlNanos(p.parent()), ttlNanos);
    }

    /**
     * The kernel keeps a name the TTL, or in a leased directory until the lease could lapse
     * (a recall makes it forget them first): rename, unlink and rmdir of a name made a
     * moment ago then cost no LOOKUP. The attributes keep the TTL (an inode can change
     * through a hard link elsewhere). A TTL of 0 asks for no caching at all.
     */
    private long entryTtlNanos(FusePath dir) {
        return ttlNanos == 0 ? 0 : Math.max(ttlNanos, leases.trustedMillis(dir) * NANOS_PER_MILLI);
    }

    private static long nodeid(NamespaceEntry e) {
        return e.inode();
    }

    /** The entry's attributes, with the size and change time of this mount's writes to it while open. */
    private Attr attr(NamespaceEntry e) {
        OpenFile open = e.directory() ? null : files.find(e.inode());
        return open == null ? attributes.of(e, -1, 0) : attributes.of(e, open.size(), open.changedMillis());
    }

    @Override
    public AttrReply getattr(FuseRequest r, long nodeid, long fh) {
        OpenFile open = fh >= 0 ? files.find(fh) : null;
        checkNode(nodeid, MountActions::see);
        // a file unlinked or replaced while open still has its handle's attributes
        NamespaceEntry e = open != null ? open.entry() : current(nodeid);
        return new AttrReply(attr(e), ttlNanos);
    }

    /**
     * The entry of a node by any of its names in this mount (a hard link's other names too),
     * from the cache; an open file's own entry once no name leads to it any more.
     *
     * @throws FuseException ESTALE when no name leads to the node: the kernel walks the path again
     */
    private NamespaceEntry current(long nodeid) {
        for (FusePath p : nodes.names(nodeid)) {
            NamespaceEntry e = named(nodeid, p, false);
            if (e != null) {
                return e;
            }
        }
        OpenFile open = openFile(nodeid);
        if (open != null) {
            return open.entry();
        }
        throw stale(nodeid);
    }

    /** The node's entry as the masters have it now (close-to-open), by its newest name. */
    private NamespaceEntry fresh(long nodeid, FusePath p) {
        NamespaceEntry e = named(nodeid, p, true);
        if (e == null) {
            throw stale(nodeid);
        }
        return e;
    }

    /**
     * The entry at {@code p} if it still is the node (a rename may have put another file
     * there), else null. A cached entry of another inode is checked with the masters: a
     * lookup that raced a rename may have cached the name's previous file.
     */
    private NamespaceEntry named(long nodeid, FusePath p, boolean fresh) {
        try {
            NamespaceEntry e = tree.entry(p, fresh);
            if (nodeid == NodeTable.ROOT || e.inode() == nodeid) {
                return e;
            }
            if (!fresh) {
                return named(nodeid, p, true);
            }
            return null;
        } catch (FuseException err) {
            if (err.errno() == Errno.ENOENT) {
                return null;
            }
            throw err;
        }
    }

    private static FuseException stale(long nodeid) {
        return new FuseException(Errno.ESTALE, "no name in this mount leads to node " + nodeid + " any more");
    }

    @Override
    public AttrReply setattr(FuseRequest r, long nodeid, SetAttr s) {
        checkNode(nodeid, p -> MountActions.write(p, directory(nodeid)));
        materialize(nodeid);
        long now = clock.getAsLong();
        if (s.hasSize()) {
            truncate(nodeid, s.handle(), s.size());
        }
        if (s.hasMode()) {
            update(nodeid, InodeUpdate.permissions(s.mode() & PosixAttributes.PERMISSION_BITS, now));
        }
        if (s.hasUid() || s.hasGid()) {
            update(nodeid, InodeUpdate.owner(s.hasUid() ? s.uid() : -1, s.hasGid() ? s.gid() : -1, now));
        }
        if (s.hasAtime() || s.hasMtime()) {
            Long atime = s.hasAtime() ? (s.atimeNow() ? now : s.atimeNanos() / NANOS_PER_MILLI) : null;
            Long mtime = s.hasMtime() ? (s.mtimeNow() ? now : s.mtimeNanos() / NANOS_PER_MILLI) : null;
            NamespaceEntry e = update(nodeid, InodeUpdate.times(mtime, atime, now));
            OpenFile open = e.directory() || mtime == null ? null : files.find(e.inode());
            if (open != null) {
                open.mtimeSet(mtime);
            }
        }
        return getattr(r, nodeid, -1);
    }

    private void truncate(long nodeid, long fh, long size) {
        if (fh >= 0) {
            files.handle(fh).truncate(size);
            return;
        }
        FusePath p = nodes.path(nodeid);
        NamespaceEntry e = fresh(nodeid, p);
        if (e.directory()) {
            throw new FuseException(Errno.EISDIR, p + " is a directory");
        }
        OpenFile f = files.acquire(p, e);
        try {
            f.truncate(size);
            commit(nodeid, f);
        } finally {
            files.release(f);
        }
    }

    private NamespaceEntry update(long nodeid, InodeUpdate update) {
        FusePath p = nodes.path(nodeid);
        if (p.isRoot()) {
            throw new FuseException(Errno.EPERM, "the mount's root has no attributes of its own");
        }
        return tree.update(p, fresh(nodeid, p), update);
    }

    @Override
    public byte[] readlink(FuseRequest r, long nodeid) {
        checkNode(nodeid, p -> MountActions.read(p, false));
        NamespaceEntry e = current(nodeid);
        if (!e.posix().symlink()) {
            throw new FuseException(Errno.EINVAL, "not a symbolic link");
        }
        return e.manifest().inlineData();
    }

    // ---- directories and names

    /**
     * Regular files, FIFOs, sockets and device files: the namespace keeps the name, type,
     * attributes and device number; the kernel runs pipes and sockets, and the mount's nodev
     * keeps devices closed. Over S3 they are empty objects.
     */
    @Override
    public Entry mknod(FuseRequest r, long parent, String name, int mode, int rdev) {
        int type = mode & PosixAttributes.S_IFMT;
        boolean device = type == PosixAttributes.S_IFCHR || type == PosixAttributes.S_IFBLK;
        if (type != PosixAttributes.S_IFREG && type != PosixAttributes.S_IFIFO && type != PosixAttributes.S_IFSOCK && !device) {
            throw new FuseException(Errno.EINVAL, "no such file type " + Integer.toOctalString(type));
        }
        FusePath p = child(parent, name);
        access.check(MountActions.create(p, false));
        PosixAttributes posix = posix(r, type, mode);
        return entry(p, create(p, new byte[0], device ? posix.withDevice(rdev) : posix));
    }

    /** A new directory, symlink or special file: answered at once in a leased directory, else committed first. */
    private NamespaceEntry create(FusePath p, byte[] content, PosixAttributes posix) {
        NamespaceEntry e = changes.create(p, content, posix);
        return e != null ? e : tree.create(p, content, posix);
    }

    @Override
    public Entry mkdir(FuseRequest r, long parent, String name, int mode) {
        FusePath p = child(parent, name);
        access.check(MountActions.create(p, true));
        if (p.isBucketRoot()) {
            tree.createBucket(p.bucket());
            return entry(p, tree.entry(p, true));
        }
        return entry(p, create(p, new byte[0], posix(r, PosixAttributes.S_IFDIR, mode)));
    }

    @Override
    public void rmdir(FuseRequest r, long parent, String name) {
        FusePath p = child(parent, name);
        access.check(MountActions.remove(p, true));
        if (p.isBucketRoot()) {
            tree.deleteBucket(p.bucket());
        } else if (changes.remove(p, true) == null) {
            tree.unlink(p, true);
        }
        nodes.unlinked(p);
        directoryLeft(p);
    }

    /**
     * A directory this mount removed or moved away: an object of its name that showed by its
     * twin name ({@link TwinPaths}) shows by its own name now, so the kernel forgets the twin
     * name, after this reply (until then the kernel holds the directory's lock, which the
     * notification needs).
     */
    private void directoryLeft(FusePath dir) {
        if (dir.isBucketRoot()) {
            return; // a bucket has no twin
        }
        FusePath twin = TwinPaths.twinOf(dir);
        if (nodes.nodeAt(twin) != 0) {
            Thread.ofVirtual().name("mount-twin-forget").start(() -> kernelForgets(twin));
        }
    }

    @Override
    public void unlink(FuseRequest r, long parent, String name) {
        FusePath p = child(parent, name);
        access.check(MountActions.remove(p, false));
        long node = nodes.nodeAt(p);
        if (changes.remove(p, false) == null) {
            materialize(node);
            tree.unlink(p, false);
        }
        nodes.unlinked(p);
        lostAName(node);
    }

    /**
     * A file lost a name (unlink, or a rename over it): its other names count a link less
     * (node 0: the kernel held none), as does fstat of it open here.
     */
    private void lostAName(long node) {
        if (node == 0) {
            return;
        }
        tree.linksChanged(nodes.names(node));
        OpenFile open = files.find(node);
        if (open != null) {
            open.unlinked(clock.getAsLong());
        }
    }

    @Override
    public void rename(FuseRequest r, long parent, String name, long newParent, String newName, int flags) {
        RenameMode mode = switch (flags) {
            case 0 -> RenameMode.REPLACE;
            case RENAME_NOREPLACE -> RenameMode.NO_REPLACE;
            case RENAME_EXCHANGE -> RenameMode.EXCHANGE;
            default -> throw new FuseException(Errno.EINVAL, "rename flags " + flags); // RENAME_WHITEOUT (overlayfs only), or several
        };
        FusePath from = child(parent, name);
        FusePath to = child(newParent, newName);
        if (from.isBucketRoot() || to.isBucketRoot()) {
            throw new FuseException(Errno.EPERM, "buckets are not renamed");
        }
        boolean directory = tree.mayBeDirectory(from);
        access.check(MountActions.rename(from, to, directory));
        if (mode == RenameMode.EXCHANGE) {
            exchange(from, to, directory);
            return;
        }
        long replaced = nodes.nodeAt(to);
        if (!changes.rename(from, to, mode)) {
            materialize(nodes.nodeAt(from));
            materialize(replaced);
            tree.rename(from, to, directory, mode);
            OpenFile open = files.find(nodes.nodeAt(from));
            if (open != null) {
                open.renamed(to.key());
            }
        }
        nodes.renamed(from, to, directory);
        if (directory) {
            directoryLeft(from);
        }
        if (replaced != nodes.nodeAt(to)) {
            lostAName(replaced);
        }
    }

    /** RENAME_EXCHANGE: always committed at once (the masters swap the two entries in one step). */
    private void exchange(FusePath first, FusePath second, boolean firstIsDirectory) {
        boolean secondIsDirectory = tree.mayBeDirectory(second);
        access.check(MountActions.rename(second, first, secondIsDirectory));
        long atFirst = nodes.nodeAt(first);
        long atSecond = nodes.nodeAt(second);
        materialize(atFirst);
        materialize(atSecond);
        tree.exchange(first, second, firstIsDirectory || secondIsDirectory);
        nodes.exchanged(first, second);
        renamedOpenFile(atFirst, second);
        renamedOpenFile(atSecond, first);
    }

    private void renamedOpenFile(long node, FusePath to) {
        OpenFile open = node == 0 ? null : files.find(node);
        if (open != null) {
            open.renamed(to.key());
        }
    }

    @Override
    public Entry link(FuseRequest r, long nodeid, long newParent, String newName) {
        FusePath to = child(newParent, newName);
        access.check(MountActions.link(nodes.path(nodeid), to));
        materialize(nodeid);
        return entry(to, tree.link(nodes.path(nodeid), to));
    }

    @Override
    public Entry symlink(FuseRequest r, long parent, String name, String target) {
        FusePath p = child(parent, name);
        access.check(MountActions.create(p, false));
        return entry(p, create(p, target.getBytes(StandardCharsets.UTF_8), posix(r, PosixAttributes.S_IFLNK, 0777)));
    }

    @Override
    public Opened opendir(FuseRequest r, long nodeid, int flags) {
        FusePath p = nodes.path(nodeid);
        access.check(MountActions.list(p));
        if (!current(nodeid).directory()) {
            throw new FuseException(Errno.ENOTDIR, p + " is not a directory");
        }
        long fh = nextDirectoryHandle.getAndIncrement();
        directories.put(fh, new DirectoryListing(p));
        return Opened.handle(fh);
    }

    @Override
    public void readdir(FuseRequest r, long nodeid, long fh, long offset, DirectoryFill fill) {
        DirectoryListing listing = directories.get(fh);
        if (listing == null) {
            throw new FuseException(Errno.EBADF, "no open directory " + fh);
        }
        access.check(MountActions.list(listing.dir()));
        if (offset == 0) {
            listing.rewind();
        }
        for (long position = offset; ; position++) {
            if (position < DirectoryListing.FIRST_ENTRY) {
                String name = position == 0 ? "." : "..";
                NamespaceEntry self = new NamespaceEntry(name, nodeid, true, null);
                if (!fill.add(name, new Entry(0, attributes.of(self, -1, 0), 0, 0), position + 1)) {
                    return;
                }
                continue;
            }
            NamespaceEntry e = listing.at(position, tree);
            if (e == null) {
                return;
            }
            Entry entry = new Entry(nodeid(e), attr(e), entryTtlNanos(listing.dir()), ttlNanos);
            if (!fill.add(e.name(), entry, position + 1)) {
                return;
            }
            if (fill.plus()) {
                nodes.looked(entry.nodeid(), listing.dir().child(e.name()));
            }
        }
    }

    @Override
    public void releasedir(FuseRequest r, long nodeid, long fh) {
        directories.remove(fh);
    }

    @Override
    public void fsyncdir(FuseRequest r, long nodeid, long fh, boolean dataOnly) {
        access.check(MountActions.none());
        // changes made outside leased directories were committed before they were answered
        awaitChangesAnsweredEarly();
    }

    // ---- file content

    @Override
    public Created create(FuseRequest r, long parent, String name, int mode, int flags) {
        FusePath p = child(parent, name);
        access.check(MountActions.create(p, false));
        PosixAttributes posix = posix(r, PosixAttributes.S_IFREG, mode);
        try {
            OpenFile f = changes.createFile(p, posix);
            if (f != null) {
                return new Created(entry(p, f.entry()), Opened.handle(f.inode()));
            }
            NamespaceEntry e = tree.create(p, new byte[0], posix);
            OpenFile opened = files.acquire(p, e);
            return new Created(entry(p, e), Opened.handle(opened.inode()));
        } catch (FuseException err) {
            // taken (meanwhile, by another client): O_CREAT without O_EXCL opens it
            if (err.errno() != Errno.EEXIST || (flags & O_EXCL) != 0) {
                throw err;
            }
            NamespaceEntry e = tree.entry(p, true);
            Opened opened = open(p, e, flags);
            return new Created(entry(p, e), opened);
        }
    }

    /**
     * Opens the file the node's name holds now, asking the masters (close-to-open). When a
     * rename (or another client) put another file there since the kernel looked the name up,
     * that file is opened: the caller asked for the name, and sees one whole version of it.
     */
    @Override
    public Opened open(FuseRequest r, long nodeid, int flags) {
        FusePath p = nodes.openName(nodeid);
        NamespaceEntry e = tree.entry(p, true);
        Opened opened = open(p, e, flags);
        if (e.inode() == nodeid && (flags & O_TRUNC) == 0 && files.kernelPagesCurrent(files.handle(opened.fh()), e.manifest())) {
            // unchanged since the kernel's pages of it were filled: they serve repeated reads
            opened = new Opened(opened.fh(), true, false);
        }
        // the kernel asks for the attributes again: the size it cached may be older than this open's
        FuseSession s = session;
        if (s != null) {
            s.invalidateInode(nodeid, false);
        }
        if (e.inode() != nodeid) {
            // the node's fstat finds the file its handle reads
            openedByName.opened(nodeid, files.handle(opened.fh()));
        }
        return opened;
    }

    /** Opens a file by name (open, or a create that found it there), if the mount's user may read and write it as asked. */
    private Opened open(FusePath p, NamespaceEntry e, int flags) {
        int accessMode = flags & O_ACCMODE;
        access.check(MountActions.open(p, accessMode != O_WRONLY, accessMode != O_RDONLY));
        if (e.directory()) {
            throw new FuseException(Errno.EISDIR, p + " is a directory");
        }
        OpenFile f = files.acquire(p, e);
        if ((flags & O_TRUNC) != 0 && (flags & O_ACCMODE) != 0) {
            f.truncate(0);
        }
        return Opened.handle(f.inode());
    }

    @Override
    public int read(FuseRequest r, long nodeid, long fh, long offset, ByteBuffer into) {
        OpenFile f = files.handle(fh);
        access.check(MountActions.read(OpenFiles.path(f), false));
        return f.read(into, offset);
    }

    @Override
    public int write(FuseRequest r, long nodeid, long fh, long offset, ByteBuffer data, int flags) {
        OpenFile f = files.handle(fh);
        access.check(MountActions.write(OpenFiles.path(f), false));
        return f.write(data, offset, (flags & O_APPEND) != 0);
    }

    @Override
    public void flush(FuseRequest r, long nodeid, long fh) {
        commit(nodeid, files.handle(fh));
    }

    @Override
    public void fsync(FuseRequest r, long nodeid, long fh, boolean dataOnly) {
        commit(nodeid, files.handle(fh));
        awaitChangesAnsweredEarly();
    }

    @Override
    public void release(FuseRequest r, long nodeid, long fh, int flags) {
        OpenFile f = files.handle(fh);
        try {
            commit(nodeid, f);
        } finally {
            // the handle goes whatever the commit did: close(2) already had flush's answer
            openedByName.released(nodeid, f);
            files.release(f);
        }
    }

    private void commit(long nodeid, OpenFile f) {
        ObjectManifest m = f.flush();
        if (m != null) {
            for (FusePath p : nodes.names(nodeid)) {
                tree.remember(p, new NamespaceEntry(p.name(), f.inode(), false, m));
            }
        }
    }

    // ---- extended attributes: user.NAME is the object's x-amz-meta-NAME

    @Override
    public void setxattr(FuseRequest r, long nodeid, String name, byte[] value, int flags) {
        checkNode(nodeid, p -> MountActions.write(p, directory(nodeid)));
        materialize(nodeid);
        update(nodeid, InodeUpdate.userMetadata(userKey(name), XattrValue.toText(value), clock.getAsLong()));
    }

    @Override
    public byte[] getxattr(FuseRequest r, long nodeid, String name) {
        if (name.startsWith(USER_XATTR)) {
            checkNode(nodeid, p -> MountActions.read(p, directory(nodeid)));
        }
        String v = name.startsWith(USER_XATTR) ? userMetadata(nodeid).get(name.substring(USER_XATTR.length())) : null;
        if (v == null) {
            throw new FuseException(Errno.ENODATA, name);
        }
        return XattrValue.toBytes(v);
    }

    @Override
    public byte[] listxattr(FuseRequest r, long nodeid) {
        checkNode(nodeid, p -> MountActions.read(p, directory(nodeid)));
        StringBuilder names = new StringBuilder();
        userMetadata(nodeid).keySet().forEach(k -> names.append(USER_XATTR).append(k).append('\0'));
        return names.toString().getBytes(StandardCharsets.UTF_8);
    }

    @Override
    public void removexattr(FuseRequest r, long nodeid, String name) {
        String key = userKey(name);
        checkNode(nodeid, p -> MountActions.write(p, directory(nodeid)));
        materialize(nodeid);
        if (!userMetadata(nodeid).containsKey(key)) {
            throw new FuseException(Errno.ENODATA, name);
        }
        update(nodeid, InodeUpdate.userMetadata(key, null, clock.getAsLong()));
    }

    private static String userKey(String name) {
        if (!name.startsWith(USER_XATTR)) {
            throw new FuseException(Errno.ENOTSUP, "only user.* attributes are stored");
        }
        return name.substring(USER_XATTR.length());
    }

    private Map<String, String> userMetadata(long nodeid) {
        NamespaceEntry e = current(nodeid);
        return e.manifest() == null ? Map.of() : e.manifest().properties().userMetadata();
    }

    // ---- the filesystem

    @Override
    public StatFs statfs(FuseRequest r, long nodeid) {
        access.check(MountActions.none());
        long now = clock.getAsLong();
        if (capacity == null || now - capacityAt > STATFS_TTL_MILLIS) {
            capacity = MountTree.await(objects.capacity());
            capacityAt = now;
        }
        int block = 4096;
        long files = 1L << 40;
        return new StatFs(capacity[0] / block, capacity[1] / block, capacity[1] / block, files, files, block, 255, block);
    }

    // ---- helpers

    /**
     * Checks what an operation on a node needs, by the node's newest name, or an open file's
     * own path once no name leads to it (fstat of an unlinked file); a node with neither
     * answers ESTALE in the operation itself, so only a usable key is checked for it.
     */
    private void checkNode(long nodeid, Function<FusePath, List<MountActions.Check>> actions) {
        if (access == MountAccess.FULL) {
            // nothing to decide: spare the look at the node
            return;
        }
        List<FusePath> names = nodes.names(nodeid);
        OpenFile open = names.isEmpty() ? openFile(nodeid) : null;
        FusePath p = !names.isEmpty() ? names.getFirst() : open != null ? OpenFiles.path(open) : null;
        access.check(p == null ? MountActions.none() : actions.apply(p));
    }

    /** The node open here: by its inode, or the file its name led to at open. */
    private OpenFile openFile(long nodeid) {
        OpenFile open = files.find(nodeid);
        return open != null ? open : openedByName.newest(nodeid);
    }

    /** Whether a node is a directory: a policy names a directory by its marker key ("dir/"). */
    private boolean directory(long nodeid) {
        return nodeid == NodeTable.ROOT || current(nodeid).directory();
    }

    private FusePath child(long parent, String name) {
        return nodes.path(parent).checkedChild(name);
    }

    private PosixAttributes posix(FuseRequest r, int type, int mode) {
        return new PosixAttributes(type | (mode & PosixAttributes.PERMISSION_BITS), r.uid(), r.gid(), 1, clock.getAsLong(), 0);
    }
}
