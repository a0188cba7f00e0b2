package io.mooseng.core.model;

/** A bucket: a top-level directory of the namespace, and the policy its data follows. */
public record BucketInfo(String name, long inode, long createdMillis, BucketPolicy policy) {
    public BucketInfo(String name, long inode, long createdMillis, StorageClass defaultClass) {
        this(name, inode, createdMillis, BucketPolicy.of(defaultClass));
    }

    public StorageClass defaultClass() {
        return policy.defaultClass();
    }
}
