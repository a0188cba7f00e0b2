package io.mooseng.fuse;

import java.nio.file.Path;

/**
 * How a mount behaves.
 *
 * @param bucket          mount only this bucket (null: every bucket is a top-level directory)
 * @param cacheTtlMillis  how long attributes, directory entries and absent names are trusted
 *                        without asking the masters (open() always asks: close-to-open)
 * @param stagingDir      where files under random writes are staged before upload
 * @param readAheadBlocks blocks fetched ahead of a sequential reader
 * @param ownerUid        owner shown for objects written over S3 (they carry none)
 * @param ownerGid        group shown for objects written over S3
 * @param pageCacheBytes  bytes of file content kept for random readers ({@link PageCache}); 0 for none
 */
public record MountConfig(String bucket, long cacheTtlMillis, Path stagingDir, int readAheadBlocks, int ownerUid, int ownerGid,
                          long pageCacheBytes) {
    public static final long DEFAULT_CACHE_TTL_MILLIS = 1_000;
    public static final long DEFAULT_PAGE_CACHE_BYTES = 64L << 20;

    public MountConfig {
        if (cacheTtlMillis < 0) {
            throw new IllegalArgumentException("cache TTL must be >= 0: " + cacheTtlMillis);
        }
        if (readAheadBlocks < 1) {
            throw new IllegalArgumentException("read-ahead must be >= 1 block: " + readAheadBlocks);
        }
        if (pageCacheBytes < 0) {
            throw new IllegalArgumentException("page cache size must be >= 0: " + pageCacheBytes);
        }
    }
}
