package io.mooseng.fuse;

import io.mooseng.core.model.NamespaceEntry;
import io.mooseng.core.model.ObjectManifest;
import io.mooseng.core.model.PosixAttributes;
import io.mooseng.fuse.kernel.Attr;

/** stat(2) attributes of namespace entries. */
final class Attributes {
    private static final int BLOCK_SIZE = 128 << 10;
    private static final long NANOS_PER_MILLI = 1_000_000L;

    private final int ownerUid;
    private final int ownerGid;
    private final long mountedMillis;

    Attributes(int ownerUid, int ownerGid, long mountedMillis) {
        this.ownerUid = ownerUid;
        this.ownerGid = ownerGid;
        this.mountedMillis = mountedMillis;
    }

    /**
     * @param openSize       the size of the file as open in this mount, or -1
     * @param changedMillis  when this mount last wrote to the open file (mtime and ctime until it commits), or 0
     */
    Attr of(NamespaceEntry e, long openSize, long changedMillis) {
        ObjectManifest m = e.manifest();
        PosixAttributes posix = e.posix();
        boolean own = m != null && m.posix() != null;
        long size = e.directory() ? 4096 : openSize >= 0 ? openSize : e.size();
        long mtime = changedMillis > 0 ? changedMillis : e.mtimeMillis() > 0 ? e.mtimeMillis() : mountedMillis;
        long atime = own && posix.atimeMillis() > 0 ? posix.atimeMillis() : mtime;
        long ctime = changedMillis > 0 ? changedMillis : own && posix.ctimeMillis() > 0 ? posix.ctimeMillis() : mtime;
        int nlink = e.links();
        return new Attr(e.inode(), size, (size + 511) / 512, atime * NANOS_PER_MILLI, mtime * NANOS_PER_MILLI,
                ctime * NANOS_PER_MILLI, posix.mode(), nlink, own ? posix.uid() : ownerUid, own ? posix.gid() : ownerGid, posix.rdev(),
                BLOCK_SIZE);
    }
}
