package io.mooseng.fuse.kernel;

import java.lang.foreign.MemorySegment;

import static java.lang.foreign.ValueLayout.JAVA_INT_UNALIGNED;
import static java.lang.foreign.ValueLayout.JAVA_LONG_UNALIGNED;
import static java.lang.foreign.ValueLayout.JAVA_SHORT_UNALIGNED;

/** Encoders of the reply structures, each writing at an offset of a reply buffer. */
final class Replies {
    private static final long NANOS = 1_000_000_000L;

    private Replies() {
    }

    /** struct fuse_out_header. */
    static void header(MemorySegment out, int length, int error, long unique) {
        out.set(JAVA_INT_UNALIGNED, 0, length);
        out.set(JAVA_INT_UNALIGNED, 4, error);
        out.set(JAVA_LONG_UNALIGNED, 8, unique);
    }

    /** struct fuse_attr (88 bytes). */
    static void attr(MemorySegment out, long at, Attr a) {
        out.set(JAVA_LONG_UNALIGNED, at, a.ino());
        out.set(JAVA_LONG_UNALIGNED, at + 8, a.size());
        out.set(JAVA_LONG_UNALIGNED, at + 16, a.blocks());
        out.set(JAVA_LONG_UNALIGNED, at + 24, Math.floorDiv(a.atimeNanos(), NANOS));
        out.set(JAVA_LONG_UNALIGNED, at + 32, Math.floorDiv(a.mtimeNanos(), NANOS));
        out.set(JAVA_LONG_UNALIGNED, at + 40, Math.floorDiv(a.ctimeNanos(), NANOS));
        out.set(JAVA_INT_UNALIGNED, at + 48, (int) Math.floorMod(a.atimeNanos(), NANOS));
        out.set(JAVA_INT_UNALIGNED, at + 52, (int) Math.floorMod(a.mtimeNanos(), NANOS));
        out.set(JAVA_INT_UNALIGNED, at + 56, (int) Math.floorMod(a.ctimeNanos(), NANOS));
        out.set(JAVA_INT_UNALIGNED, at + 60, a.mode());
        out.set(JAVA_INT_UNALIGNED, at + 64, a.nlink());
        out.set(JAVA_INT_UNALIGNED, at + 68, a.uid());
        out.set(JAVA_INT_UNALIGNED, at + 72, a.gid());
        out.set(JAVA_INT_UNALIGNED, at + 76, a.rdev());
        out.set(JAVA_INT_UNALIGNED, at + 80, a.blockSize());
        out.set(JAVA_INT_UNALIGNED, at + 84, 0);
    }

    /** struct fuse_entry_out (128 bytes). */
    static void entry(MemorySegment out, long at, Entry e) {
        out.set(JAVA_LONG_UNALIGNED, at, e.nodeid());
        out.set(JAVA_LONG_UNALIGNED, at + 8, 0);
        out.set(JAVA_LONG_UNALIGNED, at + 16, e.entryTtlNanos() / NANOS);
        out.set(JAVA_LONG_UNALIGNED, at + 24, e.attrTtlNanos() / NANOS);
        out.set(JAVA_INT_UNALIGNED, at + 32, (int) (e.entryTtlNanos() % NANOS));
        out.set(JAVA_INT_UNALIGNED, at + 36, (int) (e.attrTtlNanos() % NANOS));
        attr(out, at + 40, e.attr());
    }

    /** struct fuse_attr_out (104 bytes). */
    static void attrOut(MemorySegment out, long at, AttrReply a) {
        out.set(JAVA_LONG_UNALIGNED, at, a.ttlNanos() / NANOS);
        out.set(JAVA_INT_UNALIGNED, at + 8, (int) (a.ttlNanos() % NANOS));
        out.set(JAVA_INT_UNALIGNED, at + 12, 0);
        attr(out, at + 16, a.attr());
    }

    /** struct fuse_open_out (16 bytes). */
    static void open(MemorySegment out, long at, Opened o) {
        out.set(JAVA_LONG_UNALIGNED, at, o.fh());
        int flags = (o.keepCache() ? FuseProtocol.FOPEN_KEEP_CACHE : 0) | (o.directIo() ? FuseProtocol.FOPEN_DIRECT_IO : 0);
        out.set(JAVA_INT_UNALIGNED, at + 8, flags);
        out.set(JAVA_INT_UNALIGNED, at + 12, 0);
    }

    /** struct fuse_kstatfs (80 bytes). */
    static void statfs(MemorySegment out, long at, StatFs s) {
        out.asSlice(at, 80).fill((byte) 0);
        out.set(JAVA_LONG_UNALIGNED, at, s.blocks());
        out.set(JAVA_LONG_UNALIGNED, at + 8, s.freeBlocks());
        out.set(JAVA_LONG_UNALIGNED, at + 16, s.availableBlocks());
        out.set(JAVA_LONG_UNALIGNED, at + 24, s.files());
        out.set(JAVA_LONG_UNALIGNED, at + 32, s.freeFiles());
        out.set(JAVA_INT_UNALIGNED, at + 40, s.blockSize());
        out.set(JAVA_INT_UNALIGNED, at + 44, s.nameMax());
        out.set(JAVA_INT_UNALIGNED, at + 48, s.fragmentSize());
    }

    /** struct fuse_init_out (64 bytes). */
    static void init(MemorySegment out, long at, int minor, int maxReadahead, int flags, int maxBackground, int maxWrite) {
        out.asSlice(at, FuseProtocol.INIT_OUT).fill((byte) 0);
        out.set(JAVA_INT_UNALIGNED, at, FuseProtocol.KERNEL_VERSION);
        out.set(JAVA_INT_UNALIGNED, at + 4, minor);
        out.set(JAVA_INT_UNALIGNED, at + 8, maxReadahead);
        out.set(JAVA_INT_UNALIGNED, at + 12, flags);
        out.set(JAVA_SHORT_UNALIGNED, at + 16, (short) maxBackground);
        out.set(JAVA_SHORT_UNALIGNED, at + 18, (short) (maxBackground * 3 / 4));
        out.set(JAVA_INT_UNALIGNED, at + 20, maxWrite);
        // time granularity: nanoseconds
        out.set(JAVA_INT_UNALIGNED, at + 24, 1);
        out.set(JAVA_SHORT_UNALIGNED, at + 28, (short) (maxWrite / FuseProtocol.PAGE_SIZE));
    }
}
