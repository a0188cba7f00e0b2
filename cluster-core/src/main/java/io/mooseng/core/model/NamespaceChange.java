package io.mooseng.core.model;

/**
 * One change of the namespace as clients that cache it must see it, at the log index that
 * made it.
 *
 * @param key   the changed name (a directory as its marker "dir/"; "" for a bucket's root);
 *              null for {@link Kind#INODE} and {@link Kind#BUCKET}
 * @param inode the changed inode for {@link Kind#INODE}, else 0
 */
public record NamespaceChange(long index, Kind kind, String bucket, String key, long inode) {
    public enum Kind {
        /** The name now holds another file, or none, or its file changed. */
        NAME,
        /** A name and everything under it moved (a rename): its old and new subtrees. */
        TREE,
        /** An inode's content or attributes changed, under whatever names it has. */
        INODE,
        /** Something in the bucket changed that has no one name (a restore from the trash). */
        BUCKET
    }
}
