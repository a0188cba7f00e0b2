package io.mooseng.core.metadata;

import io.mooseng.core.model.BlockRef;
import io.mooseng.core.model.InodeUpdate;
import io.mooseng.core.model.NamespaceChanges;
import io.mooseng.core.model.NamespaceEntry;
import io.mooseng.core.model.ObjectInfo;
import io.mooseng.core.model.ObjectKey;
import io.mooseng.core.model.ObjectManifest;
import io.mooseng.core.model.RenameMode;

import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * The mount's operations: entries by name, inodes by id.
 * Non-blocking and linearizable: see {@link MetadataService} for the contract.
 */
public interface PosixNamespace {
    /**
     * The file, symlink or directory at {@code path} (never a marker key; null: the bucket's root
     * directory); fails with NO_SUCH_KEY. A directory's entry counts the directories it holds.
     */
    CompletableFuture<NamespaceEntry> lookup(String bucket, ObjectKey path);

    /**
     * Up to {@code limit} entries of directory {@code dir} (null: the bucket's root) in listing
     * order, after {@code after}: the last entry of the previous page as its sort name (the
     * name, with "/" appended for a directory), or null for the first page.
     */
    CompletableFuture<List<NamespaceEntry>> readDirectory(String bucket, ObjectKey dir, String after, int limit);

    /**
     * Creates a file, or a directory for a marker key, only if the name is free; else
     * ALREADY_EXISTS. {@code inode} is an id this client reserved ({@link DirectoryLeases#reserveInodes}),
     * or 0 for a new one.
     */
    CompletableFuture<ObjectInfo> createEntry(String bucket, ObjectKey key, ObjectManifest manifest, long inode);

    /**
     * Changes an inode's content or attributes wherever it is linked; NO_SUCH_KEY once it is gone.
     *
     * @param key the name the caller reached the inode by, which multisite sync replicates the
     *            change under; null when unknown (the change then stays in this zone)
     */
    CompletableFuture<InodeUpdated> updateInode(String bucket, long inode, InodeUpdate update, String key);

    default CompletableFuture<InodeUpdated> updateInode(String bucket, long inode, InodeUpdate update) {
        return updateInode(bucket, inode, update, null);
    }

    /**
     * Atomically moves a file or a whole directory within a bucket; {@code mode} says what
     * happens to an existing target (replaced as rename(2) does, refused, or exchanged).
     *
     * @return the replaced file if its blocks may be freed now
     */
    CompletableFuture<Optional<ObjectInfo>> rename(String bucket, ObjectKey from, ObjectKey to, RenameMode mode, long changedMillis);

    /** A hard link: a second name for a file's inode; the inode's ctime and the directory's times move to {@code changedMillis}. */
    CompletableFuture<NamespaceEntry> link(String bucket, ObjectKey existing, ObjectKey newKey, long changedMillis);

    /**
     * unlink(2) of a file ({@code directory} false) or rmdir(2) of an empty directory. The
     * parent directory stays even when it was only implied by keys. A file's last name goes
     * to the trash unless the bucket's retention is 0.
     *
     * @return the removed file if its blocks may be freed now
     */
    CompletableFuture<Optional<ObjectInfo>> unlink(String bucket, ObjectKey key, boolean directory, long deletedMillis);

    /**
     * The namespace's changes after log index {@code after} (about {@code limit} at most), as
     * the leader keeps them in memory: what a client caching the namespace must forget. Start
     * with -1; ask again after the answer's {@link NamespaceChanges#last()}; an answer that
     * {@link NamespaceChanges#missed missed} changes means: forget everything.
     */
    CompletableFuture<NamespaceChanges> changesSince(long after, int limit);

    /** Outcome of an inode update: the inode now, and the blocks of content it replaced (to free). */
    record InodeUpdated(ObjectManifest manifest, List<BlockRef> freed) {
        public InodeUpdated {
            freed = List.copyOf(freed);
        }
    }
}
