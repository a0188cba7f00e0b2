package io.mooseng.fuse;

import io.mooseng.core.model.NamespaceEntry;
import io.mooseng.core.model.ObjectManifest;
import io.mooseng.core.model.PosixAttributes;
import ru.serce.jnrfuse.struct.FileStat;
import ru.serce.jnrfuse.struct.Timespec;

/** Fills stat(2) answers from namespace entries. */
final class Attributes {
    private static final int BLOCK_SIZE = 128 << 10;

    private final int ownerUid;
    private final int ownerGid;
    private final long mountedMillis;

    Attributes(int ownerUid, int ownerGid, long mountedMillis) {
        this.ownerUid = ownerUid;
        this.ownerGid = ownerGid;
        this.mountedMillis = mountedMillis;
    }

    /** @param openSize the size of the file as open in this mount, or -1 */
    void fill(FileStat st, NamespaceEntry e, long openSize) {
        ObjectManifest m = e.manifest();
        PosixAttributes posix = e.posix();
        boolean own = m != null && m.posix() != null;
        long size = e.directory() ? 4096 : openSize >= 0 ? openSize : e.size();
        long mtime = e.mtimeMillis() > 0 ? e.mtimeMillis() : mountedMillis;
        st.st_mode.set(posix.mode());
        st.st_ino.set(e.inode());
        // directories say 1: "link count not maintained", so find(1) does not skip subdirectories
        st.st_nlink.set(e.directory() ? 1 : posix.nlink());
        st.st_uid.set(own ? posix.uid() : ownerUid);
        st.st_gid.set(own ? posix.gid() : ownerGid);
        st.st_size.set(size);
        st.st_blksize.set(BLOCK_SIZE);
        st.st_blocks.set((size + 511) / 512);
        time(st.st_mtim, mtime);
        time(st.st_atim, own && posix.atimeMillis() > 0 ? posix.atimeMillis() : mtime);
        time(st.st_ctim, own && posix.ctimeMillis() > 0 ? posix.ctimeMillis() : mtime);
    }

    private static void time(Timespec t, long millis) {
        t.tv_sec.set(Math.floorDiv(millis, 1000));
        t.tv_nsec.set(Math.floorMod(millis, 1000) * 1_000_000L);
    }
}
