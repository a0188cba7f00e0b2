package io.mooseng.metadata.command;

import io.mooseng.core.model.NotifyTarget;
import io.mooseng.core.metadata.ObjectNamespace.CompletedUpload;
import io.mooseng.core.metadata.PosixNamespace.InodeUpdated;
import io.mooseng.core.metadata.ObjectNamespace.StoredObject;
import io.mooseng.core.model.AccessKeyRecord;
import io.mooseng.core.model.BlockId;
import io.mooseng.core.model.BucketInfo;
import io.mooseng.core.model.MultipartUpload;
import io.mooseng.core.model.NamespaceEntry;
import io.mooseng.core.model.ObjectInfo;
import io.mooseng.core.model.ObjectLock;
import io.mooseng.metadata.codec.Codec;
import io.mooseng.metadata.codec.ModelCodec;
import io.mooseng.core.model.InodeUpdate;
import io.mooseng.core.model.BucketPolicy;
import io.mooseng.core.model.ChunkserverInfo;
import io.mooseng.core.model.RenameMode;
import io.mooseng.core.model.ShardMove;
import io.mooseng.core.model.GatewayInfo;
import io.mooseng.core.model.CompletedPart;
import io.mooseng.core.model.ObjectManifest;
import io.mooseng.core.model.ObjectEncryption;
import io.mooseng.core.model.UploadChecksum;
import io.mooseng.core.model.ObjectProperties;
import io.mooseng.core.model.PartInfo;
import io.mooseng.core.model.StorageClass;
import io.mooseng.core.model.WriteCondition;
import io.mooseng.core.model.VersionDeleted;
import io.mooseng.core.model.RemoteApplied;
import io.mooseng.core.model.ParkedChange;
import io.mooseng.core.model.SyncEntry;
import io.mooseng.core.model.SyncState;
import io.mooseng.core.model.IdentitySnapshot;
import io.mooseng.core.model.UserAccount;
import io.mooseng.core.model.Zonegroup;

import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * A namespace mutation as committed to the Raft log. Everything random or time-based
 * (upload ids, timestamps) is chosen by the submitter and carried here, so applying a
 * command reads nothing but the command, the store and the log index: every replica
 * reaches the same state. {@code R} is what applying it answers.
 */
public sealed interface MetadataCommand<R> {

    /** How the reply to this command is encoded: declared once, used by the state machine and the client. */
    Codec<R> replyCodec();

    record CreateBucket(String name, StorageClass defaultClass, long createdMillis) implements MetadataCommand<BucketInfo> {
        @Override
        public Codec<BucketInfo> replyCodec() {
            return ModelCodec.BUCKET;
        }
    }

    record DeleteBucket(String name) implements MetadataCommand<Void> {
        @Override
        public Codec<Void> replyCodec() {
            return ModelCodec.NONE;
        }
    }

    /** @param condition null for none */
    record PutObject(String bucket, String key, ObjectManifest manifest, WriteCondition condition) implements MetadataCommand<StoredObject> {
        public PutObject(String bucket, String key, ObjectManifest manifest) {
            this(bucket, key, manifest, null);
        }

        @Override
        public Codec<StoredObject> replyCodec() {
            return ModelCodec.STORED_OBJECT;
        }
    }

    /** @param condition null for none */
    record DeleteObject(String bucket, String key, long deletedMillis, WriteCondition condition)
            implements MetadataCommand<Optional<ObjectInfo>> {
        public DeleteObject(String bucket, String key, long deletedMillis) {
            this(bucket, key, deletedMillis, null);
        }

        @Override
        public Codec<Optional<ObjectInfo>> replyCodec() {
            return ModelCodec.OPTIONAL_OBJECT;
        }
    }

    /**
     * A delete as the bucket's versioning says: of version {@code versionId}, or with it null of the current version
     * (a delete marker where the bucket keeps versions). See {@link io.mooseng.core.metadata.ObjectNamespace#deleteObjectVersion}.
     *
     * @param condition null for none
     */
    /** @param bypassGovernance the caller may remove a version under a GOVERNANCE retention (S3 Object Lock) */
    record DeleteObjectVersion(String bucket, String key, String versionId, long deletedMillis, WriteCondition condition,
                               boolean bypassGovernance) implements MetadataCommand<VersionDeleted> {
        public DeleteObjectVersion(String bucket, String key, String versionId, long deletedMillis, WriteCondition condition) {
            this(bucket, key, versionId, deletedMillis, condition, false);
        }

        @Override
        public Codec<VersionDeleted> replyCodec() {
            return ModelCodec.VERSION_DELETED;
        }
    }

    /**
     * Sets an object version's S3 Object Lock retention ({@code mode} null removes it).
     *
     * @param versionId null for the current version
     * @param nowMillis the writer's clock, against which the old retention is judged
     */
    record SetObjectRetention(String bucket, String key, String versionId, ObjectLock.Mode mode, long untilMillis,
                              boolean bypassGovernance, long nowMillis) implements MetadataCommand<ObjectInfo> {
        @Override
        public Codec<ObjectInfo> replyCodec() {
            return ModelCodec.OBJECT;
        }
    }

    /** Puts an S3 Object Lock legal hold on an object version, or lifts it; {@code versionId} null for the current one. */
    record SetObjectLegalHold(String bucket, String key, String versionId, boolean on) implements MetadataCommand<ObjectInfo> {
        @Override
        public Codec<ObjectInfo> replyCodec() {
            return ModelCodec.OBJECT;
        }
    }

    /** @param encryption the data key (wrapped) the parts are encrypted with, or null for plaintext */
    record CreateUpload(String bucket, String key, String uploadId, ObjectProperties properties,
                        StorageClass storageClass, long initiatedMillis, ObjectEncryption encryption, UploadChecksum checksum)
            implements MetadataCommand<MultipartUpload> {
        public CreateUpload(String bucket, String key, String uploadId, ObjectProperties properties,
                            StorageClass storageClass, long initiatedMillis, ObjectEncryption encryption) {
            this(bucket, key, uploadId, properties, storageClass, initiatedMillis, encryption, null);
        }

        public CreateUpload(String bucket, String key, String uploadId, ObjectProperties properties,
                            StorageClass storageClass, long initiatedMillis) {
            this(bucket, key, uploadId, properties, storageClass, initiatedMillis, null);
        }

        @Override
        public Codec<MultipartUpload> replyCodec() {
            return ModelCodec.UPLOAD;
        }
    }

    record PutPart(String bucket, String key, String uploadId, PartInfo part) implements MetadataCommand<Optional<PartInfo>> {
        @Override
        public Codec<Optional<PartInfo>> replyCodec() {
            return ModelCodec.OPTIONAL_PART;
        }
    }

    /** @param condition null for none */
    record CompleteUpload(String bucket, String key, String uploadId, List<CompletedPart> parts,
                          long minPartSize, long mtimeMillis, WriteCondition condition) implements MetadataCommand<CompletedUpload> {
        public CompleteUpload(String bucket, String key, String uploadId, List<CompletedPart> parts, long minPartSize, long mtimeMillis) {
            this(bucket, key, uploadId, parts, minPartSize, mtimeMillis, null);
        }

        @Override
        public Codec<CompletedUpload> replyCodec() {
            return ModelCodec.COMPLETED_UPLOAD;
        }
        public CompleteUpload {
            parts = List.copyOf(parts);
        }
    }

    record AbortUpload(String bucket, String key, String uploadId) implements MetadataCommand<List<PartInfo>> {
        @Override
        public Codec<List<PartInfo>> replyCodec() {
            return ModelCodec.PARTS;
        }
    }

    record RegisterChunkserver(ChunkserverInfo info) implements MetadataCommand<Void> {
        @Override
        public Codec<Void> replyCodec() {
            return ModelCodec.NONE;
        }
    }

    record RegisterGateway(GatewayInfo info) implements MetadataCommand<Void> {
        @Override
        public Codec<Void> replyCodec() {
            return ModelCodec.NONE;
        }
    }

    record SetBucketPolicy(String bucket, BucketPolicy policy) implements MetadataCommand<BucketInfo> {
        @Override
        public Codec<BucketInfo> replyCodec() {
            return ModelCodec.BUCKET;
        }
    }

    record MoveShards(BlockId block, List<ShardMove> moves) implements MetadataCommand<Void> {
        @Override
        public Codec<Void> replyCodec() {
            return ModelCodec.NONE;
        }
        public MoveShards {
            moves = List.copyOf(moves);
        }
    }

    record ReplaceManifest(String bucket, String key, long inode, ObjectManifest manifest) implements MetadataCommand<ObjectInfo> {
        @Override
        public Codec<ObjectInfo> replyCodec() {
            return ModelCodec.OBJECT;
        }
    }

    record RestoreTrash(String bucket, long inode) implements MetadataCommand<ObjectInfo> {
        @Override
        public Codec<ObjectInfo> replyCodec() {
            return ModelCodec.OBJECT;
        }
    }

    record PurgeTrash(String bucket, long inode) implements MetadataCommand<ObjectInfo> {
        @Override
        public Codec<ObjectInfo> replyCodec() {
            return ModelCodec.OBJECT;
        }
    }

    /** The mount's exclusive create (O_EXCL, mkdir), with an inode id the mount reserved (or 0: a new one). */
    record CreateEntry(String bucket, String key, ObjectManifest manifest, long inode) implements MetadataCommand<ObjectInfo> {
        @Override
        public Codec<ObjectInfo> replyCodec() {
            return ModelCodec.OBJECT;
        }
    }

    /** @param key the name the client reached the inode by, for multisite sync; null if unknown */
    record UpdateInode(String bucket, long inode, InodeUpdate update, String key) implements MetadataCommand<InodeUpdated> {
        @Override
        public Codec<InodeUpdated> replyCodec() {
            return ModelCodec.INODE_UPDATED;
        }
    }

    record Rename(String bucket, String from, String to, RenameMode mode, long changedMillis) implements MetadataCommand<Optional<ObjectInfo>> {
        @Override
        public Codec<Optional<ObjectInfo>> replyCodec() {
            return ModelCodec.OPTIONAL_OBJECT;
        }
    }

    record Link(String bucket, String existing, String newKey, long changedMillis) implements MetadataCommand<NamespaceEntry> {
        @Override
        public Codec<NamespaceEntry> replyCodec() {
            return ModelCodec.ENTRY;
        }
    }

    record Unlink(String bucket, String key, boolean directory, long deletedMillis) implements MetadataCommand<Optional<ObjectInfo>> {
        @Override
        public Codec<Optional<ObjectInfo>> replyCodec() {
            return ModelCodec.OPTIONAL_OBJECT;
        }
    }

    /**
     * A command of a lease holder (see {@link io.mooseng.core.metadata.DirectoryLeases}): its own
     * leases do not stand in its way, and it is refused (LEASE_REVOKED) unless {@code fence}
     * is the holder's current fence.
     */
    record Held<R>(UUID holder, long fence, MetadataCommand<R> command) implements MetadataCommand<R> {
        public Held {
            if (command instanceof Held<?> || command instanceof Batch) {
                throw new IllegalArgumentException("a held command holds one plain command");
            }
        }

        @Override
        public Codec<R> replyCodec() {
            return command.replyCodec();
        }
    }

    /** Leases a directory ("" = the bucket's root) to the holder of the enclosing {@link Held}. */
    record AcquireLease(String bucket, String dir) implements MetadataCommand<Void> {
        @Override
        public Codec<Void> replyCodec() {
            return ModelCodec.NONE;
        }
    }

    record ReleaseLease(String bucket, String dir) implements MetadataCommand<Void> {
        @Override
        public Codec<Void> replyCodec() {
            return ModelCodec.NONE;
        }
    }

    /** Takes a silent holder's leases (the leader found it silent) and moves its fence on. */
    record ExpireLeases(UUID holder) implements MetadataCommand<Void> {
        @Override
        public Codec<Void> replyCodec() {
            return ModelCodec.NONE;
        }
    }

    /** Reserves inode ids for a client's creates; answers the first. */
    record ReserveInodes(int count) implements MetadataCommand<Long> {
        @Override
        public Codec<Long> replyCodec() {
            return ModelCodec.LONG;
        }
    }

    /** Names this cluster's zone and adopts a zonegroup configuration (see {@link io.mooseng.core.metadata.SyncLog#configureZone}). */
    record ConfigureZone(String localZone, Zonegroup group) implements MetadataCommand<SyncState> {
        @Override
        public Codec<SyncState> replyCodec() {
            return ModelCodec.SYNC_STATE;
        }
    }

    /** See {@link io.mooseng.core.metadata.IdentityStore#bootstrapIdentity}. */
    record BootstrapIdentity(byte[] clusterKey, UserAccount admin, AccessKeyRecord adminKey) implements MetadataCommand<IdentitySnapshot> {
        @Override
        public Codec<IdentitySnapshot> replyCodec() {
            return ModelCodec.IDENTITIES;
        }
    }

    record PutUser(UserAccount user, boolean create) implements MetadataCommand<UserAccount> {
        @Override
        public Codec<UserAccount> replyCodec() {
            return ModelCodec.USER;
        }
    }

    record RemoveUser(String name) implements MetadataCommand<Boolean> {
        @Override
        public Codec<Boolean> replyCodec() {
            return ModelCodec.BOOLEAN;
        }
    }

    record AddAccessKey(AccessKeyRecord key) implements MetadataCommand<AccessKeyRecord> {
        @Override
        public Codec<AccessKeyRecord> replyCodec() {
            return ModelCodec.ACCESS_KEY;
        }
    }

    /** See {@link io.mooseng.core.metadata.IdentityStore#setAccessKeyEnabled}. */
    record SetAccessKeyEnabled(String accessKey, boolean enabled) implements MetadataCommand<Boolean> {
        @Override
        public Codec<Boolean> replyCodec() {
            return ModelCodec.BOOLEAN;
        }
    }

    record RevokeAccessKey(String accessKey) implements MetadataCommand<Boolean> {
        @Override
        public Codec<Boolean> replyCodec() {
            return ModelCodec.BOOLEAN;
        }
    }

    /**
     * Cluster key rotation: puts {@code wrappedKey} in place of {@code expectedWrappedKey} as the
     * SSE-S3 data key of inode {@code inode} (wherever it is linked, or in the trash), keeping
     * everything else of its manifest. See {@link io.mooseng.core.metadata.ObjectNamespace#resealObject}.
     */
    record ResealObject(String bucket, long inode, byte[] expectedWrappedKey, byte[] wrappedKey) implements MetadataCommand<Boolean> {
        @Override
        public Codec<Boolean> replyCodec() {
            return ModelCodec.BOOLEAN;
        }
    }

    /** Re-seals an upload's data key. See {@link io.mooseng.core.metadata.ObjectNamespace#resealUpload}. */
    record ResealUpload(String bucket, String key, String uploadId, byte[] expectedWrappedKey, byte[] wrappedKey)
            implements MetadataCommand<Boolean> {
        @Override
        public Codec<Boolean> replyCodec() {
            return ModelCodec.BOOLEAN;
        }
    }

    /** See {@link io.mooseng.core.metadata.IdentityStore#resealAccessKey}. */
    record ResealAccessKey(String accessKey, byte[] expectedSealed, byte[] sealed) implements MetadataCommand<Boolean> {
        @Override
        public Codec<Boolean> replyCodec() {
            return ModelCodec.BOOLEAN;
        }
    }

    /** See {@link io.mooseng.core.metadata.IdentityStore#registerClusterKey}. */
    record RegisterClusterKey(byte[] expected, byte[] clusterKey) implements MetadataCommand<Boolean> {
        @Override
        public Codec<Boolean> replyCodec() {
            return ModelCodec.BOOLEAN;
        }
    }

    /** A peer zone's user or key change; a key's secret sealed to this zone's cluster key (null: it came without one). */
    record ApplyRemoteIdentity(SyncEntry entry, byte[] sealedHere) implements MetadataCommand<RemoteApplied> {
        @Override
        public Codec<RemoteApplied> replyCodec() {
            return ModelCodec.REMOTE_APPLIED;
        }
    }

    /** A peer zone's change, with its content as stored here for a put (else null). */
    record ApplyRemote(SyncEntry entry, ObjectManifest content) implements MetadataCommand<RemoteApplied> {
        @Override
        public Codec<RemoteApplied> replyCodec() {
            return ModelCodec.REMOTE_APPLIED;
        }
    }

    record TrimSyncLog(long[] consumed, long keepAtMost) implements MetadataCommand<Void> {
        @Override
        public Codec<Void> replyCodec() {
            return ModelCodec.NONE;
        }
    }

    record SaveParkedChanges(String peer, List<ParkedChange> parked) implements MetadataCommand<Void> {
        @Override
        public Codec<Void> replyCodec() {
            return ModelCodec.NONE;
        }
    }

    record SaveAntiEntropyRun(String peer, io.mooseng.core.model.AntiEntropyRun run) implements MetadataCommand<Void> {
        @Override
        public Codec<Void> replyCodec() {
            return ModelCodec.NONE;
        }
    }

    /** {@code admin sync pause|resume}: this zone's agent pulls nothing while paused. */
    record PauseSync(boolean paused) implements MetadataCommand<Void> {
        @Override
        public Codec<Void> replyCodec() {
            return ModelCodec.NONE;
        }
    }

    record SaveSyncCursors(String peer, long[] cursors) implements MetadataCommand<Void> {
        @Override
        public Codec<Void> replyCodec() {
            return ModelCodec.NONE;
        }
    }

    /** See {@link io.mooseng.core.metadata.NotificationQueue#putNotifyTarget}. */
    record PutNotifyTarget(NotifyTarget target) implements MetadataCommand<Void> {
        @Override
        public Codec<Void> replyCodec() {
            return ModelCodec.NONE;
        }
    }

    record RemoveNotifyTarget(String name) implements MetadataCommand<Boolean> {
        @Override
        public Codec<Boolean> replyCodec() {
            return ModelCodec.BOOLEAN;
        }
    }

    /** Delivered notifications leave the queue. */
    record AckNotifications(long[] sequences) implements MetadataCommand<Void> {
        @Override
        public Codec<Void> replyCodec() {
            return ModelCodec.NONE;
        }
    }

    /**
     * Several commands in one log entry, applied in order, each atomically and with its own
     * result: one failing leaves no write of its own and does not affect the others.
     */
    record Batch(List<MetadataCommand<?>> commands) implements MetadataCommand<Void> {
        /** Never used: a batch's reply is its commands' replies, each in its own codec (see {@link Reply#batch}). */
        @Override
        public Codec<Void> replyCodec() {
            return ModelCodec.NONE;
        }

        public Batch {
            commands = List.copyOf(commands);
            if (commands.stream().anyMatch(c -> c instanceof Batch)) {
                throw new IllegalArgumentException("batches do not nest");
            }
        }
    }
}
