package io.mooseng.core.model;

/** An object as found in the namespace: where it is and what it holds. */
public record ObjectInfo(String bucket, String key, long inode, ObjectManifest manifest) {
    public long size() {
        return manifest.size();
    }

    public String etag() {
        return manifest.etag();
    }

    public long mtimeMillis() {
        return manifest.mtimeMillis();
    }
}
