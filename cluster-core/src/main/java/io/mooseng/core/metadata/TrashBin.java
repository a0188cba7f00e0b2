package io.mooseng.core.metadata;

import io.mooseng.core.model.TrashEntry;
import io.mooseng.core.model.ObjectInfo;

import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * Deleted objects kept for the bucket's trash retention.
 * Non-blocking and linearizable: see {@link MetadataService} for the contract.
 */
public interface TrashBin {
    /** The bucket's trash, in deletion order. */
    CompletableFuture<List<TrashEntry>> listTrash(String bucket);

    /** A trash entry's version as kept (key, inode, manifest); fails with NO_SUCH_KEY if there is none. */
    CompletableFuture<ObjectInfo> trashedObject(String bucket, long inode);

    /** Puts a trash entry back at its key; fails with KEY_CONFLICT if the key is taken. */
    CompletableFuture<ObjectInfo> restoreTrash(String bucket, long inode);

    /** Drops a trash entry; @return its version, whose blocks the caller may now free. */
    CompletableFuture<ObjectInfo> purgeTrash(String bucket, long inode);
}
