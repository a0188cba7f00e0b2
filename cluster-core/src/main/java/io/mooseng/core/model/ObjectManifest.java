package io.mooseng.core.model;

import java.util.List;

/**
 * Content and attributes of one object version, as committed to metadata.
 *
 * @param size          logical size in bytes
 * @param etag          S3 ETag without quotes: hex MD5, or "md5-N" for multipart uploads
 * @param mtimeMillis   last-modified time, decided by the writer before commit
 * @param properties    content headers and user metadata
 * @param storageClass  class the blocks are coded with (a lone small block of an erasure-coded
 *                      class is stored as m+1 copies, see ObjectServiceConfig#replicateMaxBytes)
 * @param blocks        content blocks in file order (empty when inlined)
 * @param inlineData    the whole content when small enough to live in metadata, else null
 * @param classPinned   the writer asked for this class (x-amz-storage-class): bucket and prefix
 *                      rules do not re-code it; cold conversion still applies
 * @param posix         mode, owner and link count set through the mount; null for objects
 *                      written over S3 (defaults are shown)
 * @param multipart     the upload and part sizes of an object made by a multipart upload, else null
 * @param stamp         when and in which zone this version was written, set by the metadata service
 *                      while the cluster belongs to a zonegroup; else null
 * @param encryption    how the stored bytes (blocks or inline data) are encrypted, or null for plaintext;
 *                      {@code size} and {@code etag} are then still the plaintext's (SSE-C: the ciphertext's MD5)
 * @param checksum      the S3 additional checksum of the (plaintext) content, when the writer gave or asked for one; else null.
 *                      It belongs to the content: it moves with it and goes when the content changes
 * @param versionId     the S3 version id the metadata service gave this version in a versioned bucket
 *                      ({@link VersionIds}), or null for the "null" version (every version of an unversioned bucket)
 */
public record ObjectManifest(long size, String etag, long mtimeMillis, ObjectProperties properties,
                             StorageClass storageClass, List<BlockRef> blocks, byte[] inlineData, boolean classPinned,
                             PosixAttributes posix, MultipartOrigin multipart, ZoneStamp stamp,
                             ObjectEncryption encryption, ObjectChecksum checksum, String versionId) {
    /** S3's largest object (5 TiB), and so the largest file of the mount. */
    public static final long MAX_SIZE = 5L << 40;

    public ObjectManifest {
        blocks = List.copyOf(blocks);
    }

    public ObjectManifest(long size, String etag, long mtimeMillis, ObjectProperties properties,
                          StorageClass storageClass, List<BlockRef> blocks, byte[] inlineData, boolean classPinned,
                          PosixAttributes posix, MultipartOrigin multipart, ZoneStamp stamp, ObjectEncryption encryption) {
        this(size, etag, mtimeMillis, properties, storageClass, blocks, inlineData, classPinned, posix, multipart, stamp, encryption, null, null);
    }

    public ObjectManifest(long size, String etag, long mtimeMillis, ObjectProperties properties,
                          StorageClass storageClass, List<BlockRef> blocks, byte[] inlineData, boolean classPinned,
                          PosixAttributes posix, MultipartOrigin multipart, ZoneStamp stamp) {
        this(size, etag, mtimeMillis, properties, storageClass, blocks, inlineData, classPinned, posix, multipart, stamp, null);
    }

    public ObjectManifest(long size, String etag, long mtimeMillis, ObjectProperties properties,
                          StorageClass storageClass, List<BlockRef> blocks, byte[] inlineData, boolean classPinned,
                          PosixAttributes posix, MultipartOrigin multipart) {
        this(size, etag, mtimeMillis, properties, storageClass, blocks, inlineData, classPinned, posix, multipart, null);
    }

    public ObjectManifest(long size, String etag, long mtimeMillis, ObjectProperties properties,
                          StorageClass storageClass, List<BlockRef> blocks, byte[] inlineData, boolean classPinned,
                          PosixAttributes posix) {
        this(size, etag, mtimeMillis, properties, storageClass, blocks, inlineData, classPinned, posix, null);
    }

    public ObjectManifest(long size, String etag, long mtimeMillis, ObjectProperties properties,
                          StorageClass storageClass, List<BlockRef> blocks, byte[] inlineData, boolean classPinned) {
        this(size, etag, mtimeMillis, properties, storageClass, blocks, inlineData, classPinned, null);
    }

    public ObjectManifest(long size, String etag, long mtimeMillis, ObjectProperties properties,
                          StorageClass storageClass, List<BlockRef> blocks, byte[] inlineData) {
        this(size, etag, mtimeMillis, properties, storageClass, blocks, inlineData, false);
    }

    public boolean inline() {
        return inlineData != null;
    }

    /** This version with other blocks, coded with {@code sc} (the class stays pinned or not). */
    public ObjectManifest withBlocks(StorageClass sc, List<BlockRef> newBlocks) {
        return new ObjectManifest(size, etag, mtimeMillis, properties, sc, newBlocks, inlineData, classPinned, posix, multipart, stamp,
                encryption, checksum, versionId);
    }

    /** This content with other attributes. */
    public ObjectManifest withAttributes(long mtime, ObjectProperties props, PosixAttributes attrs) {
        return new ObjectManifest(size, etag, mtime, props, storageClass, blocks, inlineData, classPinned, attrs, multipart, stamp,
                encryption, checksum, versionId);
    }

    /** The version's S3 Object Lock state (kept in its properties). */
    public ObjectLock lock() {
        return properties.lock();
    }

    public ObjectManifest withLock(ObjectLock lock) {
        return withAttributes(mtimeMillis, properties.withLock(lock), posix);
    }

    /** Other content (size, ETag, mtime, class, blocks) under this version's attributes. */
    public ObjectManifest withContentOf(ObjectManifest content) {
        return new ObjectManifest(content.size, content.etag, content.mtimeMillis, properties, content.storageClass,
                content.blocks, content.inlineData, classPinned, posix, content.multipart, stamp, content.encryption, content.checksum, versionId);
    }

    public ObjectManifest withStamp(ZoneStamp newStamp) {
        return new ObjectManifest(size, etag, mtimeMillis, properties, storageClass, blocks, inlineData, classPinned, posix, multipart,
                newStamp, encryption, checksum, versionId);
    }

    /** This version with its data key wrapped otherwise (a cluster key rotation): content and attributes unchanged. */
    public ObjectManifest withEncryption(ObjectEncryption e) {
        return new ObjectManifest(size, etag, mtimeMillis, properties, storageClass, blocks, inlineData, classPinned, posix, multipart,
                stamp, e, checksum, versionId);
    }

    /** This version under another version id (null: the "null" version). */
    public ObjectManifest withVersionId(String id) {
        return new ObjectManifest(size, etag, mtimeMillis, properties, storageClass, blocks, inlineData, classPinned, posix, multipart,
                stamp, encryption, checksum, id);
    }

    /** This version's stamp, or for a version written outside any zonegroup its mtime's. */
    public ZoneStamp effectiveStamp() {
        return stamp != null ? stamp : ZoneStamp.unzoned(mtimeMillis);
    }

    /**
     * A peer's version (its attributes, identity and stamp) on content stored in this zone, as one
     * run of chunks if encrypted (the peer's part-by-part chunk indexes do not apply to it).
     */
    public ObjectManifest onLocalContent(ObjectManifest local) {
        return new ObjectManifest(size, etag, mtimeMillis, properties, local.storageClass, local.blocks, local.inlineData, classPinned,
                posix, multipart == null ? null : multipart.withoutChunks(), stamp, local.encryption, checksum, versionId);
    }

    /**
     * This manifest of stored ciphertext as the plaintext's: its size and ETag, and how it is encrypted.
     */
    public ObjectManifest encrypted(long plainSize, String plainEtag, ObjectEncryption how) {
        return new ObjectManifest(plainSize, plainEtag, mtimeMillis, properties, storageClass, blocks, inlineData, classPinned, posix,
                multipart, stamp, how, checksum, versionId);
    }

    /** This version with the checksum of its content (null for none). */
    public ObjectManifest withChecksum(ObjectChecksum c) {
        return new ObjectManifest(size, etag, mtimeMillis, properties, storageClass, blocks, inlineData, classPinned, posix, multipart,
                stamp, encryption, c, versionId);
    }
}
