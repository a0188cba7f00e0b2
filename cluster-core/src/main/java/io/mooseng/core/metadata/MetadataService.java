package io.mooseng.core.metadata;

import io.mooseng.core.model.BlockId;
import io.mooseng.core.model.BlockRef;
import io.mooseng.core.model.InodeUpdate;
import io.mooseng.core.model.NamespaceEntry;
import io.mooseng.core.model.BucketInfo;
import io.mooseng.core.model.BucketPolicy;
import io.mooseng.core.model.MaintenanceReport;
import io.mooseng.core.model.ShardMove;
import io.mooseng.core.model.TrashEntry;
import io.mooseng.core.model.ChunkserverInfo;
import io.mooseng.core.model.GatewayInfo;
import io.mooseng.core.model.CompletedPart;
import io.mooseng.core.model.ListPage;
import io.mooseng.core.model.ListRequest;
import io.mooseng.core.model.MultipartUpload;
import io.mooseng.core.model.ObjectInfo;
import io.mooseng.core.model.ObjectKey;
import io.mooseng.core.model.ObjectManifest;
import io.mooseng.core.model.ObjectProperties;
import io.mooseng.core.model.PartInfo;
import io.mooseng.core.model.StorageClass;

import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * The namespace: buckets, the tree of directories and objects under each, uploads in
 * progress, and the chunkserver registry.
 *
 * <p>Contract: every method is non-blocking and may be called from any thread,
 * including event loops; futures may complete on any thread. Failures complete the
 * future with a {@link io.mooseng.core.error.MooseException}. A completed mutation is
 * durable (committed to the replicated log) and visible to every later read from
 * any client (linearizable). Keys arrive already validated by {@link ObjectKey#parse}.
 */
public interface MetadataService extends AutoCloseable {

    CompletableFuture<BucketInfo> createBucket(String name, StorageClass defaultClass, long createdMillis);

    /** Fails with BUCKET_NOT_EMPTY unless the bucket holds no object, directory or upload. */
    CompletableFuture<Void> deleteBucket(String name);

    CompletableFuture<BucketInfo> getBucket(String name);

    /** Buckets in name order. */
    CompletableFuture<List<BucketInfo>> listBuckets();

    /**
     * Creates or replaces the object at {@code key}, creating missing parent directories.
     * A directory marker key creates an explicit (listed) empty directory. Fails with
     * KEY_CONFLICT if a parent is an object or the key is an existing non-empty directory.
     *
     * @return the stored object, and the version it replaced, whose blocks the caller may now free
     */
    CompletableFuture<StoredObject> putObject(String bucket, ObjectKey key, ObjectManifest manifest);

    /** Fails with NO_SUCH_KEY; a directory marker key finds explicit directories only. */
    CompletableFuture<ObjectInfo> getObject(String bucket, ObjectKey key);

    /**
     * Removes the object (or empty directory marker) and then every parent directory that
     * became empty and was only implied by keys. Deleting a missing key succeeds. The object
     * goes to its bucket's trash unless the bucket's trash retention is 0.
     *
     * @return the removed version if its blocks may be freed now (empty when trashed or absent)
     */
    CompletableFuture<Optional<ObjectInfo>> deleteObject(String bucket, ObjectKey key);

    CompletableFuture<ListPage> listObjects(String bucket, ListRequest request);

    CompletableFuture<MultipartUpload> createMultipartUpload(String bucket, ObjectKey key, ObjectProperties properties,
                                                             StorageClass storageClass, long initiatedMillis);

    CompletableFuture<MultipartUpload> getMultipartUpload(String bucket, ObjectKey key, String uploadId);

    /** Records a part; @return the part it replaced (same number), whose blocks the caller may free. */
    CompletableFuture<Optional<PartInfo>> putPart(String bucket, ObjectKey key, String uploadId, PartInfo part);

    /** Parts in number order. */
    CompletableFuture<List<PartInfo>> listParts(String bucket, ObjectKey key, String uploadId);

    /**
     * Builds the object from the named parts (ascending numbers, matching ETags, every
     * part but the last at least {@code minPartSize} bytes) and ends the upload.
     *
     * @return the new object, the version it replaced and the parts not used (to free)
     */
    CompletableFuture<CompletedUpload> completeMultipartUpload(String bucket, ObjectKey key, String uploadId,
                                                               List<CompletedPart> parts, long minPartSize, long mtimeMillis);

    /** Ends the upload; @return its parts, whose blocks the caller may free. */
    CompletableFuture<List<PartInfo>> abortMultipartUpload(String bucket, ObjectKey key, String uploadId);

    /** Uploads in progress in a bucket, by key then initiation time. */
    CompletableFuture<List<MultipartUpload>> listMultipartUploads(String bucket, String prefix);

    CompletableFuture<Void> registerChunkserver(ChunkserverInfo info);

    CompletableFuture<List<ChunkserverInfo>> listChunkservers();

    /** Registers a gateway or refreshes its heartbeat. */
    CompletableFuture<Void> registerGateway(GatewayInfo info);

    /** Gateways in id order. */
    CompletableFuture<List<GatewayInfo>> listGateways();

    /** Replaces the bucket's policy (classes, trash retention, cold conversion). */
    CompletableFuture<BucketInfo> setBucketPolicy(String bucket, BucketPolicy policy);

    /**
     * Puts a new manifest (e.g. re-coded blocks) on version {@code inode} of an object. Fails
     * with CONCURRENT_CHANGE if the key no longer holds that version.
     *
     * @return the version as it was, whose blocks the caller may now free
     */
    CompletableFuture<ObjectInfo> replaceManifest(String bucket, ObjectKey key, long inode, ObjectManifest manifest);

    /** Up to {@code limit} blocks of all objects, parts and trash entries after {@code after} (null: from the start), in id order. */
    CompletableFuture<List<BlockRef>> scanBlocks(BlockId after, int limit);

    /**
     * Records that shards of a block moved. Fails with NO_SUCH_BLOCK if the block is gone and
     * CONCURRENT_CHANGE if a shard is not where a move says it comes from.
     */
    CompletableFuture<Void> moveShards(BlockId block, List<ShardMove> moves);

    /** The bucket's trash, in deletion order. */
    CompletableFuture<List<TrashEntry>> listTrash(String bucket);

    /** Puts a trash entry back at its key; fails with KEY_CONFLICT if the key is taken. */
    CompletableFuture<ObjectInfo> restoreTrash(String bucket, long inode);

    /** Drops a trash entry; @return its version, whose blocks the caller may now free. */
    CompletableFuture<ObjectInfo> purgeTrash(String bucket, long inode);

    /** Publishes the maintenance service's latest report. */
    CompletableFuture<Void> reportMaintenance(MaintenanceReport report);

    CompletableFuture<Optional<MaintenanceReport>> maintenance();

    // ---- the mount's operations: entries by name, inodes by id

    /** The file, symlink or directory at {@code path} (never a marker key); fails with NO_SUCH_KEY. */
    CompletableFuture<NamespaceEntry> lookup(String bucket, ObjectKey path);

    /**
     * Up to {@code limit} entries of directory {@code dir} (null: the bucket's root) in listing
     * order, after {@code after}: the last entry of the previous page as its sort name (the
     * name, with "/" appended for a directory), or null for the first page.
     */
    CompletableFuture<List<NamespaceEntry>> readDirectory(String bucket, ObjectKey dir, String after, int limit);

    /** Creates a file, or a directory for a marker key, only if the name is free; else ALREADY_EXISTS. */
    CompletableFuture<ObjectInfo> createEntry(String bucket, ObjectKey key, ObjectManifest manifest);

    /** Changes an inode's content or attributes wherever it is linked; NO_SUCH_KEY once it is gone. */
    CompletableFuture<InodeUpdated> updateInode(String bucket, long inode, InodeUpdate update);

    /**
     * Atomically moves a file or a whole directory within a bucket, replacing the target as
     * rename(2) does.
     *
     * @return the replaced file if its blocks may be freed now
     */
    CompletableFuture<Optional<ObjectInfo>> rename(String bucket, ObjectKey from, ObjectKey to, long changedMillis);

    /** A hard link: a second name for a file's inode. */
    CompletableFuture<NamespaceEntry> link(String bucket, ObjectKey existing, ObjectKey newKey);

    /**
     * unlink(2) of a file ({@code directory} false) or rmdir(2) of an empty directory. The
     * parent directory stays even when it was only implied by keys. A file's last name goes
     * to the trash unless the bucket's retention is 0.
     *
     * @return the removed file if its blocks may be freed now
     */
    CompletableFuture<Optional<ObjectInfo>> unlink(String bucket, ObjectKey key, boolean directory, long deletedMillis);

    /** Outcome of an inode update: the inode now, and the blocks of content it replaced (to free). */
    record InodeUpdated(ObjectManifest manifest, List<BlockRef> freed) {
        public InodeUpdated {
            freed = List.copyOf(freed);
        }
    }

    /** Outcome of a put: the new version and the one it replaced. */
    record StoredObject(ObjectInfo object, Optional<ObjectInfo> replaced) {
    }

    /** Outcome of completing a multipart upload. */
    record CompletedUpload(ObjectInfo object, Optional<ObjectInfo> replaced, List<PartInfo> unusedParts) {
    }
}
