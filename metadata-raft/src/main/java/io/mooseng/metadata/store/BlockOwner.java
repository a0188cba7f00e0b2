package io.mooseng.metadata.store;

/** Whose manifest a block belongs to: a file inode (live or in the trash) or an upload part. */
sealed interface BlockOwner {
    record Inode(long inode) implements BlockOwner {
    }

    /** @param partKey the part's key in the parts table */
    record Part(byte[] partKey) implements BlockOwner {
    }
}
