package io.mooseng.fuse.kernel;

/** Attributes with how long the kernel may trust them. */
public record AttrReply(Attr attr, long ttlNanos) {
}
