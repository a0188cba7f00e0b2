package io.mooseng.fuse.kernel;

/**
 * The FUSE kernel protocol (include/uapi/linux/fuse.h), version 7: opcodes, flags and the
 * sizes of the fixed parts of messages this binding reads and writes. Offsets are in the
 * codecs beside their use ({@link FuseRequest}, {@link Replies}).
 */
final class FuseProtocol {
    static final int KERNEL_VERSION = 7;
    /** The minor version we speak: 7.31 has max_pages (7.28) and explicit data invalidation (7.30). */
    static final int KERNEL_MINOR_VERSION = 31;
    /** The oldest kernel minor accepted: the layouts below hold from 7.23 on. */
    static final int MIN_KERNEL_MINOR_VERSION = 23;
    static final long ROOT_ID = 1;

    // opcodes
    static final int LOOKUP = 1;
    static final int FORGET = 2;
    static final int GETATTR = 3;
    static final int SETATTR = 4;
    static final int READLINK = 5;
    static final int SYMLINK = 6;
    static final int MKNOD = 8;
    static final int MKDIR = 9;
    static final int UNLINK = 10;
    static final int RMDIR = 11;
    static final int RENAME = 12;
    static final int LINK = 13;
    static final int OPEN = 14;
    static final int READ = 15;
    static final int WRITE = 16;
    static final int STATFS = 17;
    static final int RELEASE = 18;
    static final int FSYNC = 20;
    static final int SETXATTR = 21;
    static final int GETXATTR = 22;
    static final int LISTXATTR = 23;
    static final int REMOVEXATTR = 24;
    static final int FLUSH = 25;
    static final int INIT = 26;
    static final int OPENDIR = 27;
    static final int READDIR = 28;
    static final int RELEASEDIR = 29;
    static final int FSYNCDIR = 30;
    static final int ACCESS = 34;
    static final int CREATE = 35;
    static final int INTERRUPT = 36;
    static final int DESTROY = 38;
    static final int BATCH_FORGET = 42;
    static final int READDIRPLUS = 44;
    static final int RENAME2 = 45;

    // notifications (fuse_out_header.error of a message with unique 0)
    static final int NOTIFY_INVAL_INODE = 2;
    static final int NOTIFY_INVAL_ENTRY = 3;

    // FUSE_INIT flags
    static final int ASYNC_READ = 1;
    static final int ATOMIC_O_TRUNC = 1 << 3;
    static final int BIG_WRITES = 1 << 5;
    static final int DO_READDIRPLUS = 1 << 13;
    static final int READDIRPLUS_AUTO = 1 << 14;
    static final int PARALLEL_DIROPS = 1 << 18;
    static final int MAX_PAGES = 1 << 22;
    static final int EXPLICIT_INVAL_DATA = 1 << 25;

    // fuse_getattr_in.getattr_flags
    static final int GETATTR_FH = 1;

    // fuse_open_out.open_flags
    static final int FOPEN_DIRECT_IO = 1;
    static final int FOPEN_KEEP_CACHE = 1 << 1;

    /** fuse_in_header, before every request. */
    static final int IN_HEADER = 40;
    /** fuse_out_header, before every reply. */
    static final int OUT_HEADER = 16;
    static final int ATTR = 88;
    static final int ENTRY_OUT = 40 + ATTR;
    static final int ATTR_OUT = 16 + ATTR;
    static final int OPEN_OUT = 16;
    static final int INIT_OUT = 64;
    static final int WRITE_IN = 40;
    static final int DIRENT_NAME_OFFSET = 24;
    /** The kernel wants room for a write's header beside max_write in every read of the device. */
    static final int REQUEST_OVERHEAD = 4096;
    static final int PAGE_SIZE = 4096;

    private FuseProtocol() {
    }

    /** A request's name, lower case (metrics label it so); "other" for opcodes the binding does not answer. */
    static String opcodeName(int opcode) {
        return switch (opcode) {
            case LOOKUP -> "lookup";
            case FORGET, BATCH_FORGET -> "forget";
            case GETATTR -> "getattr";
            case SETATTR -> "setattr";
            case READLINK -> "readlink";
            case SYMLINK -> "symlink";
            case MKNOD -> "mknod";
            case MKDIR -> "mkdir";
            case UNLINK -> "unlink";
            case RMDIR -> "rmdir";
            case RENAME, RENAME2 -> "rename";
            case LINK -> "link";
            case OPEN -> "open";
            case READ -> "read";
            case WRITE -> "write";
            case STATFS -> "statfs";
            case RELEASE -> "release";
            case FSYNC -> "fsync";
            case SETXATTR, GETXATTR, LISTXATTR, REMOVEXATTR -> "xattr";
            case FLUSH -> "flush";
            case INIT -> "init";
            case OPENDIR -> "opendir";
            case READDIR, READDIRPLUS -> "readdir";
            case RELEASEDIR -> "releasedir";
            case FSYNCDIR -> "fsyncdir";
            case CREATE -> "create";
            case INTERRUPT -> "interrupt";
            default -> "other";
        };
    }
}
