package io.mooseng.metadata.store;

import io.mooseng.core.clock.HybridLogicalClock;
import io.mooseng.core.metadata.SyncLog;
import io.mooseng.core.model.ETags;
import io.mooseng.core.model.ObjectSummary;
import io.mooseng.core.model.RemoteApplied;
import io.mooseng.core.model.ParkedChange;
import io.mooseng.core.model.RenameMode;
import io.mooseng.core.model.SyncEntry;
import io.mooseng.core.model.SyncEntry.Kind;
import io.mooseng.core.model.SyncLogPage;
import io.mooseng.core.model.SyncState;
import io.mooseng.core.model.ZoneStamp;
import io.mooseng.core.model.UserAccount;
import io.mooseng.core.model.Zonegroup;
import io.mooseng.core.metadata.ObjectNamespace.StoredObject;

import io.mooseng.core.error.ErrorCode;
import io.mooseng.core.error.MooseException;
import io.mooseng.core.metadata.ObjectNamespace.CompletedUpload;
import io.mooseng.core.model.BlockId;
import io.mooseng.core.model.BlockRef;
import io.mooseng.core.model.AccessKeyRecord;
import io.mooseng.core.model.BucketInfo;
import io.mooseng.core.model.InodeUpdate;
import io.mooseng.core.model.LeasedDirectory;
import io.mooseng.core.model.NamespaceEntry;
import io.mooseng.core.metadata.PosixNamespace.InodeUpdated;
import io.mooseng.core.model.BucketPolicy;
import io.mooseng.core.model.NotificationRule;
import io.mooseng.core.model.ShardId;
import io.mooseng.core.model.ShardMove;
import io.mooseng.core.model.TrashEntry;
import io.mooseng.core.model.ChunkserverInfo;
import io.mooseng.core.model.GatewayInfo;
import io.mooseng.metadata.codec.Codec;
import io.mooseng.metadata.codec.ModelCodec;
import io.mooseng.core.model.CompletedPart;
import io.mooseng.core.model.ListPage;
import io.mooseng.core.model.ListRequest;
import io.mooseng.core.model.MultipartUpload;
import io.mooseng.core.model.ObjectInfo;
import io.mooseng.core.model.ObjectLock;
import io.mooseng.core.model.Versioning;
import io.mooseng.core.model.ObjectEncryption;
import io.mooseng.core.model.UploadChecksum;
import io.mooseng.core.model.ObjectKey;
import io.mooseng.core.model.IdentitySnapshot;
import io.mooseng.core.model.ObjectManifest;
import io.mooseng.core.model.PosixAttributes;
import io.mooseng.core.model.ObjectProperties;
import io.mooseng.core.model.PartInfo;
import io.mooseng.core.model.StorageClass;
import io.mooseng.core.model.WriteCondition;
import io.mooseng.core.model.ObjectVersion;
import io.mooseng.core.model.VersionDeleted;
import io.mooseng.core.model.VersionIds;
import io.mooseng.core.model.VersionListPage;
import io.mooseng.core.model.VersionListRequest;
import io.mooseng.core.model.AntiEntropyRun;
import io.mooseng.core.model.SyncDigest;
import io.mooseng.core.model.SyncRule;
import io.mooseng.metadata.store.KvView.Cursor;
import io.mooseng.metadata.store.NamespaceSchema.Table;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

import static io.mooseng.metadata.store.NamespaceSchema.bucketKey;
import static io.mooseng.metadata.store.NamespaceSchema.inodeKey;

/**
 * The namespace operations over one view of the store: a read snapshot (queries; mutations
 * throw) or the write batch of one log entry. Semantics as in
 * {@link io.mooseng.core.metadata.MetadataService}; failures are {@link MooseException}s.
 * Keys arrive as strings and are parsed here, so an invalid key fails the same on every replica.
 */
public final class Namespace {
    /** Names listed at a time when a renamed directory's subtree is logged for peers. */
    private static final int SUBTREE_PAGE = 1000;
    /**
     * Names a directory renamed in a zone may hold: each travels to peers as two log entries
     * written in the rename's one batch, so a wider rename is refused (the mount answers EXDEV,
     * and mv copies name by name instead).
     */
    static final int MAX_NAMES_MOVED_IN_A_ZONE = 10_000;
    private static final int MAX_BUCKET_NAME_BYTES = 255;

    private final KvView kv;
    private final InodeAllocator ids;
    private final Tree tree;
    private final Uploads uploads;
    private final Trash trash;
    private final PosixTree posix;
    private final Leases leases;
    private final SyncJournal journal;
    private final Identities identities;
    private final ReplicatedIdentities replicatedIdentities;
    private final Notifications notifications;
    private final Versions versions;
    private final VersionedKeys versioned;
    private final ObjectLocks locks;
    private final MountVersions mountVersions;
    /** The bucket decoded last, and the stored bytes it came from (one thread uses a namespace). */
    private byte[] lastBucketBytes;
    private BucketInfo lastBucket;

    Namespace(KvView kv, InodeAllocator ids) {
        this.kv = kv;
        this.ids = ids;
        this.tree = new Tree(kv, ids);
        this.uploads = new Uploads(kv, tree);
        this.trash = new Trash(kv, tree);
        this.posix = new PosixTree(kv, tree);
        this.leases = new Leases(kv);
        this.journal = new SyncJournal(kv);
        this.identities = new Identities(kv);
        this.replicatedIdentities = new ReplicatedIdentities(identities, journal);
        this.notifications = new Notifications(kv);
        this.versions = new Versions(kv, tree);
        this.versioned = new VersionedKeys(ids, tree, versions, trash, () -> journal.zoned() ? journal.state().localZone() : "");
        this.locks = new ObjectLocks(kv, tree, versioned);
        this.mountVersions = new MountVersions(kv, ids, tree, posix, versions, versioned);
    }

    /** Bucket notifications' targets and queue. */
    public Notifications notifications() {
        return notifications;
    }

    public BucketInfo createBucket(String name, StorageClass defaultClass, long createdMillis) {
        if (name.isEmpty() || name.indexOf('/') >= 0 || name.indexOf('\0') >= 0
                || name.getBytes(StandardCharsets.UTF_8).length > MAX_BUCKET_NAME_BYTES) {
            throw new MooseException(ErrorCode.INVALID_BUCKET_NAME, "invalid bucket name '" + name.replace("\0", "\\0") + "'");
        }
        if (kv.get(Table.BUCKETS, bucketKey(name)) != null) {
            throw new MooseException(ErrorCode.BUCKET_ALREADY_EXISTS, "bucket " + name + " already exists");
        }
        BucketInfo bucket = storeBucket(name, createdMillis, BucketPolicy.of(defaultClass));
        logBucket(Kind.CREATE_BUCKET, bucket, journal.zoned() ? journal.stamp(createdMillis) : null);
        return bucket;
    }

    private BucketInfo storeBucket(String name, long createdMillis, BucketPolicy policy) {
        long root = ids.next();
        kv.put(Table.INODES, inodeKey(root), NamespaceSchema.encodeInode(InodeRecord.implicitDirectory()));
        BucketInfo bucket = new BucketInfo(name, root, createdMillis, policy);
        kv.put(Table.BUCKETS, bucketKey(name), NamespaceSchema.encodeBucket(bucket));
        return bucket;
    }

    public void deleteBucket(String name) {
        ZoneStamp replaced = journal.zoned() ? bucketStamp(name) : null;
        removeBucket(name);
        if (replaced != null) {
            ZoneStamp stamp = stampAfter(replaced, 0);
            journal.setBucketStamp(name, stamp, true);
            journal.append(Kind.DELETE_BUCKET, name, "", stamp, 0, "", new byte[0]);
        }
    }

    private void removeBucket(String name) {
        BucketInfo bucket = getBucket(name);
        if (tree.hasChildren(bucket.inode()) || uploads.any(name) || versions.any(name)) {
            throw new MooseException(ErrorCode.BUCKET_NOT_EMPTY, "bucket " + name + " is not empty");
        }
        trash.purgeAll(name);
        journal.clearTombstones(name);
        kv.delete(Table.BUCKETS, bucketKey(name));
        kv.delete(Table.INODES, inodeKey(bucket.inode()));
    }

    /** Logs a bucket's creation or new settings while the cluster is a zone; {@code stamp} null otherwise. */
    private void logBucket(Kind kind, BucketInfo bucket, ZoneStamp stamp) {
        if (stamp != null) {
            journal.setBucketStamp(bucket.name(), stamp, false);
            journal.append(kind, bucket.name(), "", stamp, 0, "", NamespaceSchema.encode(ModelCodec.BUCKET, bucket));
        }
    }

    /** Replaces the bucket's policy (classes, trash retention, cold conversion). */
    public BucketInfo setBucketPolicy(String name, BucketPolicy policy) {
        BucketInfo old = getBucket(name);
        if (old.policy().objectLock() != null && (policy.objectLock() == null || policy.versioning() != Versioning.ENABLED)) {
            throw new MooseException(ErrorCode.INVALID_BUCKET_STATE, "An Object Lock configuration is present on this bucket, "
                    + "so the versioning state cannot be changed and object lock cannot be removed.");
        }
        BucketInfo updated = new BucketInfo(name, old.inode(), old.createdMillis(), policy);
        kv.put(Table.BUCKETS, bucketKey(name), NamespaceSchema.encodeBucket(updated));
        logBucket(Kind.BUCKET_SETTINGS, updated, journal.zoned() ? stampAfter(bucketStamp(name), 0) : null);
        return updated;
    }

    public BucketInfo getBucket(String name) {
        byte[] v = kv.get(Table.BUCKETS, bucketKey(name));
        if (v == null) {
            throw new MooseException(ErrorCode.NO_SUCH_BUCKET, "no such bucket: " + name);
        }
        // the apply view hands out the same array until the bucket is written: decode it once per entry
        if (v != lastBucketBytes || !lastBucket.name().equals(name)) {
            lastBucket = NamespaceSchema.decodeBucket(name, v);
            lastBucketBytes = v;
        }
        return lastBucket;
    }

    /** Buckets in name (byte) order. */
    public List<BucketInfo> listBuckets() {
        List<BucketInfo> out = new ArrayList<>();
        try (Cursor c = kv.seek(Table.BUCKETS, new byte[0])) {
            for (; c.valid(); c.next()) {
                out.add(NamespaceSchema.decodeBucket(NamespaceSchema.bucketName(c.key()), c.value()));
            }
        }
        return out;
    }

    /** @param condition null for none */
    public StoredObject putObject(String bucket, String key, ObjectManifest manifest, WriteCondition condition) {
        BucketInfo b = getBucket(bucket);
        ObjectKey k = ObjectKey.parse(key);
        check(condition, b, k);
        StoredObject stored = logPut(b, k, store(b, k, stamped(b, k, manifest)));
        notifyCreated(b, k, NotificationRule.CREATED_PUT, stored.object());
        return stored;
    }

    /** Stores an object at the key: a new version where the bucket keeps versions, else replacing the key's object. */
    private StoredObject store(BucketInfo b, ObjectKey k, ObjectManifest manifest) {
        ObjectManifest locked = ObjectLocks.forNewVersion(b, manifest);
        return VersionedKeys.applies(b, k) ? versioned.put(b, k, locked) : tree.put(b, k, locked.withVersionId(null));
    }

    private void notifyCreated(BucketInfo b, ObjectKey k, String eventName, ObjectInfo created) {
        notifications.record(b, k.key(), eventName, created.size(), created.etag(), created.mtimeMillis());
    }

    /** The manifest stamped for the log while the cluster is a zone; as it is otherwise. */
    private ObjectManifest stamped(BucketInfo b, ObjectKey k, ObjectManifest manifest) {
        return journal.zoned() ? manifest.withStamp(stampAfter(objectStamp(b, k), manifest.mtimeMillis())) : manifest;
    }

    /**
     * A stamp for a local change of a key or bucket whose last change is stamped {@code replaced}: after it even when that
     * is an unzoned stamp (a time written before the cluster joined the zonegroup, which the clock never saw), so peers
     * that have the replaced state do not skip the change as older.
     */
    private ZoneStamp stampAfter(ZoneStamp replaced, long wallMillis) {
        journal.observe(replaced);
        return journal.stamp(wallMillis);
    }

    private StoredObject logPut(BucketInfo bucket, ObjectKey key, StoredObject stored) {
        ObjectManifest m = stored.object().manifest();
        if (m.stamp() != null) {
            journal.clearTombstone(bucket.name(), key.key());
            journal.appendPut(bucket.name(), key.key(), m);
        }
        return stored;
    }

    /** Applied with the write it guards, so no other change comes between the check and the write. */
    private void check(WriteCondition condition, BucketInfo bucket, ObjectKey key) {
        if (condition == null) {
            return;
        }
        ObjectInfo current;
        try {
            current = tree.get(bucket, key);
        } catch (MooseException e) {
            if (e.code() != ErrorCode.NO_SUCH_KEY) {
                throw e;
            }
            current = null;
        }
        condition.check(current, bucket.name() + "/" + key.key());
    }

    public ObjectInfo getObject(String bucket, String key) {
        return tree.get(getBucket(bucket), ObjectKey.parse(key));
    }

    /**
     * Deletes the object; into the bucket's trash unless its retention is 0.
     *
     * @return the removed version if its blocks may be freed now (empty when trashed or absent)
     */
    public Optional<ObjectInfo> deleteObject(String bucket, String key, long deletedMillis, WriteCondition condition) {
        BucketInfo b = getBucket(bucket);
        ObjectKey k = ObjectKey.parse(key);
        check(condition, b, k);
        ZoneStamp replaced = journal.zoned() ? objectStamp(b, k) : null;
        Optional<ObjectInfo> removed = remove(b, k, deletedMillis, true);
        logGone(b, key, replaced, deletedMillis);
        return removed;
    }

    /** See {@link io.mooseng.core.metadata.ObjectNamespace#deleteObjectVersion}; {@code versionId} null for the current version. */
    public VersionDeleted deleteObjectVersion(String bucket, String key, String versionId, long deletedMillis, WriteCondition condition,
                                              boolean bypassGovernance) {
        BucketInfo b = getBucket(bucket);
        ObjectKey k = ObjectKey.parse(key);
        checkVersionId(versionId);
        check(condition, b, k);
        if (versionId == null && !VersionedKeys.applies(b, k)) {
            Optional<ObjectInfo> removed = deleteObject(bucket, key, deletedMillis, null);
            return new VersionDeleted(null, false, removed);
        }
        ZoneStamp replaced = journal.zoned() ? objectStamp(b, k) : null;
        if (versionId == null) {
            VersionDeleted marked = versioned.deleteCurrent(b, k, deletedMillis);
            logGone(b, key, replaced, deletedMillis);
            return marked;
        }
        VersionedKeys.Removal removal = versioned.deleteVersion(b, k, versionId, deletedMillis, bypassGovernance);
        if (replaced != null && VersionedKeys.applies(b, k) && !VersionIds.NULL.equals(versionId)) {
            // the version goes in every zone (one arriving later stays out), and each recomputes the key's current one alike
            ZoneStamp stamp = stampAfter(replaced, deletedMillis);
            journal.setVersionRemoved(bucket, key, versionId, stamp);
            journal.appendVersion(Kind.DELETE_VERSION, bucket, key, stamp, versionId);
        } else if (removal.promoted()) {
            journal.tombstone(bucket, key).ifPresent(journal::observe);
            logName(b, key, deletedMillis);
        } else if (removal.latestRemoved() && !removal.deleted().deleteMarker()) {
            logGone(b, key, replaced, deletedMillis);
        }
        return removal.deleted();
    }

    /** @see ObjectLocks#setRetention */
    public ObjectInfo setObjectRetention(String bucket, String key, String versionId, ObjectLock.Mode mode, long untilMillis,
                                         boolean bypassGovernance, long nowMillis) {
        checkVersionId(versionId);
        return locks.setRetention(getBucket(bucket), ObjectKey.parse(key), versionId, mode, untilMillis, bypassGovernance, nowMillis);
    }

    /** @see ObjectLocks#setLegalHold */
    public ObjectInfo setObjectLegalHold(String bucket, String key, String versionId, boolean on) {
        checkVersionId(versionId);
        return locks.setLegalHold(getBucket(bucket), ObjectKey.parse(key), versionId, on);
    }

    /**
     * The mount cannot bypass a lock: a locked file (the current version of its key) is neither removed, renamed,
     * replaced by a rename nor rewritten in place; S3 writes make new versions instead.
     *
     * @param movesSubtree the key is a rename's source: a non-empty directory there is refused too
     */
    private void refuseLocked(BucketInfo b, String key, long nowMillis, boolean movesSubtree) {
        if (b.policy().objectLock() == null) {
            return;
        }
        NamespaceEntry e;
        try {
            e = posix.lookup(b, ObjectKey.parse(key));
        } catch (MooseException missing) {
            return; // the operation reports what is absent
        }
        if (!e.directory()) {
            ObjectLocks.checkRemovable(new ObjectInfo(b.name(), key, e.inode(), e.manifest()), nowMillis, false);
        } else if (movesSubtree && tree.hasChildren(e.inode())) {
            // the keys of the files under it would change under their locks; finding whether any is locked would walk the subtree
            throw new MooseException(ErrorCode.OBJECT_LOCKED, b.name() + "/" + key + ": a directory with entries is not moved in a bucket "
                    + "with object lock");
        }
    }

    /** As {@link #refuseLocked} for S3's delete of the key's object (not the directory of its name). */
    private void refuseLockedObject(BucketInfo b, ObjectKey k, long nowMillis) {
        if (b.policy().objectLock() == null || k.directoryMarker()) {
            return;
        }
        ObjectInfo current;
        try {
            current = tree.get(b, k);
        } catch (MooseException missing) {
            return; // the operation reports what is absent
        }
        ObjectLocks.checkRemovable(current, nowMillis, false);
    }

    /** A version of a key by id, or with {@code versionId} null its newest: see {@link VersionedKeys#get}. */
    public ObjectVersion getObjectVersion(String bucket, String key, String versionId) {
        checkVersionId(versionId);
        return versioned.get(getBucket(bucket), ObjectKey.parse(key), versionId);
    }

    public VersionListPage listObjectVersions(String bucket, VersionListRequest request) {
        return VersionLister.list(kv, tree, versions, getBucket(bucket), request);
    }

    private static void checkVersionId(String versionId) {
        if (versionId != null && !VersionIds.valid(versionId)) {
            throw new MooseException(ErrorCode.INVALID_ARGUMENT, "Invalid version id specified");
        }
    }

    /** @param notify queue the bucket's notifications of the removal (a local delete; not a peer zone's) */
    private Optional<ObjectInfo> remove(BucketInfo b, ObjectKey k, long deletedMillis, boolean notify) {
        refuseLockedObject(b, k, deletedMillis);
        boolean toTrash = b.policy().trashRetentionMillis() != 0 && !k.directoryMarker();
        Optional<ObjectInfo> removed = tree.delete(b, k, toTrash, deletedMillis);
        if (notify && removed.isPresent()) {
            notifications.record(b, k.key(), NotificationRule.REMOVED_DELETE, 0, "", deletedMillis);
        }
        if (toTrash && removed.isPresent()) {
            trash.add(removed.get(), deletedMillis);
            return Optional.empty();
        }
        return removed;
    }

    // ---- multisite

    public IdentitySnapshot identities(long knownVersion) {
        return identities.snapshot(knownVersion);
    }

    public IdentitySnapshot bootstrapIdentity(byte[] clusterKey, UserAccount admin, AccessKeyRecord adminKey) {
        return identities.bootstrap(clusterKey, admin, adminKey);
    }

    public UserAccount putUser(UserAccount user, boolean create) {
        return replicatedIdentities.putUser(user, create);
    }

    public boolean removeUser(String name) {
        return replicatedIdentities.removeUser(name);
    }

    public AccessKeyRecord addAccessKey(AccessKeyRecord key) {
        return replicatedIdentities.addKey(key);
    }

    public boolean setAccessKeyEnabled(String accessKey, boolean enabled) {
        return replicatedIdentities.setKeyEnabled(accessKey, enabled);
    }

    public boolean revokeAccessKey(String accessKey) {
        return replicatedIdentities.revokeKey(accessKey);
    }

    /** Every user and key with its stamp and removed ones' tombstones, for a peer's full sync. */
    public List<SyncEntry> syncIdentities() {
        return replicatedIdentities.listing();
    }

    /**
     * Applies a peer's user or key change last-writer-wins, a key with its secret sealed to this
     * zone's cluster key ({@code sealedHere}; null: the change came without it, see {@link ReplicatedIdentities#applyRemote}).
     */
    public RemoteApplied applyRemoteIdentity(SyncEntry entry, byte[] sealedHere) {
        if (!journal.zoned()) {
            throw new MooseException(ErrorCode.INVALID_ARGUMENT, "this cluster belongs to no zonegroup");
        }
        Optional<byte[]> logged = replicatedIdentities.applyRemote(entry, sealedHere);
        logged.ifPresent(payload -> {
            journal.observe(entry.stamp());
            journal.appendApplied(entry, payload);
        });
        return logged.isPresent() ? new RemoteApplied(true, Optional.empty()) : RemoteApplied.SKIPPED;
    }

    public boolean resealAccessKey(String accessKey, byte[] expected, byte[] sealed) {
        return identities.resealKey(accessKey, expected, sealed);
    }

    public boolean registerClusterKey(byte[] expected, byte[] clusterKey) {
        return identities.registerClusterKey(expected, clusterKey);
    }

    public SyncState syncState() {
        return journal.state();
    }

    public SyncState configureZone(String localZone, Zonegroup group) {
        return journal.configure(localZone, group);
    }

    public long[] syncLogHeads() {
        return journal.heads();
    }

    public long[] syncReplicated() {
        return journal.replicated();
    }

    public SyncLogPage readSyncLog(int shard, long after, int limit) {
        return journal.read(shard, after, limit);
    }

    /** See {@link SyncLog#trimSyncLog}. */
    public void trimSyncLog(long[] consumed, long keepAtMost) {
        if (consumed.length != SyncEntry.SHARDS || keepAtMost < 0) {
            throw new MooseException(ErrorCode.INVALID_ARGUMENT, "a position per shard and a non-negative bound are needed");
        }
        long[] heads = journal.heads();
        for (int s = 0; s < SyncEntry.SHARDS; s++) {
            journal.trim(s, Math.max(consumed[s], heads[s] - keepAtMost), consumed[s], SyncLog.TRIM_BATCH);
        }
    }

    public long[] syncCursors(String peer) {
        byte[] v = kv.get(Table.META, NamespaceSchema.cursorKey(peer));
        return v == null ? new long[0] : NamespaceSchema.decode(ModelCodec.LONGS, v);
    }

    public void saveSyncCursors(String peer, long[] cursors) {
        if (cursors.length != SyncEntry.SHARDS) {
            throw new MooseException(ErrorCode.INVALID_ARGUMENT, "a cursor per shard is needed: " + SyncEntry.SHARDS);
        }
        kv.put(Table.META, NamespaceSchema.cursorKey(peer), NamespaceSchema.encode(ModelCodec.LONGS, cursors));
    }

    public AntiEntropyRun antiEntropyRun(String peer) {
        byte[] v = kv.get(Table.META, NamespaceSchema.antiEntropyKey(peer));
        return v == null ? null : NamespaceSchema.decode(ModelCodec.ANTI_ENTROPY_RUN, v);
    }

    public void saveAntiEntropyRun(String peer, AntiEntropyRun run) {
        kv.put(Table.META, NamespaceSchema.antiEntropyKey(peer), NamespaceSchema.encode(ModelCodec.ANTI_ENTROPY_RUN, run));
    }

    public boolean syncPaused() {
        return kv.get(Table.META, NamespaceSchema.SYNC_PAUSED_KEY) != null;
    }

    public void pauseSync(boolean paused) {
        if (paused) {
            kv.put(Table.META, NamespaceSchema.SYNC_PAUSED_KEY, new byte[]{(byte) NamespaceSchema.VALUE_VERSION});
        } else {
            kv.delete(Table.META, NamespaceSchema.SYNC_PAUSED_KEY);
        }
    }

    public List<ParkedChange> parkedChanges(String peer) {
        byte[] v = kv.get(Table.META, NamespaceSchema.parkedKey(peer));
        return v == null ? List.of() : NamespaceSchema.decode(ModelCodec.PARKED, v);
    }

    public void saveParkedChanges(String peer, List<ParkedChange> parked) {
        List<ParkedChange> kept = parked.size() > SyncLog.MAX_PARKED ? parked.subList(0, SyncLog.MAX_PARKED) : parked;
        if (kept.isEmpty()) {
            kv.delete(Table.META, NamespaceSchema.parkedKey(peer));
        } else {
            kv.put(Table.META, NamespaceSchema.parkedKey(peer), NamespaceSchema.encode(ModelCodec.PARKED, kept));
        }
    }

    /** Every bucket as a creation with its current settings, and deleted buckets' tombstones. */
    public List<SyncEntry> syncBuckets() {
        List<SyncEntry> out = new ArrayList<>();
        for (BucketInfo b : listBuckets()) {
            out.add(journal.listed(Kind.CREATE_BUCKET, b.name(), "", bucketStamp(b.name()), 0, "", false,
                    NamespaceSchema.encode(ModelCodec.BUCKET, b)));
        }
        out.addAll(journal.bucketTombstones());
        return out;
    }

    /** A bucket's objects after {@code afterKey} and the tombstones among them, in key order. */
    public List<SyncEntry> syncListing(String bucket, String afterKey, int limit) {
        BucketInfo b = getBucket(bucket);
        ListPage page = Lister.list(kv, tree, b.inode(), new ListRequest("", null, afterKey, limit));
        List<SyncEntry> out = new ArrayList<>();
        for (ObjectSummary s : page.objects()) {
            ObjectManifest m = tree.get(b, ObjectKey.parse(s.key())).manifest();
            out.add(journal.listedPut(bucket, s.key(), m));
        }
        String last = page.truncated() && !out.isEmpty() ? out.getLast().key() : null;
        for (SyncEntry t : journal.tombstones(bucket, afterKey == null ? "" : afterKey, limit)) {
            if (last == null || Utf8Order.compare(t.key(), last) <= 0) {
                out.add(t);
            }
        }
        out.sort(java.util.Comparator.comparing(SyncEntry::key, Utf8Order::compare));
        out = out.size() > limit ? new ArrayList<>(out.subList(0, limit)) : out;
        return b.policy().versioning().keepsVersions() ? withNoncurrentVersions(b, afterKey, limit, out) : out;
    }

    /**
     * A listing page of a bucket that keeps versions, with every key's noncurrent versions and delete markers that have
     * an id, under it (a zone joining gets the history, not just the current versions): up to the page's last key when
     * the page is full, else up to where the rows read end (a key's rows all in one page); and the versions removed by id
     * whose tombstones are kept (a zone that missed the removal drops them). A key's tombstone is left out where its
     * delete marker is listed with the same stamp (applied without its id it would make another marker).
     */
    private List<SyncEntry> withNoncurrentVersions(BucketInfo b, String afterKey, int limit, List<SyncEntry> page) {
        // null versions are left out: last-writer-wins keeps only the newest, which the page has
        List<Versions.Row> rows = versions.withIdsAfter(b.name(), afterKey, limit);
        List<SyncEntry> removed = journal.removedVersions(b.name(), afterKey, limit);
        // each source is complete up to its last key; a full one ends the page there
        String last = null;
        for (String end : java.util.Arrays.asList(page.size() >= limit ? page.getLast().key() : null,
                rows.size() >= limit ? rows.getLast().key() : null, removed.size() >= limit ? removed.getLast().key() : null)) {
            last = end != null && (last == null || Utf8Order.compare(end, last) < 0) ? end : last;
        }
        java.util.Set<String> markers = new java.util.HashSet<>();
        List<SyncEntry> out = new ArrayList<>();
        for (Versions.Row r : rows) {
            if (last != null && Utf8Order.compare(r.key(), last) > 0) {
                break;
            }
            ZoneStamp stamp = versions.stampOf(b.name(), r);
            if (r.deleteMarker()) {
                markers.add(r.key() + "\0" + stamp);
                out.add(journal.listed(Kind.DELETE_OBJECT, b.name(), r.key(), stamp, 0, "", false, new byte[0])
                        .withVersionId(r.versionId()));
            } else {
                out.add(journal.listedPut(b.name(), r.key(), versions.object(b.name(), r).manifest()));
            }
        }
        for (SyncEntry e : removed) {
            if (last == null || Utf8Order.compare(e.key(), last) <= 0) {
                out.add(e);
            }
        }
        for (SyncEntry e : page) {
            boolean within = last == null || Utf8Order.compare(e.key(), last) <= 0;
            if (within && !(e.kind() == Kind.DELETE_OBJECT && markers.contains(e.key() + "\0" + e.stamp()))) {
                out.add(e);
            }
        }
        out.sort(java.util.Comparator.comparing(SyncEntry::key, Utf8Order::compare)); // stable: a key's rows stay newest first
        return out;
    }

    /**
     * A page of the bucket's anti-entropy digest over {@code range}: see {@link SyncLog#syncDigest}.
     * Reads one listing page, so the work per call is bounded by {@code limit}.
     */
    public SyncDigest syncDigest(String bucket, String range, String peer, String afterKey, int limit, boolean withEntries) {
        List<SyncEntry> page = syncListing(bucket, afterKey, limit);
        SyncRule rule = getBucket(bucket).policy().syncRule();
        String local = journal.state().localZone();
        long[] hashes = new long[SyncDigest.CHILDREN];
        long[] counts = new long[SyncDigest.CHILDREN];
        List<SyncEntry> entries = new ArrayList<>();
        for (SyncEntry e : page) {
            int child = SyncDigest.childOf(range, SyncDigest.place(e.key()));
            // removals by id are not compared: each zone collects their tombstones on its own trim, so they differ for a while
            if (child < 0 || e.kind() == Kind.DELETE_VERSION || !SyncDigest.compared(rule, e, local, peer)) {
                continue;
            }
            hashes[child] += SyncDigest.hash(e);
            counts[child]++;
            if (withEntries) {
                entries.add(e);
            }
        }
        return new SyncDigest(hashes, counts, entries, page.size() < limit ? null : page.getLast().key());
    }

    /** Applies a peer's change unless this zone has it or a later change of the same name: see {@link SyncLog#applyRemote}. */
    public RemoteApplied applyRemote(SyncEntry entry, ObjectManifest content) {
        if (entry.identityChange()) {
            return applyRemoteIdentity(entry, null);
        }
        if (!journal.zoned()) {
            throw new MooseException(ErrorCode.INVALID_ARGUMENT, "this cluster belongs to no zonegroup");
        }
        RemoteApplied outcome = switch (entry.kind()) {
            case PUT_OBJECT -> applyRemotePut(entry, content);
            case DELETE_OBJECT -> applyRemoteDelete(entry);
            case DELETE_VERSION -> applyRemoteVersionRemoval(entry);
            case CREATE_BUCKET, BUCKET_SETTINGS -> applyRemoteBucket(entry);
            case DELETE_BUCKET -> applyRemoteBucketDelete(entry);
            case USER, DELETE_USER, ACCESS_KEY, DELETE_ACCESS_KEY -> throw new IllegalStateException("applied above");
        };
        if (outcome.applied()) {
            journal.observe(entry.stamp());
            journal.appendApplied(entry, entry.payload());
        }
        return outcome;
    }

    private RemoteApplied applyRemotePut(SyncEntry entry, ObjectManifest content) {
        BucketInfo b = getBucket(entry.bucket());
        ObjectKey k = ObjectKey.parse(entry.key());
        boolean byVersion = keptById(b, k, entry);
        if (byVersion ? journal.versionRemoved(b.name(), k.key(), entry.versionId()) : !entry.stamp().after(objectStamp(b, k))) {
            return RemoteApplied.SKIPPED;
        }
        ObjectManifest remote = SyncJournal.attributesFrom(entry.payload());
        // a small object's content came with the entry; check its bytes as any other content's
        ObjectManifest local = content != null ? content : inlineContent(entry, remote);
        ObjectManifest m = oneName(remote.onLocalContent(local).withStamp(entry.stamp()));
        if (local.size() != m.size() || ETags.isMd5(m.etag()) && !m.etag().equals(local.etag())) {
            throw new MooseException(ErrorCode.BAD_DIGEST, "the content fetched for " + entry.bucket() + "/" + entry.key()
                    + " is not the version " + m.etag() + " of " + m.size() + " bytes");
        }
        if (byVersion) {
            boolean newest = entry.stamp().after(versioned.newestStamp(b, k));
            RemoteApplied outcome = versioned.putRemote(b, k, entry.versionId(), entry.stamp(), ObjectLocks.forNewVersion(b, m),
                    m.mtimeMillis());
            if (outcome.applied() && newest) {
                journal.clearTombstone(b.name(), k.key());
            }
            return outcome;
        }
        StoredObject stored = store(b, k, m);
        journal.clearTombstone(b.name(), k.key());
        return new RemoteApplied(true, stored.replaced());
    }

    /** A peer's file is an inode of its own here with one name: a hard link made in its zone travels as a second object. */
    private static ObjectManifest oneName(ObjectManifest m) {
        PosixAttributes p = m.posix();
        return p == null || p.nlink() <= 1 ? m : m.withAttributes(m.mtimeMillis(), m.properties(), p.withLinks(1));
    }

    /**
     * Whether a peer's change of the key is one version, kept by its id (the bucket here has versioning enabled and the
     * change names a version): versions are kept whatever their stamps, the newest current. Else last-writer-wins
     * decides the key's one object (unversioned) or null version (suspended).
     */
    private static boolean keptById(BucketInfo b, ObjectKey k, SyncEntry entry) {
        if (entry.versionId() == null || !VersionedKeys.applies(b, k) || b.policy().versioning() != Versioning.ENABLED) {
            return false;
        }
        if (VersionIds.sequence(entry.versionId()).isEmpty()) {
            throw new MooseException(ErrorCode.INVALID_ARGUMENT, "a peer's change of " + b.name() + "/" + k.key()
                    + " names no valid version id: " + entry.versionId());
        }
        return true;
    }

    private static ObjectManifest inlineContent(SyncEntry entry, ObjectManifest remote) {
        if (!entry.inline() || remote.inlineData() == null) {
            throw new MooseException(ErrorCode.INVALID_ARGUMENT, "a put of " + entry.bucket() + "/" + entry.key() + " needs its content");
        }
        byte[] data = remote.inlineData();
        return new ObjectManifest(data.length, ETags.md5Hex(data), remote.mtimeMillis(), remote.properties(), remote.storageClass(),
                List.of(), data);
    }

    private RemoteApplied applyRemoteDelete(SyncEntry entry) {
        BucketInfo b = getBucket(entry.bucket());
        ObjectKey k = ObjectKey.parse(entry.key());
        if (keptById(b, k, entry)) {
            return applyRemoteMarker(b, k, entry);
        }
        if (!entry.stamp().after(objectStamp(b, k))) {
            return RemoteApplied.SKIPPED;
        }
        long millis = HybridLogicalClock.physicalMillis(entry.stamp().hlc());
        Optional<ObjectInfo> removed = VersionedKeys.applies(b, k) ? versioned.deleteCurrent(b, k, millis).freed() : remove(b, k, millis, false);
        journal.setTombstone(b.name(), k.key(), entry.stamp());
        return new RemoteApplied(true, removed);
    }

    /** A peer's delete marker, kept under its id among the key's versions (the newest: the key is deleted). */
    private RemoteApplied applyRemoteMarker(BucketInfo b, ObjectKey k, SyncEntry entry) {
        if (journal.versionRemoved(b.name(), k.key(), entry.versionId())) {
            return RemoteApplied.SKIPPED;
        }
        boolean newest = entry.stamp().after(versioned.newestStamp(b, k));
        RemoteApplied outcome = versioned.putRemote(b, k, entry.versionId(), entry.stamp(), null,
                HybridLogicalClock.physicalMillis(entry.stamp().hlc()));
        if (outcome.applied() && newest) {
            journal.setTombstone(b.name(), k.key(), entry.stamp());
        }
        return outcome;
    }

    /**
     * A peer removed one version by its id: removed here too (into the trash as a local removal), the key's newest
     * remaining version current as in the peer; remembered, so a copy of the version arriving later stays out.
     */
    private RemoteApplied applyRemoteVersionRemoval(SyncEntry entry) {
        BucketInfo b = getBucket(entry.bucket());
        ObjectKey k = ObjectKey.parse(entry.key());
        checkVersionId(entry.versionId());
        if (entry.versionId() == null || !VersionedKeys.applies(b, k) || journal.versionRemoved(b.name(), k.key(), entry.versionId())) {
            return RemoteApplied.SKIPPED;
        }
        // its origin zone checked its lock (governance bypassed there or none): a compliance lock or legal hold here still refuses
        long millis = HybridLogicalClock.physicalMillis(entry.stamp().hlc());
        VersionedKeys.Removal removal = versioned.deleteVersion(b, k, entry.versionId(), millis, true);
        journal.setVersionRemoved(b.name(), k.key(), entry.versionId(), entry.stamp());
        return new RemoteApplied(true, removal.deleted().freed());
    }

    /** The stamp a peer's change of the key must beat: the current version's, or the tombstone's. */
    /** See {@link SyncLog#keyStamp}. */
    public ZoneStamp keyStamp(String bucket, String key) {
        return objectStamp(getBucket(bucket), ObjectKey.parse(key));
    }

    private ZoneStamp objectStamp(BucketInfo b, ObjectKey k) {
        try {
            return tree.get(b, k).manifest().effectiveStamp();
        } catch (MooseException e) {
            if (e.code() != ErrorCode.NO_SUCH_KEY) {
                throw e;
            }
            return journal.tombstone(b.name(), k.key()).orElse(ZoneStamp.NONE);
        }
    }

    private ZoneStamp bucketStamp(String name) {
        return journal.bucketStamp(name).map(SyncJournal.ChangeStamp::stamp).orElseGet(() -> {
            byte[] v = kv.get(Table.BUCKETS, bucketKey(name));
            return v == null ? ZoneStamp.NONE : ZoneStamp.unzoned(NamespaceSchema.decodeBucket(name, v).createdMillis());
        });
    }

    private RemoteApplied applyRemoteBucket(SyncEntry entry) {
        if (!entry.stamp().after(bucketStamp(entry.bucket()))) {
            return RemoteApplied.SKIPPED;
        }
        BucketInfo remote = NamespaceSchema.decode(ModelCodec.BUCKET, entry.payload());
        byte[] v = kv.get(Table.BUCKETS, bucketKey(entry.bucket()));
        if (v == null) {
            storeBucket(entry.bucket(), remote.createdMillis(), remote.policy());
        } else {
            BucketInfo local = NamespaceSchema.decodeBucket(entry.bucket(), v);
            kv.put(Table.BUCKETS, bucketKey(entry.bucket()), NamespaceSchema.encodeBucket(
                    new BucketInfo(local.name(), local.inode(), local.createdMillis(), remote.policy())));
        }
        journal.setBucketStamp(entry.bucket(), entry.stamp(), false);
        return new RemoteApplied(true, Optional.empty());
    }

    private RemoteApplied applyRemoteBucketDelete(SyncEntry entry) {
        if (!entry.stamp().after(bucketStamp(entry.bucket()))) {
            return RemoteApplied.SKIPPED;
        }
        if (kv.get(Table.BUCKETS, bucketKey(entry.bucket())) != null) {
            removeBucket(entry.bucket());
        }
        journal.setBucketStamp(entry.bucket(), entry.stamp(), true);
        return new RemoteApplied(true, Optional.empty());
    }

    /** @param path null or empty for the bucket's root */
    public NamespaceEntry lookup(String bucket, String path) {
        BucketInfo b = getBucket(bucket);
        return path == null || path.isEmpty() ? posix.root(b) : posix.lookup(b, ObjectKey.parse(path));
    }

    /** @param dir null or empty for the bucket's root */
    public List<NamespaceEntry> readDirectory(String bucket, String dir, String after, int limit) {
        return posix.readDirectory(getBucket(bucket), dir == null || dir.isEmpty() ? null : ObjectKey.parse(dir), after, limit);
    }

    /** @param inode an id the client reserved, or 0 */
    public ObjectInfo createEntry(String bucket, String key, ObjectManifest manifest, long inode) {
        if (inode != 0 && (!ids.isEarlier(inode) || kv.get(Table.INODES, inodeKey(inode)) != null)) {
            throw new MooseException(ErrorCode.INVALID_ARGUMENT, "inode " + inode + " was not reserved, or is in use");
        }
        BucketInfo b = getBucket(bucket);
        ObjectKey k = ObjectKey.parse(key);
        ObjectManifest m = VersionedKeys.applies(b, k) ? mountVersions.created(b, k, manifest) : manifest;
        ObjectInfo created = posix.create(b, k, m, inode);
        return logName(b, key, manifest.mtimeMillis()).orElse(created);
    }

    // ---- directory leases

    public Leases leases() {
        return leases;
    }

    /** Leases a directory ("" = the bucket's root) that exists to {@code holder}. */
    public void acquireLease(String bucket, String dir, UUID holder) {
        BucketInfo b = getBucket(bucket);
        if (b.policy().objectLock() != null) {
            // a change answered before its commit could not report a lock's refusal: here every change commits first
            throw new MooseException(ErrorCode.INVALID_BUCKET_STATE, "a bucket with object lock is never leased");
        }
        if (!dir.isEmpty() && !posix.lookup(b, ObjectKey.parse(dir)).directory()) {
            throw new MooseException(ErrorCode.NOT_A_DIRECTORY, bucket + "/" + dir + " is not a directory");
        }
        leases.acquire(new LeasedDirectory(bucket, dir), holder);
    }

    public long reserveInodes(int count) {
        return ids.reserve(count);
    }

    /** @param key the name the caller reached the inode by (null: unknown, and the change is then not replicated) */
    public InodeUpdated updateInode(String bucket, long inode, InodeUpdate update, String key) {
        BucketInfo b = getBucket(bucket);
        if (update.content() != null && b.policy().objectLock() != null && kv.get(Table.INODES, inodeKey(inode)) != null) {
            ObjectLocks.checkRemovable(new ObjectInfo(bucket, key == null ? "inode " + inode : key, inode, tree.inode(inode).manifest()),
                    update.changedMillis(), false);
        }
        // the bucket's root ("") and paths deeper than a key may be changed through the mount too: they have no versions
        ObjectKey k = update.content() == null || key == null ? null : keyOrNull(key);
        InodeUpdated updated = update.content() != null && k != null && VersionedKeys.applies(b, k) && mountVersions.isCurrent(b, k, inode)
                ? mountVersions.update(b, k, inode, update) : posix.update(b, inode, update);
        if (key == null || !journal.zoned()) {
            return updated;
        }
        try {
            if (posix.lookup(b, ObjectKey.parse(key)).inode() != inode) {
                return updated;
            }
        } catch (MooseException e) {
            return updated;
        }
        return logName(b, key, update.changedMillis()).map(o -> new InodeUpdated(o.manifest(), updated.freed())).orElse(updated);
    }

    public Optional<ObjectInfo> rename(String bucket, String from, String to, RenameMode mode, long changedMillis) {
        BucketInfo b = getBucket(bucket);
        refuseLocked(b, from, changedMillis, true);
        refuseLocked(b, to, changedMillis, mode == RenameMode.EXCHANGE);
        if (mode == RenameMode.EXCHANGE) {
            exchange(b, from, to, changedMillis);
            return Optional.empty();
        }
        ZoneStamp moved = journal.zoned() ? stampOfName(b, from) : null;
        ObjectKey fromKey = ObjectKey.parse(from);
        ObjectKey toKey = ObjectKey.parse(to);
        boolean versioned = VersionedKeys.applies(b, toKey);
        NamespaceEntry source = versioned ? posix.lookup(b, fromKey) : null;
        NamespaceEntry target = versioned ? entryOrNull(b, toKey) : null;
        // a file moving to another name is a new version there (rename(2) of a name onto its own file changes nothing)
        boolean versionedFile = versioned && !source.directory() && (target == null || target.inode() != source.inode());
        // the replaced file is kept, so only dropped null versions are freed (the first found: another's shards are left to
        // garbage collection)
        Optional<ObjectInfo> dropped = versionedFile && mode != RenameMode.NO_REPLACE && target != null && !target.directory()
                ? mountVersions.beforeRename(b, toKey, changedMillis) : Optional.empty();
        String movedKey = moved != null ? objectKeyOfName(b, from) : from;
        Optional<ObjectInfo> replaced = posix.rename(b, fromKey, toKey, mode == RenameMode.NO_REPLACE, changedMillis);
        if (versionedFile) {
            Optional<ObjectInfo> fromDropped = mountVersions.afterRename(b, fromKey, toKey, changedMillis);
            replaced = replaced.or(() -> dropped).or(() -> fromDropped);
        }
        if (moved != null) {
            boolean directory = posix.lookup(b, ObjectKey.parse(to)).directory();
            logGone(b, directory ? dirKey(from) : movedKey, moved, changedMillis);
            logName(b, to, changedMillis);
            if (directory) {
                logMovedSubtree(b, dirKey(from), dirKey(to), changedMillis);
            }
        }
        return replaced;
    }

    /**
     * A directory's rename moves every name under it: in a zone each travels as a delete of its
     * old key and a put of its new one. Peers apply changes key by key, last writer wins, so
     * they converge on the same tree whatever renames cross in other zones (a name moved both
     * ways ends under both new paths' winner, never in a cycle: paths are keys). The rename's
     * batch holds two entries per name under the directory, so past
     * {@link #MAX_NAMES_MOVED_IN_A_ZONE} names the rename fails and its command's savepoint takes
     * back everything it wrote.
     */
    private void logMovedSubtree(BucketInfo b, String fromPrefix, String toPrefix, long wallMillis) {
        String after = toPrefix;
        int names = 0;
        while (true) {
            ListPage page = Lister.list(kv, tree, b.inode(), new ListRequest(toPrefix, null, after, SUBTREE_PAGE));
            names += page.objects().size();
            if (names > MAX_NAMES_MOVED_IN_A_ZONE) {
                throw new MooseException(ErrorCode.DIRECTORY_TOO_LARGE_TO_MOVE, "directory " + fromPrefix + " holds more than "
                        + MAX_NAMES_MOVED_IN_A_ZONE + " names: in a zone, rename it by copying");
            }
            for (ObjectSummary moved : page.objects()) {
                String rest = moved.key().substring(toPrefix.length());
                ObjectInfo now = tree.get(b, ObjectKey.parse(moved.key()));
                logGone(b, fromPrefix + rest, now.manifest().effectiveStamp(), wallMillis);
                // by its S3 key: a file beside a directory of its name is not what its mount name finds
                logKey(b, moved.key(), now.inode(), now.manifest(), wallMillis);
                after = moved.key();
            }
            if (!page.truncated()) {
                return;
            }
        }
    }

    private NamespaceEntry entryOrNull(BucketInfo b, ObjectKey key) {
        try {
            return posix.lookup(b, key);
        } catch (MooseException e) {
            if (e.code() != ErrorCode.NO_SUCH_KEY) {
                throw e;
            }
            return null;
        }
    }

    /** Both names change what they hold; in a zone each travels as a put, after a delete of its old kind's key when kinds differ. */
    private void exchange(BucketInfo b, String first, String second, long changedMillis) {
        NamespaceEntry wasFirst = journal.zoned() ? posix.lookup(b, ObjectKey.parse(first)) : null;
        NamespaceEntry wasSecond = journal.zoned() ? posix.lookup(b, ObjectKey.parse(second)) : null;
        posix.exchange(b, ObjectKey.parse(first), ObjectKey.parse(second), changedMillis);
        if (wasFirst != null && wasFirst.directory() != wasSecond.directory()) {
            logGone(b, wasFirst.directory() ? dirKey(first) : first, stampOfName(b, second), changedMillis);
            logGone(b, wasSecond.directory() ? dirKey(second) : second, stampOfName(b, first), changedMillis);
        }
        logName(b, first, changedMillis);
        logName(b, second, changedMillis);
    }

    public NamespaceEntry link(String bucket, String existing, String newKey, long changedMillis) {
        BucketInfo b = getBucket(bucket);
        NamespaceEntry linked = posix.link(b, ObjectKey.parse(existing), ObjectKey.parse(newKey), changedMillis);
        logName(b, newKey, changedMillis);
        return linked;
    }

    /**
     * Logs what a name the mount changed holds now, as an object change peers apply (a put
     * of its version, restamped in place; a delete when it is gone). A directory travels as
     * its marker key; the names under a renamed one by {@link #logMovedSubtree}.
     *
     * @return the object as now stored, when the cluster is a zone and the name holds one
     */
    private Optional<ObjectInfo> logName(BucketInfo b, String key, long wallMillis) {
        if (!journal.zoned()) {
            return Optional.empty();
        }
        NamespaceEntry e = posix.lookup(b, ObjectKey.parse(key));
        if (e.manifest() == null) {
            return Optional.empty(); // a directory only implied by its children: no marker to log
        }
        return Optional.of(logKey(b, e.directory() ? dirKey(key) : posix.objectKey(b, ObjectKey.parse(key)), e.inode(),
                e.manifest(), wallMillis));
    }

    /** Logs a put of what S3 key {@code s3Key} (a file's, or a marker's ending in "/") holds, restamped in place. */
    private ObjectInfo logKey(BucketInfo b, String s3Key, long inode, ObjectManifest current, long wallMillis) {
        ObjectManifest m = current.withStamp(stampAfter(current.effectiveStamp(), wallMillis));
        kv.put(Table.INODES, inodeKey(inode), NamespaceSchema.encodeInode(s3Key.endsWith("/")
                ? InodeRecord.explicitDirectory(m) : InodeRecord.file(m)));
        journal.clearTombstone(b.name(), s3Key);
        journal.appendPut(b.name(), s3Key, m);
        return new ObjectInfo(b.name(), s3Key, inode, m);
    }

    /** @param replaced the stamp of what was at the name before (null when the cluster is no zone) */
    private void logGone(BucketInfo b, String s3Key, ZoneStamp replaced, long wallMillis) {
        if (replaced != null) {
            ZoneStamp stamp = stampAfter(replaced, wallMillis);
            ObjectKey k = ObjectKey.parse(s3Key);
            // a delete marker written for it travels under its id, its stamp placing it among versions peers add later
            String markerId = VersionedKeys.applies(b, k) ? versioned.stampNewMarker(b, k, stamp) : null;
            journal.setTombstone(b.name(), s3Key, stamp);
            journal.appendVersion(Kind.DELETE_OBJECT, b.name(), s3Key, stamp, markerId);
        }
    }

    /** The stamp of what a mount's name holds now (a directory: its marker's), or ZoneStamp.NONE. */
    private ZoneStamp stampOfName(BucketInfo b, String key) {
        try {
            ObjectManifest m = posix.lookup(b, ObjectKey.parse(key)).manifest();
            return m == null ? ZoneStamp.NONE : m.effectiveStamp();
        } catch (MooseException e) {
            return ZoneStamp.NONE;
        }
    }

    /** The S3 key of a file the mount names {@code key} (a twin name stands for its object's key), or {@code key} if none. */
    private String objectKeyOfName(BucketInfo b, String key) {
        try {
            return posix.objectKey(b, ObjectKey.parse(key));
        } catch (MooseException e) {
            return key;
        }
    }

    /** The key of a mount's name, or null when the name is no S3 key (the bucket's root, a path over 1,024 bytes). */
    private static ObjectKey keyOrNull(String name) {
        try {
            return ObjectKey.parse(name);
        } catch (MooseException e) {
            return null;
        }
    }

    private static String dirKey(String key) {
        return key.endsWith("/") ? key : key + "/";
    }

    /** As {@link #deleteObject}, with rmdir/unlink checks; a file's last name goes to the trash unless retention is 0. */
    public Optional<ObjectInfo> unlink(String bucket, String key, boolean directory, long deletedMillis) {
        BucketInfo b = getBucket(bucket);
        if (!directory) {
            refuseLocked(b, key, deletedMillis, false);
        }
        ObjectKey k = ObjectKey.parse(key);
        ZoneStamp was = journal.zoned() ? stampOfName(b, key) : null;
        String s3Key = was != null && !directory ? objectKeyOfName(b, key) : key;
        if (!directory && VersionedKeys.applies(b, k) && !posix.lookup(b, k).directory()) {
            Optional<ObjectInfo> freed = mountVersions.unlink(b, k, deletedMillis);
            logGone(b, s3Key, was, deletedMillis);
            return freed;
        }
        boolean toTrash = b.policy().trashRetentionMillis() != 0 && !directory;
        Optional<ObjectInfo> removed = posix.unlink(b, k, directory, toTrash, deletedMillis);
        logGone(b, directory ? dirKey(key) : s3Key, was, deletedMillis);
        if (toTrash && removed.isPresent()) {
            trash.add(removed.get(), deletedMillis);
            return Optional.empty();
        }
        return removed;
    }

    /** @see Tree#replaceManifest */
    public ObjectInfo replaceManifest(String bucket, String key, long inode, ObjectManifest manifest) {
        // re-coding and tag changes keep the version's lock: only its own commands change it
        byte[] old = kv.get(Table.INODES, inodeKey(inode));
        ObjectManifest before = old == null ? null : NamespaceSchema.decodeInode(old).manifest();
        ObjectManifest kept = before == null ? manifest : manifest.withLock(before.lock());
        BucketInfo b = getBucket(bucket);
        ObjectKey k = ObjectKey.parse(key);
        // a noncurrent version (tags set by version id, a re-code) is changed where it is kept
        Optional<Versions.Row> row = VersionedKeys.applies(b, k) ? versions.ofInode(bucket, key, inode) : Optional.empty();
        if (row.isPresent()) {
            return tree.replaceInode(versions.object(bucket, row.get()), kept);
        }
        if (before == null || !journal.zoned() || before.properties().tags().equals(kept.properties().tags())) {
            return tree.replaceManifest(b, k, inode, kept);
        }
        // new tags are a change peers apply (a sync rule's tag filter may now let the object through): a put restamped in place
        ObjectManifest restamped = kept.withStamp(stampAfter(before.effectiveStamp(), 0));
        ObjectInfo replaced = tree.replaceManifest(b, k, inode, restamped);
        journal.appendPut(b.name(), k.key(), restamped);
        return replaced;
    }

    /** @see Uploads#reseal */
    public boolean resealUpload(String bucket, String key, String uploadId, byte[] expected, byte[] wrappedKey) {
        return uploads.reseal(bucket, key, uploadId, expected, wrappedKey);
    }

    /** @see Tree#resealObject */
    public boolean resealObject(long inode, byte[] expected, byte[] wrappedKey) {
        return tree.resealObject(inode, expected, wrappedKey);
    }

    public List<BlockRef> scanBlocks(BlockId after, int limit) {
        return tree.blocks().scan(after, limit);
    }

    /** @see BlockIndex#onNode */
    public List<NodeShard> shardsOnNode(String node, ShardId after, int limit) {
        return tree.blocks().onNode(node, after, limit);
    }

    /** Rows in the block table. */
    public long blockCount() {
        return tree.blocks().count();
    }

    public Optional<BlockRef> block(BlockId id) {
        return tree.blocks().get(id);
    }

    public void moveShards(BlockId block, List<ShardMove> moves) {
        tree.blocks().move(block, moves);
    }

    public List<TrashEntry> listTrash(String bucket) {
        getBucket(bucket);
        return trash.list(bucket);
    }

    public ObjectInfo trashedObject(String bucket, long inode) {
        getBucket(bucket);
        return trash.get(bucket, inode);
    }

    public ObjectInfo restoreTrash(String bucket, long inode) {
        BucketInfo b = getBucket(bucket);
        ObjectInfo restored = trash.restore(b, inode);
        if (!journal.zoned()) {
            return restored;
        }
        // the key's tombstone is newer than the restored version: the restore must come after it
        journal.tombstone(bucket, restored.key()).ifPresent(journal::observe);
        return logName(b, restored.key(), 0).orElse(restored);
    }

    public ObjectInfo purgeTrash(String bucket, long inode) {
        getBucket(bucket);
        return trash.purge(bucket, inode);
    }

    public ListPage listObjects(String bucket, ListRequest request) {
        return Lister.list(kv, tree, getBucket(bucket).inode(), request);
    }

    public MultipartUpload createUpload(String bucket, String key, String uploadId, ObjectProperties properties,
                                        StorageClass storageClass, long initiatedMillis) {
        return createUpload(bucket, key, uploadId, properties, storageClass, initiatedMillis, null);
    }

    public MultipartUpload createUpload(String bucket, String key, String uploadId, ObjectProperties properties,
                                        StorageClass storageClass, long initiatedMillis, ObjectEncryption encryption) {
        return createUpload(bucket, key, uploadId, properties, storageClass, initiatedMillis, encryption, null);
    }

    /**
     * @param encryption the data key (wrapped) the parts are encrypted with, or null for plaintext
     * @param checksum   the checksum of the parts and the object, or null for none
     */
    public MultipartUpload createUpload(String bucket, String key, String uploadId, ObjectProperties properties,
                                        StorageClass storageClass, long initiatedMillis, ObjectEncryption encryption,
                                        UploadChecksum checksum) {
        return uploads.create(getBucket(bucket), ObjectKey.parse(key), uploadId, properties, storageClass, initiatedMillis, encryption,
                checksum);
    }

    public MultipartUpload getUpload(String bucket, String key, String uploadId) {
        getBucket(bucket);
        return uploads.get(bucket, key, uploadId);
    }

    public Optional<PartInfo> putPart(String bucket, String key, String uploadId, PartInfo part) {
        getBucket(bucket);
        return uploads.putPart(bucket, key, uploadId, part);
    }

    public List<PartInfo> listParts(String bucket, String key, String uploadId) {
        getBucket(bucket);
        return uploads.parts(bucket, key, uploadId);
    }

    public CompletedUpload completeUpload(String bucket, String key, String uploadId, List<CompletedPart> parts,
                                          long minPartSize, long mtimeMillis, WriteCondition condition) {
        BucketInfo b = getBucket(bucket);
        ObjectKey k = ObjectKey.parse(key);
        check(condition, b, k);
        CompletedUpload done = uploads.complete(b, k, uploadId, parts, minPartSize, mtimeMillis, m -> store(b, k, stamped(b, k, m)));
        logPut(b, k, new StoredObject(done.object(), done.replaced()));
        notifyCreated(b, k, NotificationRule.CREATED_MULTIPART, done.object());
        return done;
    }

    public List<PartInfo> abortUpload(String bucket, String key, String uploadId) {
        getBucket(bucket);
        return uploads.abort(bucket, key, uploadId);
    }

    public List<MultipartUpload> listUploads(String bucket, String prefix) {
        getBucket(bucket);
        return uploads.list(bucket, prefix);
    }

    public void registerChunkserver(ChunkserverInfo info) {
        kv.put(Table.CHUNKSERVERS, NamespaceSchema.nodeKey(info.id()), NamespaceSchema.encodeNode(ModelCodec.CHUNKSERVER, info));
    }

    public Optional<ChunkserverInfo> chunkserver(String id) {
        return node(Table.CHUNKSERVERS, ModelCodec.CHUNKSERVER, id);
    }

    /** Chunkservers in id order. */
    public List<ChunkserverInfo> listChunkservers() {
        return listNodes(Table.CHUNKSERVERS, ModelCodec.CHUNKSERVER);
    }

    public void registerGateway(GatewayInfo info) {
        kv.put(Table.GATEWAYS, NamespaceSchema.nodeKey(info.id()), NamespaceSchema.encodeNode(ModelCodec.GATEWAY, info));
    }

    public Optional<GatewayInfo> gateway(String id) {
        return node(Table.GATEWAYS, ModelCodec.GATEWAY, id);
    }

    /** Gateways in id order. */
    public List<GatewayInfo> listGateways() {
        return listNodes(Table.GATEWAYS, ModelCodec.GATEWAY);
    }

    private <T> List<T> listNodes(Table table, Codec<T> codec) {
        List<T> out = new ArrayList<>();
        try (Cursor c = kv.seek(table, new byte[0])) {
            for (; c.valid(); c.next()) {
                out.add(NamespaceSchema.decodeNode(codec, c.value()));
            }
        }
        return out;
    }

    private <T> Optional<T> node(Table table, Codec<T> codec, String id) {
        byte[] value = kv.get(table, NamespaceSchema.nodeKey(id));
        return value == null ? Optional.empty() : Optional.of(NamespaceSchema.decodeNode(codec, value));
    }
}
