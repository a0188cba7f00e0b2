package io.mooseng.fuse.kernel;

import java.lang.foreign.MemorySegment;
import java.nio.charset.StandardCharsets;

import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_INT_UNALIGNED;
import static java.lang.foreign.ValueLayout.JAVA_LONG_UNALIGNED;

/** Packs struct fuse_dirent (READDIR) or fuse_direntplus (READDIRPLUS) records into a reply. */
final class DirentWriter implements DirectoryFill {
    private static final int S_IFMT = 0170000;

    private final MemorySegment out;
    private final boolean plus;
    private final long limit;
    private long at;

    /** Writes from {@code start} up to {@code start + size} bytes of {@code out}. */
    DirentWriter(MemorySegment out, long start, int size, boolean plus) {
        this.out = out;
        this.plus = plus;
        this.at = start;
        this.limit = start + size;
    }

    @Override
    public boolean plus() {
        return plus;
    }

    @Override
    public boolean add(String name, Entry entry, long nextOffset) {
        byte[] bytes = name.getBytes(StandardCharsets.UTF_8);
        int head = plus ? FuseProtocol.ENTRY_OUT : 0;
        long size = align8(head + FuseProtocol.DIRENT_NAME_OFFSET + bytes.length);
        if (at + size > limit) {
            return false;
        }
        out.asSlice(at, size).fill((byte) 0);
        if (plus) {
            Replies.entry(out, at, entry);
        }
        long d = at + head;
        out.set(JAVA_LONG_UNALIGNED, d, entry.attr().ino());
        out.set(JAVA_LONG_UNALIGNED, d + 8, nextOffset);
        out.set(JAVA_INT_UNALIGNED, d + 16, bytes.length);
        out.set(JAVA_INT_UNALIGNED, d + 20, (entry.attr().mode() & S_IFMT) >>> 12);
        MemorySegment.copy(bytes, 0, out, JAVA_BYTE, d + FuseProtocol.DIRENT_NAME_OFFSET, bytes.length);
        at += size;
        return true;
    }

    /** Where the next record would go: the reply's end. */
    long end() {
        return at;
    }

    private static long align8(long n) {
        return (n + 7) & ~7L;
    }
}
