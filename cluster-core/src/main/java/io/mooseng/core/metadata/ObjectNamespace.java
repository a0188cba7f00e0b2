package io.mooseng.core.metadata;

import io.mooseng.core.model.CompletedPart;
import io.mooseng.core.model.ListPage;
import io.mooseng.core.model.ListRequest;
import io.mooseng.core.model.MultipartUpload;
import io.mooseng.core.model.ObjectEncryption;
import io.mooseng.core.model.ObjectInfo;
import io.mooseng.core.model.ObjectLock;
import io.mooseng.core.model.ObjectKey;
import io.mooseng.core.model.ObjectManifest;
import io.mooseng.core.model.UploadChecksum;
import io.mooseng.core.model.ObjectProperties;
import io.mooseng.core.model.PartInfo;
import io.mooseng.core.model.ObjectVersion;
import io.mooseng.core.model.StorageClass;
import io.mooseng.core.model.VersionDeleted;
import io.mooseng.core.model.VersionListPage;
import io.mooseng.core.model.VersionListRequest;
import io.mooseng.core.model.WriteCondition;

import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * Objects by key, as S3 sees them: puts, reads, deletes, listings and multipart uploads.
 * Non-blocking and linearizable: see {@link MetadataService} for the contract.
 */
public interface ObjectNamespace {
    /**
     * Creates or replaces the object at {@code key}, creating missing parent directories.
     * A directory marker key creates an explicit (listed) empty directory. As in S3, an object
     * and keys under its name ({@code a/b}, {@code a/b/...}) coexist.
     *
     * With a {@code condition}, fails as {@link WriteCondition#check} says unless the key's
     * current object meets it.
     *
     * @param condition null for none
     * @return the stored object, and the version it replaced, whose blocks the caller may now free
     */
    CompletableFuture<StoredObject> putObject(String bucket, ObjectKey key, ObjectManifest manifest, WriteCondition condition);

    default CompletableFuture<StoredObject> putObject(String bucket, ObjectKey key, ObjectManifest manifest) {
        return putObject(bucket, key, manifest, null);
    }

    /** Fails with NO_SUCH_KEY; a directory marker key finds explicit directories only. */
    CompletableFuture<ObjectInfo> getObject(String bucket, ObjectKey key);

    /**
     * Removes the object (or empty directory marker) and then every parent directory that
     * became empty and was only implied by keys. Deleting a missing key succeeds. The object
     * goes to its bucket's trash unless the bucket's trash retention is 0.
     *
     * @param condition null for none; see {@link #putObject}
     * @return the removed version if its blocks may be freed now (empty when trashed or absent)
     */
    CompletableFuture<Optional<ObjectInfo>> deleteObject(String bucket, ObjectKey key, WriteCondition condition);

    default CompletableFuture<Optional<ObjectInfo>> deleteObject(String bucket, ObjectKey key) {
        return deleteObject(bucket, key, null);
    }

    CompletableFuture<ListPage> listObjects(String bucket, ListRequest request);

    /**
     * A version of a key: by its id ({@link io.mooseng.core.model.VersionIds}, "null" for the null version), or
     * with {@code versionId} null the newest (which may be a delete marker). Fails with NO_SUCH_VERSION for an id
     * the key has no version of, NO_SUCH_KEY when the key has no version at all, INVALID_ARGUMENT for a malformed id.
     */
    CompletableFuture<ObjectVersion> getObjectVersion(String bucket, ObjectKey key, String versionId);

    /**
     * Deletes as the bucket's versioning says. With a version id: removes that version for good (an object's
     * goes to the trash unless the bucket's retention is 0); removing the current version makes the next newest
     * current, removing a delete marker may let the object reappear. Without one: in an unversioned bucket as
     * {@link #deleteObject}; with versioning enabled or suspended, the current version is kept as a noncurrent one
     * (suspended: unless it is the null version) and a delete marker becomes the newest version.
     *
     * @param versionId null for the key's current version
     * @param condition null for none; see {@link #putObject}
     */
    default CompletableFuture<VersionDeleted> deleteObjectVersion(String bucket, ObjectKey key, String versionId, WriteCondition condition) {
        return deleteObjectVersion(bucket, key, versionId, condition, false);
    }

    /**
     * As {@link #deleteObjectVersion(String, ObjectKey, String, WriteCondition)}; a version under an S3 Object Lock legal hold
     * or retention is not removed (OBJECT_LOCKED), but one in GOVERNANCE mode is with {@code bypassGovernance}.
     */
    CompletableFuture<VersionDeleted> deleteObjectVersion(String bucket, ObjectKey key, String versionId, WriteCondition condition,
                                                          boolean bypassGovernance);

    /**
     * Sets a version's S3 Object Lock retention in a bucket with object lock: a COMPLIANCE retention can only be
     * extended, a GOVERNANCE one shortened or removed only with {@code bypassGovernance} (else OBJECT_LOCKED).
     *
     * @param versionId null for the current version
     * @param mode      null to remove the retention
     * @return the version as now stored
     */
    CompletableFuture<ObjectInfo> setObjectRetention(String bucket, ObjectKey key, String versionId, ObjectLock.Mode mode,
                                                     long untilMillis, boolean bypassGovernance);

    /** Puts a legal hold on a version (null: the current one) in a bucket with object lock, or lifts it. */
    CompletableFuture<ObjectInfo> setObjectLegalHold(String bucket, ObjectKey key, String versionId, boolean on);

    /** ListObjectVersions: every version and delete marker, keys in S3's order, each key's newest first. */
    CompletableFuture<VersionListPage> listObjectVersions(String bucket, VersionListRequest request);

    /**
     * @param encryption the data key (wrapped) the upload's parts are encrypted with, or null for plaintext
     * @param checksum   the checksum of the parts and of the object they make, or null for none
     */
    CompletableFuture<MultipartUpload> createMultipartUpload(String bucket, ObjectKey key, ObjectProperties properties,
                                                             StorageClass storageClass, long initiatedMillis, ObjectEncryption encryption,
                                                             UploadChecksum checksum);

    default CompletableFuture<MultipartUpload> createMultipartUpload(String bucket, ObjectKey key, ObjectProperties properties,
                                                                     StorageClass storageClass, long initiatedMillis,
                                                                     ObjectEncryption encryption) {
        return createMultipartUpload(bucket, key, properties, storageClass, initiatedMillis, encryption, null);
    }

    default CompletableFuture<MultipartUpload> createMultipartUpload(String bucket, ObjectKey key, ObjectProperties properties,
                                                                     StorageClass storageClass, long initiatedMillis) {
        return createMultipartUpload(bucket, key, properties, storageClass, initiatedMillis, null);
    }

    CompletableFuture<MultipartUpload> getMultipartUpload(String bucket, ObjectKey key, String uploadId);

    /** Records a part; @return the part it replaced (same number), whose blocks the caller may free. */
    CompletableFuture<Optional<PartInfo>> putPart(String bucket, ObjectKey key, String uploadId, PartInfo part);

    /** Parts in number order. */
    CompletableFuture<List<PartInfo>> listParts(String bucket, ObjectKey key, String uploadId);

    /**
     * Builds the object from the named parts (ascending numbers, matching ETags, every
     * part but the last at least {@code minPartSize} bytes) and ends the upload.
     *
     * @param condition null for none; see {@link #putObject}
     * @return the new object, the version it replaced and the parts not used (to free)
     */
    CompletableFuture<CompletedUpload> completeMultipartUpload(String bucket, ObjectKey key, String uploadId,
                                                               List<CompletedPart> parts, long minPartSize, long mtimeMillis,
                                                               WriteCondition condition);

    default CompletableFuture<CompletedUpload> completeMultipartUpload(String bucket, ObjectKey key, String uploadId,
                                                                       List<CompletedPart> parts, long minPartSize, long mtimeMillis) {
        return completeMultipartUpload(bucket, key, uploadId, parts, minPartSize, mtimeMillis, null);
    }

    /** Ends the upload; @return its parts, whose blocks the caller may free. */
    CompletableFuture<List<PartInfo>> abortMultipartUpload(String bucket, ObjectKey key, String uploadId);

    /** Uploads in progress in a bucket, by key then initiation time. */
    CompletableFuture<List<MultipartUpload>> listMultipartUploads(String bucket, String prefix);

    /**
     * Puts a new manifest (e.g. re-coded blocks) on version {@code inode} of an object. Fails
     * with CONCURRENT_CHANGE if the key no longer holds that version.
     *
     * @return the version as it was, whose blocks the caller may now free
     */
    CompletableFuture<ObjectInfo> replaceManifest(String bucket, ObjectKey key, long inode, ObjectManifest manifest);

    /**
     * Cluster key rotation: puts {@code wrappedKey} in place of the SSE-S3 data key of inode
     * {@code inode} of {@code bucket} (linked or in the trash) if it still is {@code expectedWrappedKey};
     * the rest of the manifest (blocks, tags, attributes) stays as it is now, so a concurrent
     * re-code or tag change is kept, and a concurrent overwrite (a new inode) wins.
     *
     * @return false when the inode is gone or holds another key
     */
    CompletableFuture<Boolean> resealObject(String bucket, long inode, byte[] expectedWrappedKey, byte[] wrappedKey);

    /**
     * The same for a multipart upload in progress (its parts are encrypted under the upload's
     * data key, which completion hands to the object).
     *
     * @return false when the upload is gone (completed, aborted) or holds another key
     */
    CompletableFuture<Boolean> resealUpload(String bucket, String key, String uploadId, byte[] expectedWrappedKey, byte[] wrappedKey);

    /** Outcome of a put: the new version and the one it replaced. */
    record StoredObject(ObjectInfo object, Optional<ObjectInfo> replaced) {
    }

    /** Outcome of completing a multipart upload. */
    record CompletedUpload(ObjectInfo object, Optional<ObjectInfo> replaced, List<PartInfo> unusedParts) {
    }
}
