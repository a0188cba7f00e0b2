package io.mooseng.core.model;

/**
 * A name in a directory as the mount sees it: a file (or symlink) with its manifest, or a
 * directory, whose manifest is its marker's when it is explicit and null when it only exists
 * for its children.
 */
public record NamespaceEntry(String name, long inode, boolean directory, ObjectManifest manifest) {

    /** The entry's POSIX attributes, defaults for objects and directories made over S3. */
    public PosixAttributes posix() {
        if (manifest != null && manifest.posix() != null) {
            return manifest.posix();
        }
        long time = manifest == null ? 0 : manifest.mtimeMillis();
        return directory ? PosixAttributes.defaultDirectory(time) : PosixAttributes.defaultFile(time);
    }

    public long size() {
        return manifest == null || directory ? 0 : manifest.size();
    }

    public long mtimeMillis() {
        return manifest == null ? 0 : manifest.mtimeMillis();
    }
}
