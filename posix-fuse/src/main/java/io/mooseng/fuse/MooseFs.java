package io.mooseng.fuse;

import io.mooseng.core.model.InodeUpdate;
import io.mooseng.core.model.NamespaceEntry;
import io.mooseng.core.model.ObjectManifest;
import io.mooseng.core.model.PosixAttributes;
import io.mooseng.core.object.ObjectService;
import jnr.ffi.Pointer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import ru.serce.jnrfuse.FuseFillDir;
import ru.serce.jnrfuse.FuseStubFS;
import ru.serce.jnrfuse.struct.FileStat;
import ru.serce.jnrfuse.struct.FuseFileInfo;
import ru.serce.jnrfuse.struct.Statvfs;
import ru.serce.jnrfuse.struct.Timespec;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.function.IntSupplier;
import java.util.function.LongSupplier;

/**
 * The FUSE callbacks: each turns a path operation into {@link MountTree} and {@link OpenFile}
 * calls and any failure into its errno. Runs on libfuse's threads, which may block.
 * Locks (flock, fcntl) are left to the kernel, which keeps them across this mount's processes.
 */
final class MooseFs extends FuseStubFS {
    private static final Logger LOG = LoggerFactory.getLogger(MooseFs.class);
    private static final String USER_XATTR = "user.";
    private static final int O_ACCMODE = 03;
    private static final int O_TRUNC = 01000;
    private static final int O_APPEND = 02000;
    private static final int O_EXCL = 0200;
    private static final long UTIME_NOW = (1L << 30) - 1;
    private static final long UTIME_OMIT = (1L << 30) - 2;
    private static final long STATFS_TTL_MILLIS = 2_000;
    private static final int FLAG_NULLPATH_OK = 1;
    private static final int FLAG_UTIME_OMIT_OK = 1 << 2;

    private final ObjectService objects;
    private final MountConfig config;
    private final MountTree tree;
    private final OpenFiles files;
    private final Attributes attributes;
    private final LongSupplier clock;
    private final ThreadLocal<byte[]> ioBuffer = ThreadLocal.withInitial(() -> new byte[128 << 10]);
    private volatile long[] capacity;
    private volatile long capacityAt;

    MooseFs(ObjectService objects, MountConfig config, LongSupplier clock) {
        this.objects = objects;
        this.config = config;
        this.clock = clock;
        this.tree = new MountTree(objects, new EntryCache(config.cacheTtlMillis(), clock), clock);
        this.files = new OpenFiles(objects, config, clock);
        this.attributes = new Attributes(config.ownerUid(), config.ownerGid(), clock.getAsLong());
        // fuse_operations' flag bits (jnr-fuse declares them as padding): handle calls on files
        // unlinked or replaced while open come with a null path instead of failing with ENOENT,
        // and UTIME_NOW/UTIME_OMIT reach utimens
        Pointer ops = jnr.ffi.Struct.getMemory(fuseOperations);
        long flags = offsetOf(fuseOperations.flag_nullpath_ok);
        ops.putByte(flags, (byte) (ops.getByte(flags) | FLAG_NULLPATH_OK | FLAG_UTIME_OMIT_OK));
    }

    /** jnr keeps member offsets package-private. */
    private static long offsetOf(Object member) {
        try {
            java.lang.reflect.Method offset = Class.forName("jnr.ffi.Struct$Member").getDeclaredMethod("offset");
            offset.setAccessible(true);
            return (long) offset.invoke(member);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("this jnr-ffi has no Struct.Member.offset()", e);
        }
    }

    OpenFiles files() {
        return files;
    }

    /** libfuse 2's fuse_conn_info: "want" is the 7th unsigned int; FUSE_CAP_ATOMIC_O_TRUNC is bit 3. */
    private static final int CONN_WANT_OFFSET = 6 * Integer.BYTES;
    private static final int CAP_ATOMIC_O_TRUNC = 1 << 3;

    @Override
    public Pointer init(Pointer conn) {
        // open(O_TRUNC) arrives as one open with the flag instead of truncate + open: one commit, at close
        conn.putInt(CONN_WANT_OFFSET, conn.getInt(CONN_WANT_OFFSET) | CAP_ATOMIC_O_TRUNC);
        return null;
    }

    // ---- attributes

    @Override
    public int getattr(String path, FileStat stat) {
        return run("getattr", path, () -> {
            NamespaceEntry e = tree.entry(parse(path), false);
            OpenFile open = e.directory() ? null : files.find(e.inode());
            attributes.fill(stat, e, open == null ? -1 : open.size());
            return 0;
        });
    }

    @Override
    public int fgetattr(String path, FileStat stat, FuseFileInfo fi) {
        if (path != null) {
            return getattr(path, stat);
        }
        // unlinked or replaced while open: the handle still has its file
        return run("fgetattr", null, () -> {
            OpenFile f = files.handle(fi.fh.get());
            attributes.fill(stat, f.entry(), f.size());
            return 0;
        });
    }

    @Override
    public int chmod(String path, long mode) {
        return update(path, InodeUpdate.permissions((int) mode & PosixAttributes.PERMISSION_BITS, clock.getAsLong()));
    }

    @Override
    public int chown(String path, long uid, long gid) {
        return update(path, InodeUpdate.owner(id(uid), id(gid), clock.getAsLong()));
    }

    @Override
    public int utimens(String path, Timespec[] times) {
        Long atime = millis(times[0]);
        Long mtime = millis(times[1]);
        if (atime == null && mtime == null) {
            return 0;
        }
        return run("utimens", path, () -> {
            NamespaceEntry e = applyUpdate(path, InodeUpdate.times(mtime, atime, clock.getAsLong()));
            OpenFile open = e.directory() || mtime == null ? null : files.find(e.inode());
            if (open != null) {
                open.mtimeSet(mtime);
            }
            return 0;
        });
    }

    /** A utimens time in millis; null for UTIME_OMIT. */
    private Long millis(Timespec t) {
        long nsec = t.tv_nsec.longValue();
        if (nsec == UTIME_OMIT) {
            return null;
        }
        return nsec == UTIME_NOW ? clock.getAsLong() : t.tv_sec.get() * 1000 + nsec / 1_000_000;
    }

    private int update(String path, InodeUpdate update) {
        return run("setattr", path, () -> {
            applyUpdate(path, update);
            return 0;
        });
    }

    private NamespaceEntry applyUpdate(String path, InodeUpdate update) {
        FusePath p = parse(path);
        if (p.isRoot()) {
            throw new FuseError(Errno.EPERM, "the mount's root has no attributes of its own");
        }
        return tree.update(p, tree.entry(p, true), update);
    }

    @Override
    public int truncate(String path, long size) {
        return run("truncate", path, () -> {
            FusePath p = parse(path);
            NamespaceEntry e = tree.entry(p, true);
            if (e.directory()) {
                return -Errno.EISDIR;
            }
            OpenFile f = files.acquire(p, e);
            try {
                f.truncate(size);
            } finally {
                files.release(f);
            }
            return 0;
        });
    }

    @Override
    public int ftruncate(String path, long size, FuseFileInfo fi) {
        return run("ftruncate", path, () -> {
            files.handle(fi.fh.get()).truncate(size);
            return 0;
        });
    }

    // ---- directories and names

    @Override
    public int readdir(String path, Pointer buf, FuseFillDir filler, long offset, FuseFileInfo fi) {
        return run("readdir", path, () -> {
            FusePath p = parse(path);
            if (!tree.entry(p, false).directory()) {
                return -Errno.ENOTDIR;
            }
            filler.apply(buf, ".", null, 0);
            filler.apply(buf, "..", null, 0);
            tree.list(p, e -> filler.apply(buf, e.name(), null, 0));
            return 0;
        });
    }

    @Override
    public int mkdir(String path, long mode) {
        return run("mkdir", path, () -> {
            FusePath p = parse(path);
            if (p.isBucketRoot()) {
                tree.createBucket(p.bucket());
            } else {
                tree.create(p, new byte[0], posix(PosixAttributes.S_IFDIR, mode));
            }
            return 0;
        });
    }

    @Override
    public int rmdir(String path) {
        return run("rmdir", path, () -> {
            FusePath p = parse(path);
            if (p.isBucketRoot()) {
                tree.deleteBucket(p.bucket());
            } else {
                tree.unlink(p, true);
            }
            return 0;
        });
    }

    @Override
    public int unlink(String path) {
        return run("unlink", path, () -> {
            tree.unlink(parse(path), false);
            return 0;
        });
    }

    @Override
    public int rename(String oldpath, String newpath) {
        return run("rename", oldpath, () -> {
            FusePath from = parse(oldpath);
            FusePath to = parse(newpath);
            if (from.isBucketRoot() || to.isBucketRoot()) {
                return -Errno.EPERM;
            }
            tree.rename(from, to);
            return 0;
        });
    }

    @Override
    public int link(String oldpath, String newpath) {
        return run("link", newpath, () -> {
            tree.link(parse(oldpath), parse(newpath));
            return 0;
        });
    }

    @Override
    public int symlink(String target, String linkpath) {
        return run("symlink", linkpath, () -> {
            tree.create(parse(linkpath), target.getBytes(StandardCharsets.UTF_8), posix(PosixAttributes.S_IFLNK, 0777));
            return 0;
        });
    }

    @Override
    public int readlink(String path, Pointer buf, long size) {
        return run("readlink", path, () -> {
            NamespaceEntry e = tree.entry(parse(path), false);
            if (!e.posix().symlink()) {
                return -Errno.EINVAL;
            }
            byte[] target = e.manifest().inlineData();
            int n = (int) Math.min(target.length, size - 1);
            buf.put(0, target, 0, n);
            buf.putByte(n, (byte) 0);
            return 0;
        });
    }

    // ---- file content

    @Override
    public int create(String path, long mode, FuseFileInfo fi) {
        return run("create", path, () -> {
            FusePath p = parse(path);
            NamespaceEntry e;
            try {
                e = tree.create(p, new byte[0], posix(PosixAttributes.S_IFREG, mode));
            } catch (FuseError err) {
                // created meanwhile by another client: O_CREAT without O_EXCL opens it
                if (err.errno() != Errno.EEXIST || (fi.flags.get() & O_EXCL) != 0) {
                    throw err;
                }
                return openFile(p, fi);
            }
            fi.fh.set(files.acquire(p, e).inode());
            return 0;
        });
    }

    @Override
    public int open(String path, FuseFileInfo fi) {
        return run("open", path, () -> openFile(parse(path), fi));
    }

    private int openFile(FusePath p, FuseFileInfo fi) {
        // close-to-open: every open asks the masters for the current version
        NamespaceEntry e = tree.entry(p, true);
        if (e.directory()) {
            return -Errno.EISDIR;
        }
        OpenFile f = files.acquire(p, e);
        fi.fh.set(f.inode());
        if ((fi.flags.get() & O_TRUNC) != 0 && (fi.flags.get() & O_ACCMODE) != 0) {
            f.truncate(0);
        }
        return 0;
    }

    @Override
    public int read(String path, Pointer buf, long size, long offset, FuseFileInfo fi) {
        return run("read", path, () -> {
            byte[] tmp = buffer((int) size);
            int n = files.handle(fi.fh.get()).read(ByteBuffer.wrap(tmp, 0, (int) size), offset);
            buf.put(0, tmp, 0, n);
            return n;
        });
    }

    @Override
    public int write(String path, Pointer buf, long size, long offset, FuseFileInfo fi) {
        return run("write", path, () -> {
            byte[] tmp = buffer((int) size);
            buf.get(0, tmp, 0, (int) size);
            return files.handle(fi.fh.get()).write(ByteBuffer.wrap(tmp, 0, (int) size), offset, (fi.flags.get() & O_APPEND) != 0);
        });
    }

    @Override
    public int flush(String path, FuseFileInfo fi) {
        return run("flush", path, () -> {
            commit(path, files.handle(fi.fh.get()));
            return 0;
        });
    }

    @Override
    public int fsync(String path, int isdatasync, FuseFileInfo fi) {
        return flush(path, fi);
    }

    @Override
    public int release(String path, FuseFileInfo fi) {
        return run("release", path, () -> {
            OpenFile f = files.handle(fi.fh.get());
            try {
                commit(path, f);
            } finally {
                // the handle goes whatever the commit did: close(2) already had flush's answer
                files.release(f);
            }
            return 0;
        });
    }

    private void commit(String path, OpenFile f) {
        ObjectManifest m = f.flush();
        if (m != null && path != null) {
            FusePath p = parse(path);
            tree.remember(p, new NamespaceEntry(p.name(), f.inode(), false, m));
        }
    }

    // ---- extended attributes: user.NAME is the object's x-amz-meta-NAME

    @Override
    public int setxattr(String path, String name, Pointer value, long size, int flags) {
        if (!name.startsWith(USER_XATTR)) {
            return -Errno.ENOTSUP;
        }
        byte[] bytes = new byte[(int) size];
        value.get(0, bytes, 0, bytes.length);
        return update(path, InodeUpdate.userMetadata(name.substring(USER_XATTR.length()), XattrValue.toText(bytes),
                clock.getAsLong()));
    }

    @Override
    public int getxattr(String path, String name, Pointer value, long size) {
        if (!name.startsWith(USER_XATTR)) {
            return -Errno.ENODATA;
        }
        return run("getxattr", path, () -> {
            String v = userMetadata(path).get(name.substring(USER_XATTR.length()));
            if (v == null) {
                return -Errno.ENODATA;
            }
            return copyOut(XattrValue.toBytes(v), value, size);
        });
    }

    @Override
    public int listxattr(String path, Pointer list, long size) {
        return run("listxattr", path, () -> {
            StringBuilder names = new StringBuilder();
            userMetadata(path).keySet().forEach(k -> names.append(USER_XATTR).append(k).append('\0'));
            return copyOut(names.toString().getBytes(StandardCharsets.UTF_8), list, size);
        });
    }

    @Override
    public int removexattr(String path, String name) {
        if (!name.startsWith(USER_XATTR)) {
            return -Errno.ENOTSUP;
        }
        return run("removexattr", path, () -> {
            String key = name.substring(USER_XATTR.length());
            FusePath p = parse(path);
            NamespaceEntry e = tree.entry(p, true);
            if (e.manifest() == null || !e.manifest().properties().userMetadata().containsKey(key)) {
                return -Errno.ENODATA;
            }
            tree.update(p, e, InodeUpdate.userMetadata(key, null, clock.getAsLong()));
            return 0;
        });
    }

    private Map<String, String> userMetadata(String path) {
        NamespaceEntry e = tree.entry(parse(path), false);
        return e.manifest() == null ? Map.of() : e.manifest().properties().userMetadata();
    }

    /** getxattr/listxattr protocol: size 0 asks for the length. */
    private static int copyOut(byte[] bytes, Pointer to, long size) {
        if (size == 0) {
            return bytes.length;
        }
        if (size < bytes.length) {
            return -Errno.ERANGE;
        }
        to.put(0, bytes, 0, bytes.length);
        return bytes.length;
    }

    // ---- the filesystem

    @Override
    public int statfs(String path, Statvfs stbuf) {
        return run("statfs", path, () -> {
            long now = clock.getAsLong();
            if (capacity == null || now - capacityAt > STATFS_TTL_MILLIS) {
                capacity = MountTree.await(objects.capacity());
                capacityAt = now;
            }
            long block = 4096;
            stbuf.f_bsize.set(block);
            stbuf.f_frsize.set(block);
            stbuf.f_blocks.set(capacity[0] / block);
            stbuf.f_bfree.set(capacity[1] / block);
            stbuf.f_bavail.set(capacity[1] / block);
            stbuf.f_files.set(1L << 40);
            stbuf.f_ffree.set(1L << 40);
            stbuf.f_favail.set(1L << 40);
            stbuf.f_namemax.set(255);
            return 0;
        });
    }

    // ---- helpers

    private FusePath parse(String path) {
        return FusePath.parse(path, config.bucket());
    }

    private PosixAttributes posix(int type, long mode) {
        var ctx = getContext();
        return new PosixAttributes(type | ((int) mode & PosixAttributes.PERMISSION_BITS),
                (int) ctx.uid.get(), (int) ctx.gid.get(), 1, clock.getAsLong(), 0);
    }

    private byte[] buffer(int size) {
        byte[] b = ioBuffer.get();
        if (b.length < size) {
            b = new byte[size];
            ioBuffer.set(b);
        }
        return b;
    }

    /** chown(2) passes -1 (as an unsigned 32-bit value) for "unchanged". */
    private static int id(long v) {
        return v == -1 || v == 0xFFFFFFFFL ? -1 : (int) v;
    }

    /** Runs one callback, turning failures into -errno; unexpected ones are logged. */
    private static int run(String op, String path, IntSupplier body) {
        try {
            return body.getAsInt();
        } catch (FuseError e) {
            if (e.errno() == Errno.EIO || e.errno() == Errno.ENOSPC) {
                LOG.warn("{} {}: {}", op, path, e.getMessage());
            }
            return -e.errno();
        } catch (RuntimeException e) {
            LOG.warn("{} {} failed", op, path, e);
            return -Errno.of(e);
        }
    }
}
