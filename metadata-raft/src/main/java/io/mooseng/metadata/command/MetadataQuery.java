package io.mooseng.metadata.command;

import io.mooseng.core.model.NotificationEvent;
import io.mooseng.core.model.NotifyTarget;
import io.mooseng.core.model.BlockId;
import io.mooseng.core.model.BlockRef;
import io.mooseng.core.model.BucketInfo;
import io.mooseng.core.model.ChunkserverInfo;
import io.mooseng.core.model.DamagedBlock;
import io.mooseng.core.model.GatewayInfo;
import io.mooseng.core.model.ListPage;
import io.mooseng.core.model.ListRequest;
import io.mooseng.core.model.MaintenanceReport;
import io.mooseng.core.model.MountInfo;
import io.mooseng.core.model.MultipartUpload;
import io.mooseng.core.model.NamespaceChanges;
import io.mooseng.core.model.NamespaceEntry;
import io.mooseng.core.model.ObjectInfo;
import io.mooseng.core.model.ObjectVersion;
import io.mooseng.core.model.VersionListPage;
import io.mooseng.core.model.VersionListRequest;
import io.mooseng.core.model.PartInfo;
import io.mooseng.core.model.QueuedShards;
import io.mooseng.core.model.ShardId;
import io.mooseng.core.model.TrashEntry;
import io.mooseng.metadata.codec.Codec;
import io.mooseng.metadata.codec.ModelCodec;

import java.util.List;
import io.mooseng.core.model.SyncEntry;
import io.mooseng.core.model.ParkedChange;
import io.mooseng.core.model.SyncLogPage;
import io.mooseng.core.model.IdentitySnapshot;
import io.mooseng.core.model.SyncState;
import java.util.Optional;
import java.util.UUID;

/** A read of the namespace, answered by the state machine without a log entry. */
public sealed interface MetadataQuery<R> {

    /** How the answer is encoded: declared once, used by the state machine and the client. */
    Codec<R> replyCodec();

    /** Whether only the leader may answer (see {@link LeaderOnly}). */
    default boolean leaderOnly() {
        return false;
    }

    /**
     * A query only the leader answers: what nodes and the maintenance loop report, which the
     * leader alone holds (in memory, out of the log). A follower refuses it (not leader) and
     * the client goes to the leader.
     */
    sealed interface LeaderOnly<R> extends MetadataQuery<R> {
        @Override
        default boolean leaderOnly() {
            return true;
        }
    }

    record GetBucket(String name) implements MetadataQuery<BucketInfo> {
        @Override
        public Codec<BucketInfo> replyCodec() {
            return ModelCodec.BUCKET;
        }
    }

    record ListBuckets() implements MetadataQuery<List<BucketInfo>> {
        @Override
        public Codec<List<BucketInfo>> replyCodec() {
            return ModelCodec.BUCKETS;
        }
    }

    record GetObject(String bucket, String key) implements MetadataQuery<ObjectInfo> {
        @Override
        public Codec<ObjectInfo> replyCodec() {
            return ModelCodec.OBJECT;
        }
    }

    record ListObjects(String bucket, ListRequest request) implements MetadataQuery<ListPage> {
        @Override
        public Codec<ListPage> replyCodec() {
            return ModelCodec.LIST_PAGE;
        }
    }

    /** A version by id, or with {@code versionId} null the key's newest (a delete marker included). */
    record GetObjectVersion(String bucket, String key, String versionId) implements MetadataQuery<ObjectVersion> {
        @Override
        public Codec<ObjectVersion> replyCodec() {
            return ModelCodec.OBJECT_VERSION;
        }
    }

    record ListObjectVersions(String bucket, VersionListRequest request) implements MetadataQuery<VersionListPage> {
        @Override
        public Codec<VersionListPage> replyCodec() {
            return ModelCodec.VERSION_LIST_PAGE;
        }
    }

    record GetUpload(String bucket, String key, String uploadId) implements MetadataQuery<MultipartUpload> {
        @Override
        public Codec<MultipartUpload> replyCodec() {
            return ModelCodec.UPLOAD;
        }
    }

    record ListParts(String bucket, String key, String uploadId) implements MetadataQuery<List<PartInfo>> {
        @Override
        public Codec<List<PartInfo>> replyCodec() {
            return ModelCodec.PARTS;
        }
    }

    record ListUploads(String bucket, String prefix) implements MetadataQuery<List<MultipartUpload>> {
        @Override
        public Codec<List<MultipartUpload>> replyCodec() {
            return ModelCodec.UPLOADS;
        }
    }

    /** Registered chunkservers, each with its latest report (capacity, heartbeat). */
    record ListChunkservers() implements LeaderOnly<List<ChunkserverInfo>> {
        @Override
        public Codec<List<ChunkserverInfo>> replyCodec() {
            return ModelCodec.CHUNKSERVERS;
        }
    }

    record ListGateways() implements LeaderOnly<List<GatewayInfo>> {
        @Override
        public Codec<List<GatewayInfo>> replyCodec() {
            return ModelCodec.GATEWAYS;
        }
    }

    /**
     * A chunkserver's heartbeat, kept by the leader in memory. Answers false when the
     * chunkserver must register (a log entry) first: it is unknown, or its address, labels or
     * capacity changed.
     */
    record ReportChunkserver(ChunkserverInfo info) implements LeaderOnly<Boolean> {
        @Override
        public Codec<Boolean> replyCodec() {
            return ModelCodec.BOOLEAN;
        }
    }

    /** A gateway's heartbeat, as {@link ReportChunkserver}: false when its address or kernel changed. */
    record ReportGateway(GatewayInfo info) implements LeaderOnly<Boolean> {
        @Override
        public Codec<Boolean> replyCodec() {
            return ModelCodec.BOOLEAN;
        }
    }

    /**
     * A mount describes itself to the leader's memory (see {@link io.mooseng.core.metadata.MountRegistry}):
     * asked by a lease holder's client, which the leader hears from with every request anyway.
     */
    record ReportMount(MountInfo info) implements LeaderOnly<Void> {
        @Override
        public Codec<Void> replyCodec() {
            return ModelCodec.NONE;
        }
    }

    /** A lease holder's mount is gone (unmounted): the leader forgets it. */
    record ReportUnmount() implements LeaderOnly<Void> {
        @Override
        public Codec<Void> replyCodec() {
            return ModelCodec.NONE;
        }
    }

    /** The mounts the leader knows in its term, each with when it last heard from it. */
    record ListMounts() implements LeaderOnly<List<MountInfo>> {
        @Override
        public Codec<List<MountInfo>> replyCodec() {
            return ModelCodec.MOUNTS;
        }
    }

    /** @param after null to start at the first block */
    record ScanBlocks(BlockId after, int limit) implements MetadataQuery<List<BlockRef>> {
        @Override
        public Codec<List<BlockRef>> replyCodec() {
            return ModelCodec.BLOCK_LIST;
        }
    }

    /** A page of the node index: shards the block table places on {@code node}, in shard id order ({@code after} null: from the first). */
    record ShardsOnNode(String node, ShardId after, int limit) implements MetadataQuery<List<ShardId>> {
        @Override
        public Codec<List<ShardId>> replyCodec() {
            return ModelCodec.SHARD_IDS;
        }
    }

    /** The rows of these blocks, in the order asked; blocks gone are left out. */
    record GetBlocks(List<BlockId> ids) implements MetadataQuery<List<BlockRef>> {
        public GetBlocks {
            ids = List.copyOf(ids);
        }

        @Override
        public Codec<List<BlockRef>> replyCodec() {
            return ModelCodec.BLOCK_LIST;
        }
    }

    /** Rows in the block table. */
    record CountBlocks() implements MetadataQuery<Long> {
        @Override
        public Codec<Long> replyCodec() {
            return ModelCodec.LONG;
        }
    }

    /**
     * The leader queues for repair up to {@code limit} of the shards its node index places on a
     * lost chunkserver, after {@code after}; it stops early when the damaged-block queue is full.
     */
    record QueueShardsOfNode(String node, ShardId after, int limit) implements LeaderOnly<QueuedShards> {
        @Override
        public Codec<QueuedShards> replyCodec() {
            return ModelCodec.QUEUED_SHARDS;
        }
    }

    /** A chunkserver's shards lost since its last report: the leader queues their blocks for repair. */
    record ReportLostShards(String chunkserver, List<ShardId> shards) implements LeaderOnly<Void> {
        public ReportLostShards {
            shards = List.copyOf(shards);
        }

        @Override
        public Codec<Void> replyCodec() {
            return ModelCodec.NONE;
        }
    }

    /** See {@link io.mooseng.core.metadata.TrashBin#trashedObject}. */
    record GetTrashed(String bucket, long inode) implements MetadataQuery<ObjectInfo> {
        @Override
        public Codec<ObjectInfo> replyCodec() {
            return ModelCodec.OBJECT;
        }
    }

    record ListTrash(String bucket) implements MetadataQuery<List<TrashEntry>> {
        @Override
        public Codec<List<TrashEntry>> replyCodec() {
            return ModelCodec.TRASH;
        }
    }

    /** The last maintenance cycle's report of this leader's term; empty until its first cycle. */
    record GetMaintenance() implements LeaderOnly<Optional<MaintenanceReport>> {
        @Override
        public Codec<Optional<MaintenanceReport>> replyCodec() {
            return ModelCodec.OPTIONAL_MAINTENANCE;
        }
    }

    /** A reader found shards of a block missing or corrupt: queued in the leader's memory for repair. */
    record ReportDamagedShards(BlockId block, List<Integer> shards) implements LeaderOnly<Void> {
        public ReportDamagedShards {
            shards = List.copyOf(shards);
        }

        @Override
        public Codec<Void> replyCodec() {
            return ModelCodec.NONE;
        }
    }

    /** The leader's maintenance takes queued damaged blocks (removing them from the queue). */
    record TakeDamagedBlocks(int limit) implements LeaderOnly<List<DamagedBlock>> {
        @Override
        public Codec<List<DamagedBlock>> replyCodec() {
            return ModelCodec.DAMAGED_BLOCKS;
        }
    }

    /** The leader's maintenance loop publishes its cycle's report, to the leader's memory. */
    record ReportMaintenance(MaintenanceReport report) implements LeaderOnly<Void> {
        @Override
        public Codec<Void> replyCodec() {
            return ModelCodec.NONE;
        }
    }

    /**
     * The namespace's changes after a log index, from the leader's memory (mounts drop what
     * they cached of them), without those the Ratis client {@code skipClient} made (null: all).
     */
    record ChangesSince(long after, int limit, UUID skipClient) implements LeaderOnly<NamespaceChanges> {
        @Override
        public Codec<NamespaceChanges> replyCodec() {
            return ModelCodec.NAMESPACE_CHANGES;
        }
    }

    /**
     * Several queries answered from one snapshot in one read of the group, each with its own
     * reply or failure: a loaded client pays one round (and one lease check) for many lookups.
     */
    record Batch(List<MetadataQuery<?>> queries) implements MetadataQuery<Void> {
        /** Never used: a batch's reply is its queries' replies, each in its own codec (see {@link Reply#batch}). */
        @Override
        public Codec<Void> replyCodec() {
            return ModelCodec.NONE;
        }

        public Batch {
            queries = List.copyOf(queries);
            if (queries.stream().anyMatch(q -> q instanceof Batch || q.leaderOnly())) {
                throw new IllegalArgumentException("batches do not nest and hold no leader-only query");
            }
        }
    }

    /**
     * A query of a lease holder: its own leases do not stand in its way, the leader hears from
     * it, and {@link ChangesSince} answers what its leases need.
     */
    record HeldQuery<R>(UUID holder, MetadataQuery<R> query) implements MetadataQuery<R> {
        public HeldQuery {
            if (query instanceof HeldQuery<?>) {
                throw new IllegalArgumentException("held queries do not nest");
            }
        }

        @Override
        public Codec<R> replyCodec() {
            return query.replyCodec();
        }

        @Override
        public boolean leaderOnly() {
            return query.leaderOnly();
        }
    }

    /** The holders of leases the leader has not heard from for a lease's time. */
    record SilentLeaseHolders() implements LeaderOnly<List<UUID>> {
        @Override
        public Codec<List<UUID>> replyCodec() {
            return ModelCodec.UUIDS;
        }
    }

    /** Users and keys, or only the version when it is still {@code knownVersion}. */
    record GetIdentities(long knownVersion) implements MetadataQuery<IdentitySnapshot> {
        @Override
        public Codec<IdentitySnapshot> replyCodec() {
            return ModelCodec.IDENTITIES;
        }
    }

    record GetSyncState() implements MetadataQuery<SyncState> {
        @Override
        public Codec<SyncState> replyCodec() {
            return ModelCodec.SYNC_STATE;
        }
    }

    record ReadSyncLog(int shard, long after, int limit) implements MetadataQuery<SyncLogPage> {
        @Override
        public Codec<SyncLogPage> replyCodec() {
            return ModelCodec.SYNC_LOG_PAGE;
        }
    }

    record SyncListing(String bucket, String afterKey, int limit) implements MetadataQuery<List<SyncEntry>> {
        @Override
        public Codec<List<SyncEntry>> replyCodec() {
            return ModelCodec.SYNC_ENTRIES;
        }
    }

    /** See {@link io.mooseng.core.metadata.SyncLog#syncIdentities}. */
    record SyncIdentities() implements MetadataQuery<List<SyncEntry>> {
        @Override
        public Codec<List<SyncEntry>> replyCodec() {
            return ModelCodec.SYNC_ENTRIES;
        }
    }

    /** See {@link io.mooseng.core.metadata.SyncLog#syncDigest}. */
    record SyncDigest(String bucket, String range, String peer, String afterKey, int limit, boolean withEntries)
            implements MetadataQuery<io.mooseng.core.model.SyncDigest> {
        @Override
        public Codec<io.mooseng.core.model.SyncDigest> replyCodec() {
            return ModelCodec.SYNC_DIGEST;
        }
    }

    record AntiEntropyRunOf(String peer) implements MetadataQuery<io.mooseng.core.model.AntiEntropyRun> {
        @Override
        public Codec<io.mooseng.core.model.AntiEntropyRun> replyCodec() {
            return ModelCodec.ANTI_ENTROPY_RUN.nullable();
        }
    }

    record KeyStamp(String bucket, String key) implements MetadataQuery<io.mooseng.core.model.ZoneStamp> {
        @Override
        public Codec<io.mooseng.core.model.ZoneStamp> replyCodec() {
            return ModelCodec.ZONE_STAMP;
        }
    }

    record SyncPaused() implements MetadataQuery<Boolean> {
        @Override
        public Codec<Boolean> replyCodec() {
            return ModelCodec.BOOLEAN;
        }
    }

    record SyncBuckets() implements MetadataQuery<List<SyncEntry>> {
        @Override
        public Codec<List<SyncEntry>> replyCodec() {
            return ModelCodec.SYNC_ENTRIES;
        }
    }

    record ParkedChanges(String peer) implements MetadataQuery<List<ParkedChange>> {
        @Override
        public Codec<List<ParkedChange>> replyCodec() {
            return ModelCodec.PARKED;
        }
    }

    record SyncLogHeads() implements MetadataQuery<long[]> {
        @Override
        public Codec<long[]> replyCodec() {
            return ModelCodec.LONGS;
        }
    }

    record SyncReplicated() implements MetadataQuery<long[]> {
        @Override
        public Codec<long[]> replyCodec() {
            return ModelCodec.LONGS;
        }
    }

    record SyncCursors(String peer) implements MetadataQuery<long[]> {
        @Override
        public Codec<long[]> replyCodec() {
            return ModelCodec.LONGS;
        }
    }

    record ListNotifyTargets() implements MetadataQuery<List<NotifyTarget>> {
        @Override
        public Codec<List<NotifyTarget>> replyCodec() {
            return ModelCodec.NOTIFY_TARGETS;
        }
    }

    /** Queued notifications after sequence {@code after}, oldest first. */
    record PendingNotifications(long after, int limit) implements MetadataQuery<List<NotificationEvent>> {
        @Override
        public Codec<List<NotificationEvent>> replyCodec() {
            return ModelCodec.NOTIFICATION_EVENTS;
        }
    }

    /** @param path "" for the bucket's root */
    record Lookup(String bucket, String path) implements MetadataQuery<NamespaceEntry> {
        @Override
        public Codec<NamespaceEntry> replyCodec() {
            return ModelCodec.ENTRY;
        }
    }

    /** @param dir "" for the bucket's root; @param after null for the first page */
    record ReadDirectory(String bucket, String dir, String after, int limit) implements MetadataQuery<List<NamespaceEntry>> {
        @Override
        public Codec<List<NamespaceEntry>> replyCodec() {
            return ModelCodec.ENTRIES;
        }
    }
}
