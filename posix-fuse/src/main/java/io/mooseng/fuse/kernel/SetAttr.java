package io.mooseng.fuse.kernel;

/**
 * The changes of one SETATTR (struct fuse_setattr_in): only the fields whose bit is in
 * {@code valid} are meant. Times in nanoseconds since the epoch.
 */
public record SetAttr(int valid, long fh, long size, long atimeNanos, long mtimeNanos, int mode, int uid, int gid) {
    static final int MODE = 1;
    static final int UID = 1 << 1;
    static final int GID = 1 << 2;
    static final int SIZE = 1 << 3;
    static final int ATIME = 1 << 4;
    static final int MTIME = 1 << 5;
    static final int FH = 1 << 6;
    static final int ATIME_NOW = 1 << 7;
    static final int MTIME_NOW = 1 << 8;
    static final int CTIME = 1 << 10;
    static final int KILL_SUIDGID = 1 << 11;

    public boolean hasMode() {
        return (valid & MODE) != 0;
    }

    public boolean hasUid() {
        return (valid & UID) != 0;
    }

    public boolean hasGid() {
        return (valid & GID) != 0;
    }

    public boolean hasSize() {
        return (valid & SIZE) != 0;
    }

    /** The file handle of an ftruncate/futimens, or -1. */
    public long handle() {
        return (valid & FH) != 0 ? fh : -1;
    }

    public boolean hasAtime() {
        return (valid & ATIME) != 0;
    }

    /** atime is "now" (UTIME_NOW): the filesystem's clock, not {@link #atimeNanos}. */
    public boolean atimeNow() {
        return (valid & ATIME_NOW) != 0;
    }

    public boolean hasMtime() {
        return (valid & MTIME) != 0;
    }

    public boolean mtimeNow() {
        return (valid & MTIME_NOW) != 0;
    }

    /** The set-user-ID and set-group-ID bits are to be cleared (a write or truncate by a non-owner). */
    public boolean killSuidGid() {
        return (valid & KILL_SUIDGID) != 0;
    }
}
