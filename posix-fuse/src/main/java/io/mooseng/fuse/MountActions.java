package io.mooseng.fuse;

import io.mooseng.core.model.TwinName;

import java.util.ArrayList;
import java.util.List;

/**
 * Which IAM actions a FUSE operation needs, on the bucket or key its path names: a top-level
 * directory is a bucket, a file its key, a directory its marker key ({@code dir/}) and, for a
 * listing, its prefix. The actions are S3's for the same change made over S3 (README, "Mount
 * authentication"), so one policy means the same at every front door. A file's name of the
 * twin form ({@link TwinName}) may stand for the object beside a directory of its name: such
 * a name needs the action on both keys, so no policy on a key can be passed by its twin name.
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
        return on(GET_OBJECT, p, directory);
    }

    /** Opening a file: reading needs s3:GetObject, writing (or O_TRUNC) s3:PutObject, O_RDWR both. */
    static List<Check> open(FusePath p, boolean reads, boolean writes) {
        if (reads && writes) {
            return all(on(GET_OBJECT, p, false), on(PUT_OBJECT, p, false));
        }
        return on(writes ? PUT_OBJECT : GET_OBJECT, p, false);
    }

    /** Writing a file or changing an entry's attributes (write, truncate, chmod, chown, utimens, setxattr, removexattr). */
    static List<Check> write(FusePath p, boolean directory) {
        return on(PUT_OBJECT, p, directory);
    }

    /** Making a name (create, mknod, symlink, mkdir): a bucket at the mount's root. */
    static List<Check> create(FusePath p, boolean directory) {
        return p.isBucketRoot() ? List.of(Check.on(CREATE_BUCKET, p.bucket(), null)) : write(p, directory);
    }

    /** Removing a name (unlink, rmdir): a bucket at the mount's root. */
    static List<Check> remove(FusePath p, boolean directory) {
        return p.isBucketRoot() ? List.of(Check.on(DELETE_BUCKET, p.bucket(), null))
                : on(DELETE_OBJECT, p, directory);
    }

    /** A rename reads and deletes its source and writes its target, as a copy and a delete over S3 would. */
    static List<Check> rename(FusePath from, FusePath to, boolean directory) {
        return all(on(GET_OBJECT, from, directory), on(DELETE_OBJECT, from, directory), on(PUT_OBJECT, to, directory));
    }

    /** A hard link reads its file and writes the new name. */
    static List<Check> link(FusePath file, FusePath to) {
        return all(on(GET_OBJECT, file, false), on(PUT_OBJECT, to, false));
    }

    /** Operations that name nothing (statfs, fsyncdir): only a usable key. */
    static List<Check> none() {
        return List.of();
    }

    /** {@code action} on what a path names; a twin-form file name also on the key of the object it may stand for. */
    private static List<Check> on(String action, FusePath p, boolean directory) {
        String object = directory || p.isBucketRoot() ? null : TwinName.objectName(p.name());
        Check own = Check.on(action, p.bucket(), key(p, directory));
        return object == null ? List.of(own) : List.of(own, Check.on(action, p.bucket(), p.parent().child(object).key()));
    }

    @SafeVarargs
    private static List<Check> all(List<Check>... parts) {
        List<Check> out = new ArrayList<>();
        for (List<Check> part : parts) {
            out.addAll(part);
        }
        return List.copyOf(out);
    }

    /** The object a path names; a bucket's root directory is the bucket itself. */
    private static String key(FusePath p, boolean directory) {
        return p.isBucketRoot() ? null : directory ? p.markerKey() : p.key();
    }
}
