package io.mooseng.fuse;

import io.mooseng.fuse.kernel.Errno;
import io.mooseng.fuse.kernel.FuseException;
import io.mooseng.core.model.ObjectKey;

import java.nio.charset.StandardCharsets;
import java.util.Comparator;

/**
 * A mount path read as (bucket, key): "/" is the list of buckets, "/b" a bucket's root and
 * "/b/x/y" key "x/y" of bucket b. A mount of one bucket has no bucket level.
 *
 * @param bucket null for the root of a mount of all buckets
 * @param key    "" for a bucket's root
 */
record FusePath(String bucket, String key) {
    /** By bucket, then key: a directory's subtree is the range [{@link #subtreeStart}, {@link #subtreeEnd}). */
    static final Comparator<FusePath> ORDER = Comparator.comparing(FusePath::bucket, Comparator.nullsFirst(Comparator.naturalOrder()))
            .thenComparing(FusePath::key);

    static FusePath parse(String path, String onlyBucket) {
        String rest = path.startsWith("/") ? path.substring(1) : path;
        if (rest.endsWith("/")) {
            rest = rest.substring(0, rest.length() - 1);
        }
        FusePath p;
        if (onlyBucket != null) {
            p = new FusePath(onlyBucket, rest);
        } else if (rest.isEmpty()) {
            p = new FusePath(null, "");
        } else {
            int slash = rest.indexOf('/');
            p = slash < 0 ? new FusePath(rest, "") : new FusePath(rest.substring(0, slash), rest.substring(slash + 1));
        }
        p.checkLengths();
        return p;
    }

    boolean isRoot() {
        return bucket == null;
    }

    boolean isBucketRoot() {
        return bucket != null && key.isEmpty();
    }

    /** The last segment (the bucket's name for a bucket root). */
    String name() {
        int slash = key.lastIndexOf('/');
        return key.isEmpty() ? bucket : key.substring(slash + 1);
    }

    /** The directory holding this entry. */
    FusePath parent() {
        int slash = key.lastIndexOf('/');
        return slash < 0 ? new FusePath(key.isEmpty() ? null : bucket, "") : new FusePath(bucket, key.substring(0, slash));
    }

    /** The entry {@code name} of this directory: a bucket's root for the root of a mount of all buckets. */
    FusePath child(String name) {
        return bucket == null ? new FusePath(name, "") : new FusePath(bucket, key.isEmpty() ? name : key + "/" + name);
    }

    /** {@link #child} for a name from the kernel: too long a name or path is ENAMETOOLONG. */
    FusePath checkedChild(String name) {
        FusePath p = child(name);
        p.checkLengths();
        return p;
    }

    /** This path with {@code from} (itself or a directory above it) replaced by {@code to}. */
    FusePath moved(FusePath from, FusePath to) {
        return equals(from) ? to : new FusePath(to.bucket, to.key + key.substring(from.key.length()));
    }

    /** The key as a directory marker ("x/y/"). */
    String markerKey() {
        return key + "/";
    }

    /** The first path under this directory (not the root) in {@link #ORDER}. */
    FusePath subtreeStart() {
        return new FusePath(bucket, key.isEmpty() ? "" : key + "/");
    }

    /** Just past the last path under this directory in {@link #ORDER} ('0' follows '/'). */
    FusePath subtreeEnd() {
        return key.isEmpty() ? new FusePath(bucket + "\0", "") : new FusePath(bucket, key + "0");
    }

    boolean isUnder(FusePath dir) {
        return dir.bucket != null && dir.bucket.equals(bucket) && (dir.key.isEmpty() || key.startsWith(dir.key + "/"));
    }

    private void checkLengths() {
        for (String segment : key.split("/")) {
            if (segment.getBytes(StandardCharsets.UTF_8).length > ObjectKey.MAX_SEGMENT_BYTES) {
                throw new FuseException(Errno.ENAMETOOLONG, "name longer than " + ObjectKey.MAX_SEGMENT_BYTES + " bytes");
            }
        }
        // one byte left for a directory's marker "/"
        if (key.getBytes(StandardCharsets.UTF_8).length + 1 > ObjectKey.MAX_PATH_BYTES) {
            throw new FuseException(Errno.ENAMETOOLONG, "path longer than " + (ObjectKey.MAX_PATH_BYTES - 1) + " bytes in its bucket");
        }
    }

    @Override
    public String toString() {
        return "/" + (bucket == null ? "" : bucket + (key.isEmpty() ? "" : "/" + key));
    }
}
