package io.mooseng.core.file;

import io.mooseng.core.model.ObjectManifest;
import io.mooseng.core.object.ObjectService;

import java.nio.file.Path;
import java.util.function.LongSupplier;

/**
 * The file API over {@link ObjectService}: opens a file (an inode) for reads and writes at
 * any offset, as the FUSE mount serves them. The files it opens share its page cache, its
 * staging folder and its read-ahead depth.
 */
public final class FileService {
    private final ObjectService objects;
    private final PageCache pages;
    private final Path stagingDir;
    private final LongSupplier clock;
    private final int readAheadBlocks;

    /**
     * @param pageCacheBytes  bytes of committed blocks kept for random reads, over all files (0: none)
     * @param stagingDir      where a file rewritten at random offsets is staged until its last close
     * @param readAheadBlocks blocks a sequential reader fetches ahead
     */
    public FileService(ObjectService objects, long pageCacheBytes, Path stagingDir, LongSupplier clock, int readAheadBlocks) {
        if (readAheadBlocks < 1) {
            throw new IllegalArgumentException("read-ahead must be >= 1 block: " + readAheadBlocks);
        }
        this.objects = objects;
        this.pages = new PageCache(pageCacheBytes);
        this.stagingDir = stagingDir;
        this.clock = clock;
        this.readAheadBlocks = readAheadBlocks;
    }

    /**
     * Opens the inode {@code inode} of {@code bucket}, reached by {@code key}, whose content is
     * {@code committed}. One open file per inode serves all its handles: the caller keeps it.
     */
    public OpenFile open(String bucket, String key, long inode, ObjectManifest committed) {
        return new OpenFile(objects, pages, stagingDir, clock, readAheadBlocks, bucket, key, inode, committed);
    }

    /** The page cache the files share. */
    public PageCache pages() {
        return pages;
    }
}
