package io.mooseng.fuse;

import io.mooseng.fuse.kernel.Errno;
import io.mooseng.fuse.kernel.FuseException;
import io.mooseng.core.model.ObjectKey;

import java.util.Comparator;
import java.util.Objects;

/**
 * A mount path read as (bucket, key): "/" is the list of buckets, "/b" a bucket's root and
 * "/b/x/y" key "x/y" of bucket b. A mount of one bucket has no bucket level. Equal by bucket
 * and key. A path keeps its parent once asked: every operation looks up its directories
 * (caches, leases) over and over.
 */
final class FusePath {
    /** By bucket, then key: a directory's subtree is the range [{@link #subtreeStart}, {@link #subtreeEnd}). */
    static final Comparator<FusePath> ORDER = FusePath::compare;

    private final String bucket;
    private final String key;
    /** Made at most a few times when threads race: a path is immutable, any copy will do. */
    private FusePath parent;

    /**
     * @param bucket null for the root of a mount of all buckets
     * @param key    "" for a bucket's root
     */
    FusePath(String bucket, String key) {
        this.bucket = bucket;
        this.key = Objects.requireNonNull(key);
    }

    String bucket() {
        return bucket;
    }

    String key() {
        return key;
    }

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
        FusePath p = parent;
        if (p == null) {
            int slash = key.lastIndexOf('/');
            p = slash < 0 ? new FusePath(key.isEmpty() ? null : bucket, "") : new FusePath(bucket, key.substring(0, slash));
            parent = p;
        }
        return p;
    }

    /** The entry {@code name} of this directory: a bucket's root for the root of a mount of all buckets. */
    FusePath child(String name) {
        return bucket == null ? new FusePath(name, "") : new FusePath(bucket, key.isEmpty() ? name : key + "/" + name);
    }

    /** {@link #child} for a name from the kernel: too long a name or path is ENAMETOOLONG. */
    FusePath checkedChild(String name) {
        if (bucket == null) {
            FusePath p = child(name);
            p.checkLengths();
            return p;
        }
        // this path is checked already: only the new segment and the sum can be too long
        checkSegment(name);
        FusePath p = child(name);
        checkPath(p.key);
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

    /** Bucket first (the root's null before every bucket), then key; the skip lists of the mount's caches compare often. */
    private static int compare(FusePath a, FusePath b) {
        if (a.bucket != b.bucket) {
            if (a.bucket == null) {
                return -1;
            }
            if (b.bucket == null) {
                return 1;
            }
            int c = a.bucket.compareTo(b.bucket);
            if (c != 0) {
                return c;
            }
        }
        return a.key.compareTo(b.key);
    }

    private void checkLengths() {
        for (String segment : key.split("/")) {
            checkSegment(segment);
        }
        checkPath(key);
    }

    private static void checkSegment(String name) {
        if (ObjectKey.utf8Length(name) > ObjectKey.MAX_SEGMENT_BYTES) {
            throw new FuseException(Errno.ENAMETOOLONG, "name longer than " + ObjectKey.MAX_SEGMENT_BYTES + " bytes");
        }
    }

    private static void checkPath(String key) {
        // one byte left for a directory's marker "/"
        if (ObjectKey.utf8Length(key) + 1 > ObjectKey.MAX_PATH_BYTES) {
            throw new FuseException(Errno.ENAMETOOLONG, "path longer than " + (ObjectKey.MAX_PATH_BYTES - 1) + " bytes in its bucket");
        }
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof FusePath p && key.equals(p.key) && Objects.equals(bucket, p.bucket);
    }

    @Override
    public int hashCode() {
        return 31 * Objects.hashCode(bucket) + key.hashCode();
    }

    @Override
    public String toString() {
        return "/" + (bucket == null ? "" : bucket + (key.isEmpty() ? "" : "/" + key));
    }
}
