package io.mooseng.fuse.kernel;

/**
 * An open file or directory handle.
 *
 * @param keepCache the kernel may keep the file's cached pages (else it drops them at this open)
 * @param directIo  reads and writes bypass the kernel's page cache
 */
public record Opened(long fh, boolean keepCache, boolean directIo) {
    public static Opened handle(long fh) {
        return new Opened(fh, false, false);
    }
}
