package io.mooseng.core.model;

/**
 * The POSIX side of an inode, set through the mount. Objects written over S3 carry none and
 * are shown with {@link #defaultFile}/{@link #defaultDirectory} attributes.
 *
 * @param mode         file type and permission bits, as st_mode
 * @param uid          owner
 * @param gid          group
 * @param nlink        directory entries naming this inode (hard links); maintained by the namespace
 * @param ctimeMillis  last attribute or content change
 * @param atimeMillis  last access as set by utimens (reads do not update it: noatime), 0 = the mtime
 * @param rdev         device number of a character or block device file, else 0
 */
public record PosixAttributes(int mode, int uid, int gid, int nlink, long ctimeMillis, long atimeMillis, int rdev) {
    public static final int S_IFMT = 0170000;
    public static final int S_IFREG = 0100000;
    public static final int S_IFDIR = 0040000;
    public static final int S_IFLNK = 0120000;
    public static final int S_IFIFO = 0010000;
    public static final int S_IFSOCK = 0140000;
    public static final int S_IFCHR = 0020000;
    public static final int S_IFBLK = 0060000;
    public static final int PERMISSION_BITS = 07777;

    /** Anything but a device file. */
    public PosixAttributes(int mode, int uid, int gid, int nlink, long ctimeMillis, long atimeMillis) {
        this(mode, uid, gid, nlink, ctimeMillis, atimeMillis, 0);
    }

    public static PosixAttributes defaultFile(long ctimeMillis) {
        return new PosixAttributes(S_IFREG | 0644, 0, 0, 1, ctimeMillis, 0);
    }

    public static PosixAttributes defaultDirectory(long ctimeMillis) {
        return new PosixAttributes(S_IFDIR | 0755, 0, 0, 1, ctimeMillis, 0);
    }

    public boolean directory() {
        return (mode & S_IFMT) == S_IFDIR;
    }

    public boolean symlink() {
        return (mode & S_IFMT) == S_IFLNK;
    }

    /** What a file that is not a regular file or directory is, as S3 shows it: fifo, socket, char-device, block-device, symlink; else null. */
    public String specialType() {
        return switch (mode & S_IFMT) {
            case S_IFIFO -> "fifo";
            case S_IFSOCK -> "socket";
            case S_IFCHR -> "char-device";
            case S_IFBLK -> "block-device";
            case S_IFLNK -> "symlink";
            default -> null;
        };
    }

    /** A device file's "major,minor" (rdev as the kernel encodes a device number in 32 bits), else null. */
    public String deviceNumbers() {
        int type = mode & S_IFMT;
        if (type != S_IFCHR && type != S_IFBLK) {
            return null;
        }
        int major = (rdev & 0xfff00) >>> 8;
        int minor = (rdev & 0xff) | ((rdev >>> 12) & 0xfff00);
        return major + "," + minor;
    }

    /** Same type, new permission bits. */
    public PosixAttributes withPermissions(int permissions, long changedMillis) {
        return new PosixAttributes((mode & S_IFMT) | (permissions & PERMISSION_BITS), uid, gid, nlink, changedMillis, atimeMillis, rdev);
    }

    public PosixAttributes withOwner(int newUid, int newGid, long changedMillis) {
        return new PosixAttributes(mode, newUid, newGid, nlink, changedMillis, atimeMillis, rdev);
    }

    public PosixAttributes withLinks(int links) {
        return new PosixAttributes(mode, uid, gid, links, ctimeMillis, atimeMillis, rdev);
    }

    public PosixAttributes changedAt(long changedMillis) {
        return new PosixAttributes(mode, uid, gid, nlink, changedMillis, atimeMillis, rdev);
    }

    /** A device file's number. */
    public PosixAttributes withDevice(int deviceNumber) {
        return new PosixAttributes(mode, uid, gid, nlink, ctimeMillis, atimeMillis, deviceNumber);
    }

    public PosixAttributes withAtime(long millis) {
        return new PosixAttributes(mode, uid, gid, nlink, ctimeMillis, millis, rdev);
    }
}
