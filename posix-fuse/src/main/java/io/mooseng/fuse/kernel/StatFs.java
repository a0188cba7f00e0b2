package io.mooseng.fuse.kernel;

/** statfs(2) figures; block counts in units of {@code fragmentSize}. */
public record StatFs(long blocks, long freeBlocks, long availableBlocks, long files, long freeFiles,
                     int blockSize, int nameMax, int fragmentSize) {
}
