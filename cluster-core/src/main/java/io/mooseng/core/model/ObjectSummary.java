package io.mooseng.core.model;

/** One key in a listing. A directory marker has a key ending in '/' and size 0. */
public record ObjectSummary(String key, long size, String etag, long mtimeMillis, StorageClass storageClass) {
}
