package io.mooseng.fuse;

import java.util.List;

/**
 * Which IAM actions a FUSE operation needs, on the bucket or key its path names: a top-level
 * directory is a bucket, a file its key, a directory its marker key ({@code dir/}) and, for a
 * listing, its prefix. The actions are S3's for the same change made over S3 (README, "Mount
 * authentication"), so one policy means the same at every front door.
 */
final class MountActions {
    static final String LIST_ALL_MY_BUCKETS = "s3:ListAllMyBuckets";
    static final String LIST_BUCKET = "s3:ListBucket";
    static final String GET_OBJECT = "s3:GetObject";
    static final String PUT_OBJECT = "s3:PutObject";
    static final String DELETE_OBJECT = "s3:DeleteObject";
    static final String CREATE_BUCKET = "s3:CreateBucket";
    static final String DELETE_BUCKET = "s3:DeleteBucket";

    /**
     * One action on a bucket (key null), an object, or the service (bucket null).
     *
     * @param prefix the listed prefix ({@code s3:prefix}) of a ListBucket, else null
     */
    record Check(String action, String bucket, String key, String prefix) {
        static Check on(String action, String bucket, String key) {
            return new Check(action, bucket, key, null);
        }
    }

    private MountActions() {
    }

    /** Listing a directory (readdir, opendir): the buckets at the mount's root, else the directory's prefix. */
    static List<Check> list(FusePath dir) {
        if (dir.isRoot()) {
            return List.of(Check.on(LIST_ALL_MY_BUCKETS, null, null));
        }
        return List.of(new Check(LIST_BUCKET, dir.bucket(), null, dir.key().isEmpty() ? "" : dir.markerKey()));
    }

    /**
     * Seeing an entry (lookup, getattr): a listing of the directory holding it, as over S3
     * (HEAD of a bucket is s3:ListBucket too). The mount's root needs nothing but a usable key.
     */
    static List<Check> see(FusePath p) {
        if (p.isRoot()) {
            return List.of();
        }
        return p.isBucketRoot() ? List.of(new Check(LIST_BUCKET, p.bucket(), null, "")) : list(p.parent());
    }

    /** Reading a file's content, link target or attributes kept as object metadata (read, readlink, getxattr). */
    static List<Check> read(FusePath p, boolean directory) {
        return List.of(Check.on(GET_OBJECT, p.bucket(), key(p, directory)));
    }

    /** Opening a file: reading needs s3:GetObject, writing (or O_TRUNC) s3:PutObject, O_RDWR both. */
    static List<Check> open(FusePath p, boolean reads, boolean writes) {
        if (reads && writes) {
            return List.of(Check.on(GET_OBJECT, p.bucket(), p.key()), Check.on(PUT_OBJECT, p.bucket(), p.key()));
        }
        return List.of(Check.on(writes ? PUT_OBJECT : GET_OBJECT, p.bucket(), p.key()));
    }

    /** Writing a file or changing an entry's attributes (write, truncate, chmod, chown, utimens, setxattr, removexattr). */
    static List<Check> write(FusePath p, boolean directory) {
        return List.of(Check.on(PUT_OBJECT, p.bucket(), key(p, directory)));
    }

    /** Making a name (create, mknod, symlink, mkdir): a bucket at the mount's root. */
    static List<Check> create(FusePath p, boolean directory) {
        return p.isBucketRoot() ? List.of(Check.on(CREATE_BUCKET, p.bucket(), null)) : write(p, directory);
    }

    /** Removing a name (unlink, rmdir): a bucket at the mount's root. */
    static List<Check> remove(FusePath p, boolean directory) {
        return p.isBucketRoot() ? List.of(Check.on(DELETE_BUCKET, p.bucket(), null))
                : List.of(Check.on(DELETE_OBJECT, p.bucket(), key(p, directory)));
    }

    /** A rename reads and deletes its source and writes its target, as a copy and a delete over S3 would. */
    static List<Check> rename(FusePath from, FusePath to, boolean directory) {
        return List.of(Check.on(GET_OBJECT, from.bucket(), key(from, directory)), Check.on(DELETE_OBJECT, from.bucket(), key(from, directory)),
                Check.on(PUT_OBJECT, to.bucket(), key(to, directory)));
    }

    /** A hard link reads its file and writes the new name. */
    static List<Check> link(FusePath file, FusePath to) {
        return List.of(Check.on(GET_OBJECT, file.bucket(), file.key()), Check.on(PUT_OBJECT, to.bucket(), to.key()));
    }

    /** Operations that name nothing (statfs, fsyncdir): only a usable key. */
    static List<Check> none() {
        return List.of();
    }

    /** The object a path names; a bucket's root directory is the bucket itself. */
    private static String key(FusePath p, boolean directory) {
        return p.isBucketRoot() ? null : directory ? p.markerKey() : p.key();
    }
}
