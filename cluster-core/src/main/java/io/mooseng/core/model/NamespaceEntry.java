package io.mooseng.core.model;

/**
 * A name in a directory as the mount sees it: a file (or symlink) with its manifest, or a
 * directory, whose manifest is its marker's when it is explicit and null when it only exists
 * for its children.
 *
 * @param subdirectories for a directory, how many directories it holds (0 for a file)
 */
public record NamespaceEntry(String name, long inode, boolean directory, ObjectManifest manifest, int subdirectories) {

    /** An entry that holds no directory: a file, or a directory known to be empty. */
    public NamespaceEntry(String name, long inode, boolean directory, ObjectManifest manifest) {
        this(name, inode, directory, manifest, 0);
    }

    /** The entry's POSIX attributes, defaults for objects and directories made over S3. */
    public PosixAttributes posix() {
        if (manifest != null && manifest.posix() != null) {
            return manifest.posix();
        }
        long time = manifest == null ? 0 : manifest.mtimeMillis();
        return directory ? PosixAttributes.defaultDirectory(time) : PosixAttributes.defaultFile(time);
    }

    /** stat(2)'s link count: a file's names; a directory's 2 (its name and its ".") + each subdirectory's "..". */
    public int links() {
        return directory ? 2 + subdirectories : posix().nlink();
    }

    /** This entry under another name or with another manifest, its subdirectories kept. */
    public NamespaceEntry with(String newName, ObjectManifest newManifest) {
        return new NamespaceEntry(newName, inode, directory, newManifest, subdirectories);
    }

    /** This directory with {@code delta} more subdirectories (a change this client made). */
    public NamespaceEntry withSubdirectories(int delta) {
        return delta == 0 ? this : new NamespaceEntry(name, inode, directory, manifest, Math.max(0, subdirectories + delta));
    }

    public long size() {
        return manifest == null || directory ? 0 : manifest.size();
    }

    public long mtimeMillis() {
        return manifest == null ? 0 : manifest.mtimeMillis();
    }
}
