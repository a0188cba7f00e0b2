package io.mooseng.fuse.kernel;

/** Where a READDIR or READDIRPLUS puts its entries, until the kernel's buffer is full. */
public interface DirectoryFill {
    /** READDIRPLUS: each added entry with a nodeid counts one lookup ("." and ".." excepted). */
    boolean plus();

    /**
     * Adds one entry; for a plain READDIR only the attributes' ino and mode are used.
     *
     * @param nextOffset the offset the kernel passes to continue after this entry
     * @return false if the reply is full: the entry is not in it (and counts no lookup)
     */
    boolean add(String name, Entry entry, long nextOffset);
}
