package io.mooseng.core.model;

/** A bucket: a top-level directory of the namespace. */
public record BucketInfo(String name, long inode, long createdMillis, StorageClass defaultClass) {
}
