package io.mooseng.core.model;

/**
 * A deleted object kept restorable in its bucket's trash.
 *
 * @param inode  identifies the entry (a key may have been deleted several times)
 */
public record TrashEntry(String bucket, String key, long inode, long deletedMillis, long size, String etag) {
}
