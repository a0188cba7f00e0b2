package io.mooseng.fuse.kernel;

/**
 * An inode's attributes as the kernel caches them (struct fuse_attr).
 *
 * @param mode file type and permission bits, as in st_mode
 * @param rdev the device number of a character or block device, else 0
 */
public record Attr(long ino, long size, long blocks, long atimeNanos, long mtimeNanos, long ctimeNanos,
                   int mode, int nlink, int uid, int gid, int rdev, int blockSize) {
}
