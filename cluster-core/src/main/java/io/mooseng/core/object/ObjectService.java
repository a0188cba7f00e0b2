package io.mooseng.core.object;

import io.mooseng.core.checksum.ChecksumAlgorithm;
import io.mooseng.core.chunk.ChunkClients;
import io.mooseng.core.chunk.ChunkserverDirectory;
import io.mooseng.core.crypto.ChunkLayout;
import io.mooseng.core.crypto.DataKey;
import io.mooseng.core.crypto.DecryptingObjectReader;
import io.mooseng.core.crypto.EncryptingObjectWriter;
import io.mooseng.core.crypto.KeyRing;
import io.mooseng.core.error.ErrorCode;
import io.mooseng.core.error.MooseException;
import io.mooseng.core.memory.ByteBudget;
import io.mooseng.core.metadata.DirectoryLeases;
import io.mooseng.core.metadata.MaintenanceReports;
import io.mooseng.core.metadata.NodeRegistry;
import io.mooseng.core.metadata.MountRegistry;
import io.mooseng.core.metadata.TrashBin;
import io.mooseng.core.metadata.SyncLog;
import io.mooseng.core.model.NotifyTarget;
import io.mooseng.core.model.RemoteApplied;
import io.mooseng.core.model.RenameMode;
import io.mooseng.core.model.SyncEntry;
import io.mooseng.core.metadata.MetadataService;
import io.mooseng.core.model.BlockRef;
import io.mooseng.core.model.BucketInfo;
import io.mooseng.core.model.BucketPolicy;
import io.mooseng.core.model.ChunkserverInfo;
import io.mooseng.core.model.ETags;
import io.mooseng.core.model.InodeUpdate;
import io.mooseng.core.model.NamespaceChanges;
import io.mooseng.core.model.NamespaceEntry;
import io.mooseng.core.model.PosixAttributes;
import io.mooseng.core.model.CompletedPart;
import io.mooseng.core.model.ListPage;
import io.mooseng.core.model.ListRequest;
import io.mooseng.core.model.MultipartUpload;
import io.mooseng.core.model.ObjectInfo;
import io.mooseng.core.model.ObjectLock;
import io.mooseng.core.model.ObjectKey;
import io.mooseng.core.model.ObjectChecksum;
import io.mooseng.core.model.ObjectManifest;
import io.mooseng.core.model.UploadChecksum;
import io.mooseng.core.model.ObjectProperties;
import io.mooseng.core.model.PartInfo;
import io.mooseng.core.model.ShardId;
import io.mooseng.core.model.StorageClass;
import io.mooseng.core.model.WriteCondition;
import io.mooseng.core.model.ObjectVersion;
import io.mooseng.core.model.VersionDeleted;
import io.mooseng.core.model.VersionListPage;
import io.mooseng.core.model.VersionListRequest;
import io.mooseng.core.placement.PlacementPolicy;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.Semaphore;
import java.util.function.LongSupplier;
import java.util.function.UnaryOperator;
import java.util.regex.Pattern;

/**
 * The one place where byte streams become blocks, shards and metadata, and back. The S3
 * gateway and the FUSE mount are thin adapters over this class; neither talks to
 * chunkservers or the metadata service by itself.
 *
 * <p>Contract: every method is non-blocking; futures complete on metadata, chunkserver or
 * coding-pool threads, so adapters hop back to their own threads. Failures are
 * {@link MooseException}s.
 *
 * <p>Memory: every reader and writer first takes its share of one {@link ByteBudget}; when
 * the budget is spent, opening waits up to {@link ObjectServiceConfig#admissionWaitMillis}
 * and then fails with SLOW_DOWN, while the work already admitted runs to its end.
 */
public final class ObjectService {
    private static final Logger LOG = LoggerFactory.getLogger(ObjectService.class);
    /** Damage reports in flight at most (each is a request to the leader on the metadata client's ordered stream). */
    private static final int MAX_DAMAGE_REPORTS = 4;

    private static final Pattern BUCKET_NAME = Pattern.compile("[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]");

    private final MetadataService metadata;
    private final ObjectServiceConfig config;
    private final Executor codingPool;
    private final LongSupplier clock;
    private final BlockWriter blockWriter;
    private final BlockReader blockReader;
    private final ShardReclaimer reclaimer;
    private final BucketCache buckets;
    private final ChunkserverDirectory directory;
    private final ByteBudget budget;
    private final WriteContext writes;
    private final Semaphore damageReports = new Semaphore(MAX_DAMAGE_REPORTS);

    public ObjectService(MetadataService metadata, ChunkClients clients, ChunkserverDirectory directory,
                         PlacementPolicy placement, ObjectServiceConfig config, Executor codingPool, LongSupplier clock,
                         ByteBudget budget) {
        this.metadata = metadata;
        this.config = config;
        this.codingPool = codingPool;
        this.clock = clock;
        this.directory = directory;
        this.budget = budget;
        this.blockWriter = new BlockWriter(clients, directory, placement, codingPool);
        this.blockReader = new BlockReader(clients, directory, codingPool, this::reportDamaged);
        this.reclaimer = new ShardReclaimer(clients);
        this.buckets = new BucketCache(metadata, clock, 2_000);
        this.writes = new WriteContext(blockWriter, reclaimer, codingPool, config, clock);
    }

    /**
     * Tells the leader a read found a shard missing or corrupt, a few reports at a time: the
     * maintenance census finds any shard whose report is dropped or lost, only later.
     */
    private void reportDamaged(ShardId shard) {
        if (!damageReports.tryAcquire()) {
            LOG.debug("damaged shard not reported (reports in flight): shard={}", shard);
            return;
        }
        metadata.reportDamagedShards(shard.block(), List.of(shard.index())).whenComplete((ok, e) -> {
            damageReports.release();
            if (e != null) {
                LOG.debug("damaged shard not reported: shard={} cause={}", shard, e.toString());
            }
        });
    }

    /** The byte budget readers and writers draw from. */
    public ByteBudget budget() {
        return budget;
    }

    private CompletableFuture<ByteBudget.Grant> admit(long bytes) {
        return budget.acquire(bytes, Duration.ofMillis(config.admissionWaitMillis()));
    }

    /**
     * A writer, once its share of the budget is granted; with a data key, one that stores ciphertext.
     *
     * @param firstChunk the index the first encrypted chunk is sealed under (see {@link ChunkLayout})
     */
    private <T> CompletableFuture<ObjectWriter<T>> newWriter(StorageClass sc, boolean classPinned, ObjectProperties props,
                                                             boolean mayInline, long expectedBytes,
                                                             java.util.function.Function<ObjectManifest, CompletableFuture<T>> committer,
                                                             DataKey key, long firstChunk) {
        return admit(StreamingObjectWriter.workingSet(config, sc, expectedBytes)).thenApply(grant -> key == null
                ? new StreamingObjectWriter<>(writes, sc, classPinned, props, mayInline, committer, grant)
                : new EncryptingObjectWriter<>(key, firstChunk, plaintext -> new StreamingObjectWriter<>(writes, sc, classPinned, props,
                        mayInline, stored -> committer.apply(plaintext.apply(stored)), grant)));
    }

    private <T> CompletableFuture<ObjectWriter<T>> newWriter(StorageClass sc, boolean classPinned, ObjectProperties props,
                                                             boolean mayInline, long expectedBytes,
                                                             java.util.function.Function<ObjectManifest, CompletableFuture<T>> committer) {
        return newWriter(sc, classPinned, props, mayInline, expectedBytes, committer, null, 0);
    }

    // ---- buckets

    public CompletableFuture<BucketInfo> createBucket(String name, StorageClass defaultClass) {
        if (name == null || !BUCKET_NAME.matcher(name).matches() || name.contains("..")) {
            return CompletableFuture.failedFuture(new MooseException(ErrorCode.INVALID_BUCKET_NAME,
                    "bucket names are 3-63 characters of a-z, 0-9, '.' and '-', starting and ending with a letter or digit"));
        }
        return metadata.createBucket(name, defaultClass != null ? defaultClass : config.defaultClass(), clock.getAsLong());
    }

    public CompletableFuture<Void> deleteBucket(String name) {
        buckets.forget(name);
        return metadata.deleteBucket(name).whenComplete((v, e) -> buckets.forget(name));
    }

    public CompletableFuture<BucketInfo> getBucket(String name) {
        return metadata.getBucket(name);
    }

    public CompletableFuture<List<BucketInfo>> listBuckets() {
        return metadata.listBuckets();
    }

    /**
     * The bucket as seen within the last two seconds: for settings read on many requests
     * (CORS rules), which may take that long to show a change made through another gateway.
     */
    public CompletableFuture<BucketInfo> recentBucket(String name) {
        return buckets.get(name);
    }

    /** Changes the bucket's S3 settings (tags, CORS rules) in its policy. */
    /** The webhook targets bucket notification rules may name. */
    public CompletableFuture<List<NotifyTarget>> notifyTargets() {
        return metadata.notifyTargets();
    }

    public CompletableFuture<BucketInfo> changeBucket(String name, UnaryOperator<BucketPolicy> change) {
        return metadata.getBucket(name).thenCompose(b -> metadata.setBucketPolicy(name, change.apply(b.policy())))
                .whenComplete((b, e) -> buckets.forget(name));
    }

    // ---- objects

    public CompletableFuture<ObjectInfo> head(String bucket, String key) {
        return parse(key).thenCompose(k -> metadata.getObject(bucket, k));
    }

    /** Opens a writer for content of unknown length. */
    public CompletableFuture<ObjectWriter<ObjectInfo>> openWrite(String bucket, String key, ObjectProperties props,
                                                                 StorageClass storageClass) {
        return openWrite(bucket, key, props, storageClass, -1, null);
    }

    /**
     * Opens a writer; the bucket is checked first so a doomed upload stores nothing.
     *
     * @param expectedBytes the content's length if known (a small object takes a small share of the budget), else -1
     * @param condition     checked on commit against the key's object then (null for none); see {@link WriteCondition}
     */
    public CompletableFuture<ObjectWriter<ObjectInfo>> openWrite(String bucket, String key, ObjectProperties props,
                                                                 StorageClass storageClass, long expectedBytes,
                                                                 WriteCondition condition) {
        return openWrite(bucket, key, props, storageClass, expectedBytes, condition, null);
    }

    /** @param encryptWith the object's new data key ({@link io.mooseng.core.crypto.KeyRing}), or null to store plaintext */
    public CompletableFuture<ObjectWriter<ObjectInfo>> openWrite(String bucket, String key, ObjectProperties props,
                                                                 StorageClass storageClass, long expectedBytes,
                                                                 WriteCondition condition, DataKey encryptWith) {
        return parse(key).thenCombine(buckets.get(bucket), (k, b) -> {
            StorageClass sc = storageClass != null ? storageClass : b.policy().classFor(k.key());
            return this.<ObjectInfo>newWriter(sc, storageClass != null, props, true, expectedBytes,
                    manifest -> commitObject(bucket, k, manifest, condition), encryptWith, 0);
        }).thenCompose(f -> f);
    }

    private CompletableFuture<ObjectInfo> commitObject(String bucket, ObjectKey key, ObjectManifest manifest, WriteCondition condition) {
        if (key.directoryMarker() && manifest.size() > 0) {
            return CompletableFuture.failedFuture(new MooseException(ErrorCode.KEY_CONFLICT,
                    "a key ending in '/' is a directory and cannot hold content: " + key.key()));
        }
        return metadata.putObject(bucket, key, manifest, condition).thenApply(stored -> {
            stored.replaced().ifPresent(old -> reclaimer.reclaim(old.manifest().blocks()));
            return stored.object();
        });
    }

    /** Reads {@code [offset, offset+length)} of the version {@code info} names, which must not be encrypted. */
    public CompletableFuture<ObjectReader> openRead(ObjectInfo info, long offset, long length) {
        return openRead(info, offset, length, null);
    }

    /**
     * Reads {@code [offset, offset+length)} of the version {@code info} names.
     *
     * @param key the object's data key if it is encrypted ({@link io.mooseng.core.crypto.KeyRing#open}); fails with
     *            ENCRYPTION_KEY_REQUIRED without one
     */
    public CompletableFuture<ObjectReader> openRead(ObjectInfo info, long offset, long length, DataKey key) {
        ObjectManifest m = info.manifest();
        if (m.encryption() != null && key == null) {
            LOG.warn("object encrypted at rest ({}) read without its key (only gateways hold the cluster key): bucket={} key={}",
                    m.encryption().mode(), info.bucket(), info.key());
            return CompletableFuture.failedFuture(new MooseException(ErrorCode.ENCRYPTION_KEY_REQUIRED,
                    "the object is encrypted at rest: read it through an S3 gateway"));
        }
        if (offset < 0 || length < 0 || offset + length > m.size()) {
            return CompletableFuture.failedFuture(new IllegalArgumentException("range outside the object"));
        }
        if (m.encryption() == null) {
            return openStored(m, offset, length);
        }
        ChunkLayout layout = ChunkLayout.of(m);
        long from = layout.storedStart(offset);
        long to = length == 0 ? from : layout.storedEnd(offset + length);
        return openStored(m, from, to - from).thenApply(stored -> new DecryptingObjectReader(key, layout, stored, offset, length));
    }

    /** Reads stored bytes as they are (ciphertext of an encrypted object). */
    private CompletableFuture<ObjectReader> openStored(ObjectManifest m, long offset, long length) {
        if (m.inline()) {
            return CompletableFuture.completedFuture(new InlineObjectReader(m.inlineData(), offset, length));
        }
        return admit(StreamingObjectReader.workingSet(config, length)).thenApply(grant ->
                new StreamingObjectReader(blockReader, m, offset, length, config.readAheadBlocks(), grant));
    }

    /** Bytes the object takes in blocks or inline: its size, or for an encrypted one the size with a tag per chunk. */
    private static long storedSize(ObjectManifest m) {
        return m.encryption() == null ? m.size() : ChunkLayout.of(m).storedLength();
    }

    /** @param condition null for none; see {@link WriteCondition} */
    public CompletableFuture<Void> delete(String bucket, String key, WriteCondition condition) {
        return parse(key).thenCompose(k -> metadata.deleteObject(bucket, k, condition))
                .thenAccept(this::reclaimRemoved);
    }

    public CompletableFuture<ListPage> list(String bucket, ListRequest request) {
        return metadata.listObjects(bucket, request);
    }

    /** A version of a key by its id, or with {@code versionId} null its newest: see {@link io.mooseng.core.metadata.ObjectNamespace#getObjectVersion}. */
    public CompletableFuture<ObjectVersion> version(String bucket, String key, String versionId) {
        return parse(key).thenCompose(k -> metadata.getObjectVersion(bucket, k, versionId));
    }

    /**
     * Deletes as the bucket's versioning says (see {@link io.mooseng.core.metadata.ObjectNamespace#deleteObjectVersion});
     * a version removed for good has its shards freed.
     *
     * @param versionId null for the current version
     */
    public CompletableFuture<VersionDeleted> deleteVersion(String bucket, String key, String versionId, WriteCondition condition) {
        return deleteVersion(bucket, key, versionId, condition, false);
    }

    /** As {@link #deleteVersion(String, String, String, WriteCondition)}, bypassing a GOVERNANCE retention if asked. */
    public CompletableFuture<VersionDeleted> deleteVersion(String bucket, String key, String versionId, WriteCondition condition,
                                                           boolean bypassGovernance) {
        return parse(key).thenCompose(k -> metadata.deleteObjectVersion(bucket, k, versionId, condition, bypassGovernance)).thenApply(done -> {
            reclaimRemoved(done.freed());
            return done;
        });
    }

    /** @see io.mooseng.core.metadata.ObjectNamespace#setObjectRetention */
    public CompletableFuture<ObjectInfo> setRetention(String bucket, String key, String versionId, ObjectLock.Mode mode, long untilMillis,
                                                      boolean bypassGovernance) {
        return parse(key).thenCompose(k -> metadata.setObjectRetention(bucket, k, versionId, mode, untilMillis, bypassGovernance));
    }

    /** @see io.mooseng.core.metadata.ObjectNamespace#setObjectLegalHold */
    public CompletableFuture<ObjectInfo> setLegalHold(String bucket, String key, String versionId, boolean on) {
        return parse(key).thenCompose(k -> metadata.setObjectLegalHold(bucket, k, versionId, on));
    }

    public CompletableFuture<VersionListPage> listVersions(String bucket, VersionListRequest request) {
        return metadata.listObjectVersions(bucket, request);
    }

    /**
     * Server-side copy: streams the source's content into a new object (blocks are never shared).
     *
     * @param props     the new object's properties, from the source's ({@code src}'s) and the request's
     * @param condition on the destination's object, checked on commit (null for none)
     * @param srcKey    the source's data key if it is encrypted, else null
     * @param encryptWith the copy's new data key, or null to store it in plaintext
     * @param checksum  the algorithm of the copy's checksum, computed as it is copied; null to keep the source's (if any)
     */
    public CompletableFuture<ObjectInfo> copy(ObjectInfo src, DataKey srcKey, String dstBucket, String dstKey, ObjectProperties props,
                                              StorageClass storageClass, WriteCondition condition, DataKey encryptWith,
                                              ChecksumAlgorithm checksum) {
        return openWrite(dstBucket, dstKey, props, storageClass, src.size(), condition, encryptWith)
                .thenCompose(writer -> checksum == null
                        ? copyInto(openRead(src, 0, src.size(), srcKey), writer, src.manifest().checksum())
                        : copyInto(openRead(src, 0, src.size(), srcKey), new ChecksummingWriter<>(writer, checksum), null));
    }

    /**
     * Replaces the tag set of version {@code object}, keeping its content and mtime. Fails with
     * CONCURRENT_CHANGE if the key was replaced or deleted meanwhile.
     */
    public CompletableFuture<ObjectInfo> setTags(ObjectInfo object, Map<String, String> tags) {
        ObjectManifest m = object.manifest();
        ObjectManifest tagged = m.withAttributes(m.mtimeMillis(), m.properties().withTags(tags), m.posix());
        return metadata.replaceManifest(object.bucket(), ObjectKey.parse(object.key()), object.inode(), tagged)
                .thenApply(previous -> new ObjectInfo(object.bucket(), object.key(), object.inode(), tagged));
    }

    /**
     * Re-codes an object's content into blocks of class {@code target} (a class change or cold
     * conversion): streams it through a new writer and swaps the blocks in under the same
     * version, keeping ETag, mtime and properties. Fails with CONCURRENT_CHANGE if the object
     * was replaced or deleted meanwhile (the new blocks are then freed).
     *
     * @return the object as now stored
     */
    public CompletableFuture<ObjectInfo> recode(ObjectInfo object, StorageClass target) {
        ObjectManifest old = object.manifest();
        ObjectKey key = ObjectKey.parse(object.key());
        if (old.inline()) {
            // no blocks to code: only the recorded class changes
            return replaceManifest(object, key, old.withBlocks(target, List.of()));
        }
        // the stored bytes move as they are: an encrypted object is re-coded without its key
        return this.<ObjectInfo>newWriter(target, old.classPinned(), old.properties(), false, storedSize(old),
                        written -> replaceManifest(object, key, old.withBlocks(target, written.blocks())))
                .thenCompose(writer -> copyInto(openStored(old, 0, storedSize(old)), writer, null));
    }

    /**
     * Streams a reader, once open, into the writer and completes it with {@code checksum} (null for none);
     * a failure on the way aborts the writer.
     */
    private static <T> CompletableFuture<T> copyInto(CompletableFuture<ObjectReader> opened, ObjectWriter<T> writer,
                                                     ObjectChecksum checksum) {
        return opened.thenCompose(reader -> Pump.copy(reader, writer))
                .whenComplete((v, e) -> {
                    if (e != null) {
                        writer.abort();
                    }
                })
                .thenCompose(v -> writer.complete(null, checksum));
    }

    private CompletableFuture<ObjectInfo> replaceManifest(ObjectInfo object, ObjectKey key, ObjectManifest manifest) {
        return metadata.replaceManifest(object.bucket(), key, object.inode(), manifest).thenApply(previous -> {
            reclaimer.reclaim(previous.manifest().blocks());
            return new ObjectInfo(object.bucket(), object.key(), object.inode(), manifest);
        });
    }

    /** Frees the shards of blocks no object references any more (best effort; garbage collection finds the rest). */
    public void reclaim(List<BlockRef> blocks) {
        reclaimer.reclaim(blocks);
    }

    // ---- the mount's operations (entries by name, inodes by id)

    /** The entry at {@code path}, the bucket's root directory for "". */
    public CompletableFuture<NamespaceEntry> lookup(String bucket, String path) {
        CompletableFuture<ObjectKey> key = path.isEmpty() ? CompletableFuture.completedFuture(null) : parse(path);
        return key.thenCompose(k -> metadata.lookup(bucket, k));
    }

    /** The namespace's changes after a log index: see {@link io.mooseng.core.metadata.PosixNamespace#changesSince}. */
    public CompletableFuture<NamespaceChanges> changesSince(long after, int limit) {
        return metadata.changesSince(after, limit);
    }

    /**
     * Up to {@code limit} entries of a directory ({@code dir} null or empty: the bucket's root) in listing order, from
     * {@code from} (null: the first page); see {@link MetadataService#readDirectory}.
     */
    public CompletableFuture<List<NamespaceEntry>> readDirectory(String bucket, String dir, DirectoryCursor from, int limit) {
        CompletableFuture<ObjectKey> key = dir == null || dir.isEmpty() ? CompletableFuture.completedFuture(null) : parse(dir);
        return key.thenCompose(k -> metadata.readDirectory(bucket, k, from == null ? null : from.sortName(), limit));
    }

    /**
     * Creates a file, a symlink (its target as content) or, for a marker key, a directory, if
     * the name is free. The content is small and lives in metadata.
     */
    public CompletableFuture<ObjectInfo> createEntry(String bucket, String key, byte[] content, PosixAttributes posix) {
        return entryManifest(bucket, key, content, posix).thenCompose(m -> createEntry(bucket, key, m, 0));
    }

    /** The manifest {@link #createEntry} gives a new entry of small content (the bucket's class for the key). */
    public CompletableFuture<ObjectManifest> entryManifest(String bucket, String key, byte[] content, PosixAttributes posix) {
        return parse(key).thenCombine(buckets.get(bucket), (k, b) -> new ObjectManifest(content.length, ETags.md5Hex(content),
                clock.getAsLong(), ObjectProperties.EMPTY, b.policy().classFor(k.key()), List.of(), content.clone(), false, posix));
    }

    /**
     * Creates an entry with this manifest and inode id (one reserved through {@link #leases}, or
     * 0), sent before this returns: a caller that does not wait still has its changes
     * committed in the order it made them.
     */
    public CompletableFuture<ObjectInfo> createEntry(String bucket, String key, ObjectManifest manifest, long inode) {
        return parse(key).thenCompose(k -> metadata.createEntry(bucket, k, manifest, inode));
    }

    /** Multisite sync's view of the metadata: the zone's change log, peers' changes, cursors. */
    /** Users and access keys. */
    public io.mooseng.core.metadata.IdentityStore identities() {
        return metadata;
    }

    public SyncLog sync() {
        return metadata;
    }

    /**
     * Opens a writer for a peer zone's version of an object (see {@link SyncLog#applyRemote}):
     * the content is stored here, then the version committed unless this zone has a later one,
     * in which case the content is freed again. The content is coded as this zone's bucket
     * policy says (zones may store a bucket in different classes).
     */
    public CompletableFuture<ObjectWriter<RemoteApplied>> openRemoteWrite(SyncEntry entry) {
        return openRemoteWrite(entry, false);
    }

    /**
     * @param encrypt store the content encrypted (SSE-S3) under this cluster's key, as the peer stored it: sealing needs only
     *                the cluster key's public half, which the namespace publishes
     */
    public CompletableFuture<ObjectWriter<RemoteApplied>> openRemoteWrite(SyncEntry entry, boolean encrypt) {
        CompletableFuture<DataKey> key = !encrypt ? CompletableFuture.completedFuture(null)
                : metadata.identities(-1).thenApply(ids -> KeyRing.newServerKey(clusterPublicKey(ids.clusterKey())));
        return buckets.get(entry.bucket()).thenCombine(key, (b, dataKey) -> {
            StorageClass sc = b.policy().classFor(entry.key());
            return this.<RemoteApplied>newWriter(sc, false, ObjectProperties.EMPTY, true, entry.size(),
                    content -> metadata.applyRemote(entry, content).thenApply(applied -> {
                        if (applied.applied()) {
                            applied.replaced().ifPresent(old -> reclaimer.reclaim(old.manifest().blocks()));
                        } else {
                            reclaimer.reclaim(content.blocks());
                        }
                        return applied;
                    }), dataKey, 0);
        }).thenCompose(f -> f);
    }

    private static java.security.PublicKey clusterPublicKey(byte[] x509) {
        if (x509 == null) {
            throw new MooseException(ErrorCode.INTERNAL, "no cluster key is registered in the namespace to encrypt with");
        }
        try {
            return io.mooseng.core.security.SecretBox.publicKey(x509);
        } catch (java.security.GeneralSecurityException e) {
            throw new MooseException(ErrorCode.INTERNAL, "the namespace's cluster key is not an X25519 public key");
        }
    }

    /** Directory leases of this service's metadata client (a mount's write-behind). */
    public DirectoryLeases leases() {
        return metadata;
    }

    /** Buckets' trash of deleted objects (the gateway's admin routes list and restore it). */
    public TrashBin trash() {
        return metadata;
    }

    /** Registered chunkservers and gateways with their last heartbeats (status views). */
    public NodeRegistry nodes() {
        return metadata;
    }

    /** The mounts the leader knows (status views). */
    public MountRegistry mounts() {
        return metadata;
    }

    /** The leader's last maintenance report (status views). */
    public MaintenanceReports maintenanceReports() {
        return metadata;
    }

    /**
     * Opens a writer whose blocks are not linked anywhere: it completes with their manifest,
     * which the caller commits with {@link #updateInode} (or frees with {@link #reclaim}).
     */
    public CompletableFuture<ObjectWriter<ObjectManifest>> openContentWrite(String bucket, String key) {
        return openContentWrite(bucket, key, true);
    }

    /** @param mayInline false for content that goes after other blocks (an append): it must be blocks too */
    public CompletableFuture<ObjectWriter<ObjectManifest>> openContentWrite(String bucket, String key, boolean mayInline) {
        return parse(key).thenCombine(buckets.get(bucket), (k, b) -> this.<ObjectManifest>newWriter(b.policy().classFor(k.key()),
                false, ObjectProperties.EMPTY, mayInline, -1, CompletableFuture::completedFuture)).thenCompose(f -> f);
    }

    /**
     * Applies {@code update} to an inode and frees the content it replaced.
     *
     * @param key the name the caller reached the inode by (see {@link io.mooseng.core.metadata.PosixNamespace#updateInode})
     */
    public CompletableFuture<ObjectManifest> updateInode(String bucket, long inode, InodeUpdate update, String key) {
        return metadata.updateInode(bucket, inode, update, key).thenApply(done -> {
            reclaimer.reclaim(done.freed());
            return done.manifest();
        });
    }

    /** Atomic rename within a bucket (a file or a whole directory); frees a replaced file. */
    public CompletableFuture<Void> rename(String bucket, String from, String to, RenameMode mode) {
        return parse(from).thenCombine(parse(to), (f, t) -> metadata.rename(bucket, f, t, mode, clock.getAsLong()))
                .thenCompose(x -> x).thenAccept(this::reclaimRemoved);
    }

    public CompletableFuture<NamespaceEntry> link(String bucket, String existing, String newKey) {
        return parse(existing).thenCombine(parse(newKey), (e, n) -> metadata.link(bucket, e, n, clock.getAsLong())).thenCompose(x -> x);
    }

    /** unlink(2) ({@code directory} false) or rmdir(2); a file's last name goes to the trash or is freed. */
    public CompletableFuture<Void> unlink(String bucket, String key, boolean directory) {
        return parse(key).thenCompose(k -> metadata.unlink(bucket, k, directory, clock.getAsLong())).thenAccept(this::reclaimRemoved);
    }

    /** Bytes of disk and free bytes over the live chunkservers. */
    public CompletableFuture<long[]> capacity() {
        return directory.live().thenApply(nodes -> new long[]{
                nodes.stream().mapToLong(ChunkserverInfo::capacityBytes).sum(),
                nodes.stream().mapToLong(ChunkserverInfo::freeBytes).sum()});
    }

    private void reclaimRemoved(Optional<ObjectInfo> removed) {
        removed.ifPresent(old -> reclaimer.reclaim(old.manifest().blocks()));
    }

    // ---- multipart uploads

    /**
     * @param encryptWith the data key every part is to be encrypted with (kept wrapped with the upload), or null for plaintext
     * @param checksum    the checksum every part gets and the object's is made of, or null for none
     */
    public CompletableFuture<MultipartUpload> createMultipartUpload(String bucket, String key, ObjectProperties props,
                                                                    StorageClass storageClass, DataKey encryptWith,
                                                                    UploadChecksum checksum) {
        return parse(key).thenCombine(buckets.get(bucket), (k, b) -> metadata.createMultipartUpload(bucket, k, props,
                storageClass != null ? storageClass : b.policy().classFor(k.key()), clock.getAsLong(),
                encryptWith == null ? null : encryptWith.record(), checksum)).thenCompose(f -> f);
    }

    /**
     * Opens a writer for one part; parts always go to blocks so they can be concatenated. A part
     * of an encrypted upload is encrypted under the upload's data key, its chunks numbered from an
     * index of its own ({@link ChunkLayout#firstChunkOfPart}).
     *
     * @param expectedBytes the part's length if known, else -1
     * @param keyFor        called with the upload before its writer opens (what its parts need can be checked then):
     *                      the upload's data key given its encryption record (the request's customer key for SSE-C);
     *                      null for a plaintext upload (or it refuses a key sent)
     */
    public CompletableFuture<ObjectWriter<PartInfo>> openPartWrite(String bucket, String key, String uploadId, int partNumber,
                                                                   long expectedBytes,
                                                                   java.util.function.Function<MultipartUpload, DataKey> keyFor) {
        if (partNumber < 1 || partNumber > 10_000) {
            return CompletableFuture.failedFuture(new MooseException(ErrorCode.INVALID_PART, "part numbers are 1..10000"));
        }
        return parse(key).thenCompose(k -> metadata.getMultipartUpload(bucket, k, uploadId).thenCompose(upload -> {
            DataKey dataKey = keyFor.apply(upload);
            long firstChunk = dataKey == null ? 0 : ChunkLayout.firstChunkOfPart(partNumber);
            return this.<PartInfo>newWriter(upload.storageClass(), false, upload.properties(), false, expectedBytes,
                    manifest -> {
                        PartInfo part = new PartInfo(partNumber, manifest.size(), manifest.etag(), manifest.mtimeMillis(), manifest,
                                firstChunk);
                        return metadata.putPart(bucket, k, uploadId, part).thenApply(replaced -> {
                            replaced.ifPresent(old -> reclaimer.reclaim(old.manifest().blocks()));
                            return part;
                        });
                    }, dataKey, firstChunk);
        }));
    }

    /**
     * UploadPartCopy: streams {@code [offset, offset+length)} of {@code src} into part {@code partNumber}.
     *
     * @param srcKey the source's data key if it is encrypted, else null
     * @param keyFor as for {@link #openPartWrite}
     */
    public CompletableFuture<PartInfo> copyPart(ObjectInfo src, DataKey srcKey, long offset, long length, String bucket, String key,
                                                String uploadId, int partNumber,
                                                java.util.function.Function<MultipartUpload, DataKey> keyFor) {
        ChecksumAlgorithm[] checksum = new ChecksumAlgorithm[1];
        return openPartWrite(bucket, key, uploadId, partNumber, length, upload -> {
            checksum[0] = upload.checksum() == null ? null : upload.checksum().algorithm();
            return keyFor.apply(upload);
        }).thenCompose(writer -> copyInto(openRead(src, offset, length, srcKey),
                checksum[0] == null ? writer : new ChecksummingWriter<>(writer, checksum[0]), null));
    }

    /** @param condition null for none; see {@link WriteCondition} */
    public CompletableFuture<ObjectInfo> completeMultipartUpload(String bucket, String key, String uploadId, List<CompletedPart> parts,
                                                                 WriteCondition condition) {
        return parse(key).thenCompose(k -> metadata.completeMultipartUpload(bucket, k, uploadId, parts, config.minPartSize(),
                clock.getAsLong(), condition)).thenApply(done -> {
                    List<BlockRef> free = new ArrayList<>();
                    done.replaced().ifPresent(old -> free.addAll(old.manifest().blocks()));
                    done.unusedParts().forEach(p -> free.addAll(p.manifest().blocks()));
                    reclaimer.reclaim(free);
                    return done.object();
                });
    }

    public CompletableFuture<Void> abortMultipartUpload(String bucket, String key, String uploadId) {
        return parse(key).thenCompose(k -> metadata.abortMultipartUpload(bucket, k, uploadId))
                .thenAccept(parts -> parts.forEach(p -> reclaimer.reclaim(p.manifest().blocks())));
    }

    public CompletableFuture<MultipartUpload> getMultipartUpload(String bucket, String key, String uploadId) {
        return parse(key).thenCompose(k -> metadata.getMultipartUpload(bucket, k, uploadId));
    }

    public CompletableFuture<List<PartInfo>> listParts(String bucket, String key, String uploadId) {
        return parse(key).thenCompose(k -> metadata.listParts(bucket, k, uploadId));
    }

    public CompletableFuture<List<MultipartUpload>> listMultipartUploads(String bucket, String prefix) {
        return metadata.listMultipartUploads(bucket, prefix == null ? "" : prefix);
    }

    private static CompletableFuture<ObjectKey> parse(String key) {
        try {
            return CompletableFuture.completedFuture(ObjectKey.parse(key));
        } catch (MooseException e) {
            return CompletableFuture.failedFuture(e);
        }
    }
}
