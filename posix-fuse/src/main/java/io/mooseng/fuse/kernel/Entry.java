package io.mooseng.fuse.kernel;

/**
 * A name resolved to an inode: every reply carrying one (lookup, mknod, mkdir, symlink, link,
 * create, readdirplus) counts one lookup of {@code nodeid}, which the kernel gives back in
 * FORGET.
 *
 * @param entryTtlNanos how long the kernel may trust the name
 * @param attrTtlNanos  how long it may trust the attributes
 */
public record Entry(long nodeid, Attr attr, long entryTtlNanos, long attrTtlNanos) {
}
