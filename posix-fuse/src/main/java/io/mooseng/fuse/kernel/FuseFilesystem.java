package io.mooseng.fuse.kernel;

import java.nio.ByteBuffer;

/**
 * A filesystem on the FUSE low-level (inode) protocol. Every call runs on one of the
 * session's threads and may block; several run at once. Failures are thrown as
 * {@link FuseException}; any other exception answers the errno {@link #errno} gives it. An operation left at its default
 * answers ENOSYS, which tells the kernel not to ask again where the protocol allows.
 *
 * <p>Lookup counts: each {@link Entry} returned (lookup, mknod, mkdir, symlink, link, create,
 * and each entry a READDIRPLUS takes) counts one lookup of its nodeid; {@link #forget} gives
 * them back. Node 1 is the root and is never forgotten.
 */
public interface FuseFilesystem {
    Entry lookup(FuseRequest r, long parent, String name);

    /** The kernel dropped {@code count} lookups of a node. Must not block for long. */
    default void forget(long nodeid, long count) {
    }

    /** @param fh the open handle of an fstat, or -1 */
    AttrReply getattr(FuseRequest r, long nodeid, long fh);

    default AttrReply setattr(FuseRequest r, long nodeid, SetAttr changes) {
        throw unsupported();
    }

    default byte[] readlink(FuseRequest r, long nodeid) {
        throw unsupported();
    }

    /** @param mode type and permissions, the umask already applied by the kernel */
    default Entry mknod(FuseRequest r, long parent, String name, int mode, int rdev) {
        throw unsupported();
    }

    /** @param mode permissions, the umask already applied by the kernel */
    default Entry mkdir(FuseRequest r, long parent, String name, int mode) {
        throw unsupported();
    }

    default void unlink(FuseRequest r, long parent, String name) {
        throw unsupported();
    }

    default void rmdir(FuseRequest r, long parent, String name) {
        throw unsupported();
    }

    default Entry symlink(FuseRequest r, long parent, String name, String target) {
        throw unsupported();
    }

    /** @param flags renameat2's RENAME_NOREPLACE (1) or RENAME_EXCHANGE (2), or 0 */
    default void rename(FuseRequest r, long parent, String name, long newParent, String newName, int flags) {
        throw unsupported();
    }

    default Entry link(FuseRequest r, long nodeid, long newParent, String newName) {
        throw unsupported();
    }

    /** @param flags open(2) flags (O_CREAT, O_EXCL and O_NOCTTY already handled by the kernel) */
    default Opened open(FuseRequest r, long nodeid, int flags) {
        throw unsupported();
    }

    /** @param mode type and permissions, the umask already applied by the kernel */
    default Created create(FuseRequest r, long parent, String name, int mode, int flags) {
        throw unsupported();
    }

    /** Reads into {@code into} (its remaining bytes are the size asked for); @return the bytes read */
    default int read(FuseRequest r, long nodeid, long fh, long offset, ByteBuffer into) {
        throw unsupported();
    }

    /**
     * @param data  the bytes, a view of the request valid until this call returns
     * @param flags the open(2) flags of the handle (O_APPEND...)
     * @return the bytes written
     */
    default int write(FuseRequest r, long nodeid, long fh, long offset, ByteBuffer data, int flags) {
        throw unsupported();
    }

    /** Each close(2) of a descriptor of the handle. */
    default void flush(FuseRequest r, long nodeid, long fh) {
    }

    /** The last descriptor of the handle is gone; its answer reaches no caller. */
    default void release(FuseRequest r, long nodeid, long fh, int flags) {
    }

    default void fsync(FuseRequest r, long nodeid, long fh, boolean dataOnly) {
        throw unsupported();
    }

    default Opened opendir(FuseRequest r, long nodeid, int flags) {
        return Opened.handle(0);
    }

    /** Entries from {@code offset} (0: the first; else a nextOffset given before) until {@code fill} is full. */
    void readdir(FuseRequest r, long nodeid, long fh, long offset, DirectoryFill fill);

    default void releasedir(FuseRequest r, long nodeid, long fh) {
    }

    default void fsyncdir(FuseRequest r, long nodeid, long fh, boolean dataOnly) {
        throw unsupported();
    }

    default StatFs statfs(FuseRequest r, long nodeid) {
        return new StatFs(0, 0, 0, 0, 0, 4096, 255, 4096);
    }

    /** @param flags setxattr(2)'s XATTR_CREATE (1) or XATTR_REPLACE (2), or 0 */
    default void setxattr(FuseRequest r, long nodeid, String name, byte[] value, int flags) {
        throw unsupported();
    }

    /** The value; ENODATA if there is none. */
    default byte[] getxattr(FuseRequest r, long nodeid, String name) {
        throw unsupported();
    }

    /** The names, each followed by a NUL. */
    default byte[] listxattr(FuseRequest r, long nodeid) {
        throw unsupported();
    }

    default void removexattr(FuseRequest r, long nodeid, String name) {
        throw unsupported();
    }

    private static FuseException unsupported() {
        return new FuseException(Errno.ENOSYS, "not implemented");
    }

    /** The errno (positive) a failure other than a {@link FuseException} answers: EIO unless the filesystem knows it. */
    default int errno(RuntimeException failure) {
        return Errno.EIO;
    }

    /**
     * Told after each request is answered (or, for FORGET and INTERRUPT, taken): its name
     * (lookup, create, ...), how long the filesystem took, and the errno answered (0 for none).
     */
    default void served(String request, long nanos, int errno) {
    }
}
