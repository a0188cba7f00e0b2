package io.mooseng.core.model;

/**
 * A directory leased to one client, and with it everything under it.
 *
 * @param bucket the bucket
 * @param dir    the directory's path in it, without a trailing "/"; "" for the bucket's root
 */
public record LeasedDirectory(String bucket, String dir) {
    /** Whether {@code path} (a key without trailing "/", "" for the root) is this directory or lies under it. */
    public boolean covers(String path) {
        return dir.isEmpty() || path.equals(dir) || path.startsWith(dir) && path.length() > dir.length() && path.charAt(dir.length()) == '/';
    }

    /** Whether one of the two lies under the other (or they are the same): a change to one reaches the other. */
    public boolean related(String path) {
        return covers(path) || new LeasedDirectory(bucket, path).covers(dir);
    }
}
