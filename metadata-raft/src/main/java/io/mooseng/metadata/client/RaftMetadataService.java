package io.mooseng.metadata.client;

import io.mooseng.core.model.NotificationEvent;
import io.mooseng.core.model.NotifyTarget;
import io.mooseng.core.model.RemoteApplied;
import io.mooseng.core.model.RenameMode;
import io.mooseng.core.model.SyncEntry;
import io.mooseng.core.model.SyncLogPage;
import io.mooseng.core.model.SyncState;
import io.mooseng.core.model.AccessKeyRecord;
import io.mooseng.core.model.IdentitySnapshot;
import io.mooseng.core.model.UserAccount;
import io.mooseng.core.model.Zonegroup;
import io.mooseng.metadata.command.MetadataCommand.ApplyRemote;
import io.mooseng.metadata.command.MetadataCommand.AddAccessKey;
import io.mooseng.metadata.command.MetadataCommand.BootstrapIdentity;
import io.mooseng.metadata.command.MetadataCommand.ConfigureZone;
import io.mooseng.metadata.command.MetadataCommand.PutUser;
import io.mooseng.metadata.command.MetadataCommand.RemoveUser;
import io.mooseng.metadata.command.MetadataCommand.RevokeAccessKey;
import io.mooseng.metadata.command.MetadataCommand.SaveSyncCursors;
import io.mooseng.metadata.command.MetadataCommand.TrimSyncLog;
import io.mooseng.metadata.command.MetadataCommand.SaveParkedChanges;
import io.mooseng.metadata.command.MetadataQuery.ParkedChanges;
import io.mooseng.core.model.ParkedChange;
import io.mooseng.metadata.command.MetadataQuery.GetIdentities;
import io.mooseng.metadata.command.MetadataQuery.GetSyncState;
import io.mooseng.metadata.command.MetadataQuery.ReadSyncLog;
import io.mooseng.metadata.command.MetadataQuery.SyncBuckets;
import io.mooseng.metadata.command.MetadataQuery.SyncCursors;
import io.mooseng.metadata.command.MetadataQuery.SyncLogHeads;
import io.mooseng.metadata.command.MetadataQuery.SyncListing;
import io.mooseng.core.metadata.ObjectNamespace.StoredObject;

import io.mooseng.core.error.ErrorCode;
import io.mooseng.core.error.Failures;
import io.mooseng.core.error.MooseException;
import io.mooseng.core.metadata.MetadataService;
import io.mooseng.core.model.BlockId;
import io.mooseng.core.model.BlockRef;
import io.mooseng.core.model.BucketInfo;
import io.mooseng.core.model.BucketPolicy;
import io.mooseng.core.model.MaintenanceReport;
import io.mooseng.core.model.ShardMove;
import io.mooseng.core.model.TrashEntry;
import io.mooseng.core.model.ChunkserverInfo;
import io.mooseng.core.model.DamagedBlock;
import io.mooseng.core.model.ShardId;
import io.mooseng.core.model.QueuedShards;
import io.mooseng.core.model.GatewayInfo;
import io.mooseng.core.model.CompletedPart;
import io.mooseng.core.model.ListPage;
import io.mooseng.core.model.ListRequest;
import io.mooseng.core.model.MultipartUpload;
import io.mooseng.core.model.ObjectInfo;
import io.mooseng.core.model.ObjectLock;
import io.mooseng.core.model.ObjectEncryption;
import io.mooseng.core.model.UploadChecksum;
import io.mooseng.core.model.ObjectKey;
import io.mooseng.core.model.ObjectManifest;
import io.mooseng.core.model.ObjectProperties;
import io.mooseng.core.model.PartInfo;
import io.mooseng.core.model.StorageClass;
import io.mooseng.core.model.WriteCondition;
import io.mooseng.core.model.ObjectVersion;
import io.mooseng.core.model.VersionDeleted;
import io.mooseng.core.model.VersionListPage;
import io.mooseng.core.model.VersionListRequest;
import io.mooseng.metadata.rpc.RaftRpc;
import io.mooseng.metadata.command.CommandCodec;
import io.mooseng.metadata.command.MetadataCommand;
import io.mooseng.metadata.command.MetadataCommand.AbortUpload;
import io.mooseng.metadata.command.MetadataCommand.CompleteUpload;
import io.mooseng.metadata.command.MetadataCommand.CreateBucket;
import io.mooseng.metadata.command.MetadataCommand.CreateUpload;
import io.mooseng.metadata.command.MetadataCommand.DeleteBucket;
import io.mooseng.metadata.command.MetadataCommand.DeleteObject;
import io.mooseng.metadata.command.MetadataCommand.PutObject;
import io.mooseng.metadata.command.MetadataCommand.PutPart;
import io.mooseng.metadata.command.MetadataCommand.RegisterChunkserver;
import io.mooseng.metadata.command.MetadataCommand.RegisterGateway;
import io.mooseng.metadata.command.MetadataCommand.MoveShards;
import io.mooseng.metadata.command.MetadataCommand.PurgeTrash;
import io.mooseng.metadata.command.MetadataCommand.ReplaceManifest;
import io.mooseng.metadata.command.MetadataCommand.CreateEntry;
import io.mooseng.metadata.command.MetadataCommand.Link;
import io.mooseng.metadata.command.MetadataCommand.AcquireLease;
import io.mooseng.metadata.command.MetadataCommand.ExpireLeases;
import io.mooseng.metadata.command.MetadataCommand.Held;
import io.mooseng.metadata.command.MetadataCommand.ReleaseLease;
import io.mooseng.metadata.command.MetadataCommand.ReserveInodes;
import io.mooseng.metadata.command.MetadataCommand.Rename;
import io.mooseng.metadata.command.MetadataCommand.Unlink;
import io.mooseng.metadata.command.MetadataCommand.UpdateInode;
import io.mooseng.metadata.command.MetadataQuery.Lookup;
import io.mooseng.metadata.command.MetadataQuery.ReadDirectory;
import io.mooseng.metadata.command.MetadataQuery.ChangesSince;
import io.mooseng.metadata.command.MetadataQuery.HeldQuery;
import io.mooseng.metadata.command.MetadataQuery.SilentLeaseHolders;
import io.mooseng.metadata.codec.ModelCodec;
import io.mooseng.core.metadata.DirectoryLeases;
import io.mooseng.core.error.ErrorCode;
import io.mooseng.core.metadata.PosixNamespace.InodeUpdated;
import io.mooseng.core.model.InodeUpdate;
import io.mooseng.core.model.NamespaceChanges;
import io.mooseng.core.model.NamespaceEntry;
import io.mooseng.metadata.command.MetadataCommand.RestoreTrash;
import io.mooseng.metadata.command.MetadataCommand.SetBucketPolicy;
import io.mooseng.metadata.command.MetadataQuery.GetMaintenance;
import io.mooseng.metadata.command.MetadataQuery.ListTrash;
import io.mooseng.metadata.command.MetadataQuery.ScanBlocks;
import io.mooseng.metadata.command.MetadataQuery;
import io.mooseng.metadata.command.Reply;
import io.mooseng.metadata.command.MetadataQuery.GetBucket;
import io.mooseng.metadata.command.MetadataQuery.GetObject;
import io.mooseng.metadata.command.MetadataQuery.GetUpload;
import io.mooseng.metadata.command.MetadataQuery.ListBuckets;
import io.mooseng.metadata.command.MetadataQuery.ListChunkservers;
import io.mooseng.metadata.command.MetadataQuery.ListGateways;
import io.mooseng.metadata.command.MetadataQuery.ListObjects;
import io.mooseng.metadata.command.MetadataQuery.ListParts;
import io.mooseng.metadata.command.MetadataQuery.ListUploads;
import io.mooseng.metadata.command.MetadataQuery.ReportChunkserver;
import io.mooseng.metadata.command.MetadataQuery.ReportGateway;
import io.mooseng.metadata.command.MetadataQuery.ReportMount;
import io.mooseng.metadata.command.MetadataQuery.ReportUnmount;
import io.mooseng.metadata.command.MetadataQuery.ListMounts;
import io.mooseng.core.model.MountInfo;
import io.mooseng.metadata.command.MetadataQuery.ReportMaintenance;
import io.mooseng.metadata.command.MetadataQuery.ReportDamagedShards;
import io.mooseng.metadata.command.MetadataQuery.TakeDamagedBlocks;
import io.mooseng.metadata.raft.RaftPeers;
import org.apache.ratis.client.RaftClient;
import org.apache.ratis.client.RaftClientConfigKeys;
import org.apache.ratis.client.retry.RequestTypeDependentRetryPolicy;
import org.apache.ratis.conf.RaftProperties;
import org.apache.ratis.proto.RaftProtos.RaftClientRequestProto.TypeCase;
import org.apache.ratis.protocol.Message;
import org.apache.ratis.protocol.RaftClientReply;
import org.apache.ratis.protocol.RaftGroup;
import org.apache.ratis.protocol.exceptions.RaftRetryFailureException;
import org.apache.ratis.protocol.exceptions.StateMachineException;
import org.apache.ratis.thirdparty.com.google.protobuf.UnsafeByteOperations;
import org.apache.ratis.util.TimeDuration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;

/**
 * {@link MetadataService} backed by the metadata Raft group, reached with nothing but the
 * peers' raft addresses (from any process). Mutations are log entries, pipelined and
 * batched (see {@link RequestPipeline}); queries are linearizable reads. Upload ids are
 * chosen here, before submission, so the state machine stays deterministic. Ratis retries
 * against a new leader; a request still unanswered after the retry timeout fails with
 * METADATA_UNAVAILABLE (its outcome is then unknown) and the client reconnects, so later
 * requests succeed once the group is reachable again.
 *
 * <p>Non-blocking: futures complete on Ratis client threads, so callers must not block in
 * their continuations.
 */
public final class RaftMetadataService implements MetadataService {
    private static final Logger LOG = LoggerFactory.getLogger(RaftMetadataService.class);
    private static final SecureRandom RANDOM = new SecureRandom();
    /** Ratis's own in-flight bound beyond our pipeline's: leader-only reads (heartbeat, listings, reports) bypass the pipeline. */
    private static final int RATIS_SLACK = 16;
    private static final Executor CALLERS = Executors.newVirtualThreadPerTaskExecutor();
    private static final long LEASE_PAUSE_MAX_MILLIS = 50;

    private final Supplier<RaftClient> newClient;
    private final AtomicReference<RaftClient> client;
    private final RequestPipeline pipeline;
    private final MetadataClientConfig config;
    private final Backoff backoff;
    private final LocalReads local;
    /**
     * This client's lease holder identity ({@link DirectoryLeases#BACKGROUND} for the leader's
     * maintenance), or null for a client that holds no leases (gateways).
     */
    private final UUID holder;
    private final AtomicLong fence = new AtomicLong();
    private volatile boolean closed;

    private RaftMetadataService(Supplier<RaftClient> newClient, MetadataClientConfig config, LocalReads local, UUID holder) {
        this.holder = holder;
        this.newClient = newClient;
        this.config = config;
        this.backoff = new Backoff(config.retryInterval());
        this.client = new AtomicReference<>(newClient.get());
        this.local = local;
        this.pipeline = new RequestPipeline(m -> send(m, Kind.WRITE), m -> sendRead(m, false), config);
    }

    /** A peer in this process that may answer queries itself (see {@link io.mooseng.metadata.raft.MetadataServer#queryLocally}). */
    @FunctionalInterface
    public interface LocalReads {
        LocalReads NONE = LocalReads::none;

        /** The answer, or empty where this process cannot give it linearizably (the client then asks the group). */
        <R> Optional<CompletableFuture<R>> query(MetadataQuery<R> query);

        private static <R> Optional<CompletableFuture<R>> none(MetadataQuery<R> query) {
            return Optional.empty();
        }
    }

    /** Connects to the group whose peers have these raft addresses (host:port). */
    public static RaftMetadataService connect(List<String> raftAddresses) {
        return connect(raftAddresses, MetadataClientConfig.DEFAULTS);
    }

    public static RaftMetadataService connect(List<String> raftAddresses, MetadataClientConfig config) {
        return connect(raftAddresses, config, LocalReads.NONE);
    }

    public static RaftMetadataService connect(List<String> raftAddresses, MetadataClientConfig config, LocalReads local) {
        RaftGroup group = RaftPeers.clientGroup(raftAddresses);
        return new RaftMetadataService(() -> newRaftClient(group, config), config, local, null);
    }

    /**
     * A client for background work (the leader's maintenance): its queries take the namespace
     * as committed, neither waiting for directory leases nor recalling them.
     */
    public static RaftMetadataService connectBackground(List<String> raftAddresses, LocalReads local) {
        return connectBackground(raftAddresses, MetadataClientConfig.DEFAULTS, local);
    }

    public static RaftMetadataService connectBackground(List<String> raftAddresses, MetadataClientConfig config, LocalReads local) {
        RaftGroup group = RaftPeers.clientGroup(raftAddresses);
        return new RaftMetadataService(() -> newRaftClient(group, config), config, local, DirectoryLeases.BACKGROUND);
    }

    /** A client that holds directory leases (a mount), under a new holder identity. */
    public static RaftMetadataService connectLeaseHolder(List<String> raftAddresses) {
        return connectLeaseHolder(raftAddresses, MetadataClientConfig.DEFAULTS);
    }

    public static RaftMetadataService connectLeaseHolder(List<String> raftAddresses, MetadataClientConfig config) {
        RaftGroup group = RaftPeers.clientGroup(raftAddresses);
        return new RaftMetadataService(() -> newRaftClient(group, config), config, LocalReads.NONE, UUID.randomUUID());
    }

    /** A Ratis client of the group that retries every request type within the configured bounds. */
    static RaftClient newRaftClient(RaftGroup group, MetadataClientConfig config) {
        RaftProperties p = new RaftProperties();
        RaftClientConfigKeys.Rpc.setRequestTimeout(p, millis(config.requestTimeout()));
        // our pipeline bounds what is in flight; Ratis's own bound would block the caller
        RaftClientConfigKeys.Async.setOutstandingRequestsMax(p, config.maxWritesInFlight() + config.maxReadsInFlight() + RATIS_SLACK);
        RequestTypeDependentRetryPolicy.Builder retry = RequestTypeDependentRetryPolicy.newBuilder();
        // every type: Ratis's ordered stream opens with a dummy WATCH, which must not retry forever either
        for (TypeCase type : TypeCase.values()) {
            retry.setRetryPolicy(type, new Backoff(config.retryInterval()))
                    .setTimeout(type, millis(config.retryTimeout()));
        }
        return RaftRpc.newClient(group, p, retry.build(), config.tls());
    }

    @Override
    public CompletableFuture<BucketInfo> createBucket(String name, StorageClass defaultClass, long createdMillis) {
        return write(() -> new CreateBucket(name, defaultClass, createdMillis));
    }

    @Override
    public CompletableFuture<Void> deleteBucket(String name) {
        return write(() -> new DeleteBucket(name));
    }

    @Override
    public CompletableFuture<BucketInfo> getBucket(String name) {
        return read(() -> new GetBucket(name));
    }

    @Override
    public CompletableFuture<List<BucketInfo>> listBuckets() {
        return read(ListBuckets::new);
    }

    @Override
    public CompletableFuture<StoredObject> putObject(String bucket, ObjectKey key, ObjectManifest manifest, WriteCondition condition) {
        return write(() -> new PutObject(bucket, key.key(), manifest, condition));
    }

    @Override
    public CompletableFuture<ObjectInfo> getObject(String bucket, ObjectKey key) {
        return read(() -> new GetObject(bucket, key.key()));
    }

    @Override
    public CompletableFuture<Optional<ObjectInfo>> deleteObject(String bucket, ObjectKey key, WriteCondition condition) {
        // the deletion time is chosen here, so every replica records the same one in the trash
        return write(() -> new DeleteObject(bucket, key.key(), System.currentTimeMillis(), condition));
    }

    @Override
    public CompletableFuture<ListPage> listObjects(String bucket, ListRequest request) {
        return read(() -> new ListObjects(bucket, request));
    }

    @Override
    public CompletableFuture<ObjectVersion> getObjectVersion(String bucket, ObjectKey key, String versionId) {
        return read(() -> new MetadataQuery.GetObjectVersion(bucket, key.key(), versionId));
    }

    @Override
    public CompletableFuture<VersionDeleted> deleteObjectVersion(String bucket, ObjectKey key, String versionId, WriteCondition condition,
                                                                 boolean bypassGovernance) {
        return write(() -> new MetadataCommand.DeleteObjectVersion(bucket, key.key(), versionId, System.currentTimeMillis(), condition,
                bypassGovernance));
    }

    @Override
    public CompletableFuture<ObjectInfo> setObjectRetention(String bucket, ObjectKey key, String versionId, ObjectLock.Mode mode,
                                                            long untilMillis, boolean bypassGovernance) {
        return write(() -> new MetadataCommand.SetObjectRetention(bucket, key.key(), versionId, mode, untilMillis, bypassGovernance,
                System.currentTimeMillis()));
    }

    @Override
    public CompletableFuture<ObjectInfo> setObjectLegalHold(String bucket, ObjectKey key, String versionId, boolean on) {
        return write(() -> new MetadataCommand.SetObjectLegalHold(bucket, key.key(), versionId, on));
    }

    @Override
    public CompletableFuture<VersionListPage> listObjectVersions(String bucket, VersionListRequest request) {
        return read(() -> new MetadataQuery.ListObjectVersions(bucket, request));
    }

    @Override
    public CompletableFuture<MultipartUpload> createMultipartUpload(String bucket, ObjectKey key, ObjectProperties properties,
                                                                    StorageClass storageClass, long initiatedMillis,
                                                                    ObjectEncryption encryption, UploadChecksum checksum) {
        return write(() -> new CreateUpload(bucket, key.key(), newUploadId(), properties, storageClass, initiatedMillis, encryption,
                checksum));
    }

    @Override
    public CompletableFuture<MultipartUpload> getMultipartUpload(String bucket, ObjectKey key, String uploadId) {
        return read(() -> new GetUpload(bucket, key.key(), uploadId));
    }

    @Override
    public CompletableFuture<Optional<PartInfo>> putPart(String bucket, ObjectKey key, String uploadId, PartInfo part) {
        return write(() -> new PutPart(bucket, key.key(), uploadId, part));
    }

    @Override
    public CompletableFuture<List<PartInfo>> listParts(String bucket, ObjectKey key, String uploadId) {
        return read(() -> new ListParts(bucket, key.key(), uploadId));
    }

    @Override
    public CompletableFuture<CompletedUpload> completeMultipartUpload(String bucket, ObjectKey key, String uploadId,
                                                                      List<CompletedPart> parts, long minPartSize,
                                                                      long mtimeMillis, WriteCondition condition) {
        return write(() -> new CompleteUpload(bucket, key.key(), uploadId, parts, minPartSize, mtimeMillis, condition));
    }

    @Override
    public CompletableFuture<List<PartInfo>> abortMultipartUpload(String bucket, ObjectKey key, String uploadId) {
        return write(() -> new AbortUpload(bucket, key.key(), uploadId));
    }

    @Override
    public CompletableFuture<List<MultipartUpload>> listMultipartUploads(String bucket, String prefix) {
        return read(() -> new ListUploads(bucket, prefix == null ? "" : prefix));
    }

    /** Reports to the leader's memory; registers through the log only when the leader asks for it. */
    @Override
    public CompletableFuture<Void> registerChunkserver(ChunkserverInfo info) {
        return reportOrRegister(read(() -> new ReportChunkserver(info)), () -> new RegisterChunkserver(info));
    }

    @Override
    public CompletableFuture<List<ChunkserverInfo>> listChunkservers() {
        return read(ListChunkservers::new);
    }

    /** As {@link #registerChunkserver}. */
    @Override
    public CompletableFuture<Void> registerGateway(GatewayInfo info) {
        return reportOrRegister(read(() -> new ReportGateway(info)), () -> new RegisterGateway(info));
    }

    @Override
    public CompletableFuture<Void> reportMount(MountInfo info) {
        return read(() -> new ReportMount(info));
    }

    @Override
    public CompletableFuture<Void> reportUnmount() {
        return read(ReportUnmount::new);
    }

    @Override
    public CompletableFuture<List<MountInfo>> listMounts() {
        return read(ListMounts::new);
    }

    /** Registers through the log only when the leader did not keep the report (unknown node, changed identity). */
    private CompletableFuture<Void> reportOrRegister(CompletableFuture<Boolean> report, Supplier<? extends MetadataCommand<Void>> register) {
        return report.thenCompose(kept -> kept ? CompletableFuture.completedFuture(null) : write(register));
    }

    @Override
    public CompletableFuture<List<GatewayInfo>> listGateways() {
        return read(ListGateways::new);
    }

    @Override
    public CompletableFuture<BucketInfo> setBucketPolicy(String bucket, BucketPolicy policy) {
        return write(() -> new SetBucketPolicy(bucket, policy));
    }

    @Override
    public CompletableFuture<Boolean> resealObject(String bucket, long inode, byte[] expectedWrappedKey, byte[] wrappedKey) {
        return write(() -> new MetadataCommand.ResealObject(bucket, inode, expectedWrappedKey, wrappedKey));
    }

    @Override
    public CompletableFuture<Boolean> resealUpload(String bucket, String key, String uploadId, byte[] expectedWrappedKey, byte[] wrappedKey) {
        return write(() -> new MetadataCommand.ResealUpload(bucket, key, uploadId, expectedWrappedKey, wrappedKey));
    }

    @Override
    public CompletableFuture<ObjectInfo> replaceManifest(String bucket, ObjectKey key, long inode, ObjectManifest manifest) {
        return write(() -> new ReplaceManifest(bucket, key.key(), inode, manifest));
    }

    @Override
    public CompletableFuture<NamespaceEntry> lookup(String bucket, ObjectKey path) {
        return read(() -> new Lookup(bucket, path == null ? "" : path.key()));
    }

    @Override
    public CompletableFuture<List<NamespaceEntry>> readDirectory(String bucket, ObjectKey dir, String after, int limit) {
        return read(() -> new ReadDirectory(bucket, dir == null ? "" : dir.key(), after, limit));
    }

    @Override
    public CompletableFuture<NamespaceChanges> changesSince(long after, int limit) {
        // this client's own changes are known to its caller
        return read(() -> new ChangesSince(after, limit, client.get().getId().getUuid()));
    }

    @Override
    public CompletableFuture<ObjectInfo> createEntry(String bucket, ObjectKey key, ObjectManifest manifest, long inode) {
        return write(() -> new CreateEntry(bucket, key.key(), manifest, inode));
    }

    @Override
    public CompletableFuture<Void> acquireLease(String bucket, ObjectKey dir) {
        // not retried on a conflict: the caller works without the lease instead of waiting for another's
        return pipeline.write(encode(new AcquireLease(bucket, dir == null ? "" : dir.key())), ModelCodec.NONE);
    }

    @Override
    public CompletableFuture<Void> releaseLease(String bucket, ObjectKey dir) {
        return write(() -> new ReleaseLease(bucket, dir == null ? "" : dir.key()));
    }

    @Override
    public CompletableFuture<Long> reserveInodes(int count) {
        return write(() -> new ReserveInodes(count));
    }

    @Override
    public CompletableFuture<List<UUID>> silentLeaseHolders() {
        return read(SilentLeaseHolders::new);
    }

    @Override
    public CompletableFuture<Void> expireLeases(UUID holder) {
        return write(() -> new ExpireLeases(holder));
    }

    /** This client's lease holder identity (null for a client that holds no leases). */
    public UUID leaseHolder() {
        return holder;
    }

    @Override
    public void adoptLeaseFence(long fence) {
        this.fence.set(fence);
    }

    @Override
    public CompletableFuture<InodeUpdated> updateInode(String bucket, long inode, InodeUpdate update, String key) {
        return write(() -> new UpdateInode(bucket, inode, update, key));
    }

    @Override
    public CompletableFuture<Optional<ObjectInfo>> rename(String bucket, ObjectKey from, ObjectKey to, RenameMode mode, long changedMillis) {
        return write(() -> new Rename(bucket, from.key(), to.key(), mode, changedMillis));
    }

    @Override
    public CompletableFuture<NamespaceEntry> link(String bucket, ObjectKey existing, ObjectKey newKey, long changedMillis) {
        return write(() -> new Link(bucket, existing.key(), newKey.key(), changedMillis));
    }

    @Override
    public CompletableFuture<Optional<ObjectInfo>> unlink(String bucket, ObjectKey key, boolean directory, long deletedMillis) {
        return write(() -> new Unlink(bucket, key.key(), directory, deletedMillis));
    }

    @Override
    public CompletableFuture<List<BlockRef>> scanBlocks(BlockId after, int limit) {
        return read(() -> new ScanBlocks(after, limit));
    }

    @Override
    public CompletableFuture<List<ShardId>> shardsOnNode(String node, ShardId after, int limit) {
        return read(() -> new MetadataQuery.ShardsOnNode(node, after, limit));
    }

    @Override
    public CompletableFuture<List<BlockRef>> blocks(List<BlockId> ids) {
        return read(() -> new MetadataQuery.GetBlocks(ids));
    }

    @Override
    public CompletableFuture<Long> countBlocks() {
        return read(MetadataQuery.CountBlocks::new);
    }

    @Override
    public CompletableFuture<Void> reportLostShards(String chunkserver, List<ShardId> shards) {
        return read(() -> new MetadataQuery.ReportLostShards(chunkserver, shards));
    }

    @Override
    public CompletableFuture<QueuedShards> queueShardsOfNode(String node, ShardId after, int limit) {
        return read(() -> new MetadataQuery.QueueShardsOfNode(node, after, limit));
    }

    @Override
    public CompletableFuture<Void> reportDamagedShards(BlockId block, List<Integer> shards) {
        return read(() -> new ReportDamagedShards(block, shards));
    }

    @Override
    public CompletableFuture<List<DamagedBlock>> takeDamagedBlocks(int limit) {
        return read(() -> new TakeDamagedBlocks(limit));
    }

    @Override
    public CompletableFuture<Void> moveShards(BlockId block, List<ShardMove> moves) {
        return write(() -> new MoveShards(block, moves));
    }

    @Override
    public CompletableFuture<List<TrashEntry>> listTrash(String bucket) {
        return read(() -> new ListTrash(bucket));
    }

    @Override
    public CompletableFuture<ObjectInfo> trashedObject(String bucket, long inode) {
        return read(() -> new MetadataQuery.GetTrashed(bucket, inode));
    }

    @Override
    public CompletableFuture<ObjectInfo> restoreTrash(String bucket, long inode) {
        return write(() -> new RestoreTrash(bucket, inode));
    }

    @Override
    public CompletableFuture<ObjectInfo> purgeTrash(String bucket, long inode) {
        return write(() -> new PurgeTrash(bucket, inode));
    }

    @Override
    public CompletableFuture<Void> reportMaintenance(MaintenanceReport report) {
        return read(() -> new ReportMaintenance(report));
    }

    @Override
    public CompletableFuture<Optional<MaintenanceReport>> maintenance() {
        return read(GetMaintenance::new);
    }

    @Override
    public CompletableFuture<IdentitySnapshot> identities(long knownVersion) {
        return read(() -> new GetIdentities(knownVersion));
    }

    @Override
    public CompletableFuture<IdentitySnapshot> bootstrapIdentity(byte[] clusterKey, UserAccount admin, AccessKeyRecord adminKey) {
        return write(() -> new BootstrapIdentity(clusterKey, admin, adminKey));
    }

    @Override
    public CompletableFuture<UserAccount> putUser(UserAccount user, boolean create) {
        return write(() -> new PutUser(user, create));
    }

    @Override
    public CompletableFuture<Boolean> removeUser(String name) {
        return write(() -> new RemoveUser(name));
    }

    @Override
    public CompletableFuture<AccessKeyRecord> addAccessKey(AccessKeyRecord key) {
        return write(() -> new AddAccessKey(key));
    }

    @Override
    public CompletableFuture<Boolean> setAccessKeyEnabled(String accessKey, boolean enabled) {
        return write(() -> new MetadataCommand.SetAccessKeyEnabled(accessKey, enabled));
    }

    @Override
    public CompletableFuture<Boolean> revokeAccessKey(String accessKey) {
        return write(() -> new RevokeAccessKey(accessKey));
    }

    @Override
    public CompletableFuture<Boolean> resealAccessKey(String accessKey, byte[] expectedSealed, byte[] sealed) {
        return write(() -> new MetadataCommand.ResealAccessKey(accessKey, expectedSealed, sealed));
    }

    @Override
    public CompletableFuture<Boolean> registerClusterKey(byte[] expected, byte[] clusterKey) {
        return write(() -> new MetadataCommand.RegisterClusterKey(expected, clusterKey));
    }

    @Override
    public CompletableFuture<SyncState> syncState() {
        return read(GetSyncState::new);
    }

    @Override
    public CompletableFuture<SyncState> configureZone(String localZone, Zonegroup group) {
        return write(() -> new ConfigureZone(localZone, group));
    }

    @Override
    public CompletableFuture<long[]> syncLogHeads() {
        return read(SyncLogHeads::new);
    }

    @Override
    public CompletableFuture<long[]> syncReplicated() {
        return read(MetadataQuery.SyncReplicated::new);
    }

    @Override
    public CompletableFuture<SyncLogPage> readSyncLog(int shard, long after, int limit) {
        return read(() -> new ReadSyncLog(shard, after, limit));
    }

    @Override
    public CompletableFuture<List<SyncEntry>> syncListing(String bucket, String afterKey, int limit) {
        return read(() -> new SyncListing(bucket, afterKey, limit));
    }

    @Override
    public CompletableFuture<List<SyncEntry>> syncIdentities() {
        return read(MetadataQuery.SyncIdentities::new);
    }

    @Override
    public CompletableFuture<io.mooseng.core.model.SyncDigest> syncDigest(String bucket, String range, String peer, String afterKey, int limit,
                                                                     boolean withEntries) {
        return read(() -> new MetadataQuery.SyncDigest(bucket, range, peer, afterKey, limit, withEntries));
    }

    @Override
    public CompletableFuture<io.mooseng.core.model.AntiEntropyRun> antiEntropyRun(String peer) {
        return read(() -> new MetadataQuery.AntiEntropyRunOf(peer));
    }

    @Override
    public CompletableFuture<Void> saveAntiEntropyRun(String peer, io.mooseng.core.model.AntiEntropyRun run) {
        return write(() -> new MetadataCommand.SaveAntiEntropyRun(peer, run));
    }

    @Override
    public CompletableFuture<io.mooseng.core.model.ZoneStamp> keyStamp(String bucket, String key) {
        return read(() -> new MetadataQuery.KeyStamp(bucket, key));
    }

    @Override
    public CompletableFuture<Boolean> syncPaused() {
        return read(MetadataQuery.SyncPaused::new);
    }

    @Override
    public CompletableFuture<Void> pauseSync(boolean paused) {
        return write(() -> new MetadataCommand.PauseSync(paused));
    }

    @Override
    public CompletableFuture<List<SyncEntry>> syncBuckets() {
        return read(SyncBuckets::new);
    }

    @Override
    public CompletableFuture<RemoteApplied> applyRemote(SyncEntry entry, ObjectManifest content) {
        return write(() -> new ApplyRemote(entry, content));
    }

    @Override
    public CompletableFuture<RemoteApplied> applyRemoteIdentity(SyncEntry entry, byte[] sealedHere) {
        return write(() -> new MetadataCommand.ApplyRemoteIdentity(entry, sealedHere));
    }

    @Override
    public CompletableFuture<long[]> syncCursors(String peer) {
        return read(() -> new SyncCursors(peer));
    }

    @Override
    public CompletableFuture<List<ParkedChange>> parkedChanges(String peer) {
        return read(() -> new ParkedChanges(peer));
    }

    @Override
    public CompletableFuture<Void> saveParkedChanges(String peer, List<ParkedChange> parked) {
        return write(() -> new SaveParkedChanges(peer, parked));
    }

    @Override
    public CompletableFuture<Void> trimSyncLog(long[] consumed, long keepAtMost) {
        return write(() -> new TrimSyncLog(consumed, keepAtMost));
    }

    @Override
    public CompletableFuture<Void> saveSyncCursors(String peer, long[] cursors) {
        return write(() -> new SaveSyncCursors(peer, cursors));
    }

    @Override
    public CompletableFuture<Void> putNotifyTarget(NotifyTarget target) {
        return write(() -> new MetadataCommand.PutNotifyTarget(target.validated()));
    }

    @Override
    public CompletableFuture<Boolean> removeNotifyTarget(String name) {
        return write(() -> new MetadataCommand.RemoveNotifyTarget(name));
    }

    @Override
    public CompletableFuture<List<NotifyTarget>> notifyTargets() {
        return read(MetadataQuery.ListNotifyTargets::new);
    }

    @Override
    public CompletableFuture<List<NotificationEvent>> pendingNotifications(long after, int limit) {
        return read(() -> new MetadataQuery.PendingNotifications(after, limit));
    }

    @Override
    public CompletableFuture<Void> ackNotifications(long[] sequences) {
        return write(() -> new MetadataCommand.AckNotifications(sequences));
    }

    /** Fails queued requests with METADATA_UNAVAILABLE and closes the Ratis client. */
    @Override
    public void close() {
        closed = true;
        pipeline.close();
        closeQuietly(client.get());
    }

    /**
     * Submits a command (built here, so a constructor's refusal becomes a failed future); its
     * reply in the codec it declares. Submitted before this returns, so a caller's commands
     * are committed in the order it made them; one refused for another's lease is sent again
     * (see {@link #whileLeased}).
     */
    private <T> CompletableFuture<T> write(Supplier<? extends MetadataCommand<T>> command) {
        MetadataCommand<T> c;
        try {
            c = command.get();
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(MooseException.of(e));
        }
        return whileLeased(() -> {
            try {
                return pipeline.write(encode(c), c.replyCodec());
            } catch (RuntimeException e) {
                return CompletableFuture.failedFuture(MooseException.of(e));
            }
        });
    }

    /** A lease holder's commands go as its own, with its fence. */
    private byte[] encode(MetadataCommand<?> c) {
        return CommandCodec.encode(holder == null ? c : new Held<>(holder, fence.get(), c));
    }

    private <T> CompletableFuture<T> read(Supplier<? extends MetadataQuery<T>> query) {
        MetadataQuery<T> q;
        MetadataQuery<T> sent;
        try {
            q = query.get();
            sent = holder == null ? q : new HeldQuery<>(holder, q);
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(MooseException.of(e));
        }
        if (q.leaderOnly()) {
            return local.query(sent).orElseGet(() -> sendRead(CommandCodec.encode(sent), true).thenApply(reply -> Reply.decode(reply, q.replyCodec())));
        }
        return whileLeased(() -> local.query(sent).orElseGet(() -> pipeline.read(CommandCodec.encode(sent), q.replyCodec())));
    }

    /**
     * Sends a request again while it meets another client's lease (LEASE_CONFLICT): the
     * leader has asked the holder to give the lease back, which it does within moments, or
     * takes it after {@link DirectoryLeases#TTL} of silence. Pauses double from 1 ms up to 50 ms.
     */
    private <T> CompletableFuture<T> whileLeased(Supplier<CompletableFuture<T>> send) {
        CompletableFuture<T> result = new CompletableFuture<>();
        whileLeased(send, System.nanoTime() + config.retryTimeout().toNanos(), 1, result);
        return result;
    }

    private <T> void whileLeased(Supplier<CompletableFuture<T>> send, long deadline, int attempt, CompletableFuture<T> result) {
        send.get().whenComplete((value, error) -> {
            if (error == null) {
                result.complete(value);
            } else if (!closed && MooseException.of(error).code() == ErrorCode.LEASE_CONFLICT && System.nanoTime() < deadline) {
                long pauseMillis = Math.min(LEASE_PAUSE_MAX_MILLIS, 1L << Math.min(attempt - 1, 6));
                CompletableFuture.delayedExecutor(pauseMillis, TimeUnit.MILLISECONDS)
                        .execute(() -> whileLeased(send, deadline, attempt + 1, result));
            } else {
                result.completeExceptionally(error);
            }
        });
    }

    /**
     * Sends a query, retrying while the group has no ready leader: Ratis retries a write
     * against the new leader itself, but fails a linearizable read at once when the peer it
     * asks knows no leader (an election is under way).
     */
    private CompletableFuture<byte[]> sendRead(byte[] bytes, boolean leaderOnly) {
        long deadline = System.nanoTime() + config.retryTimeout().toNanos();
        CompletableFuture<byte[]> result = new CompletableFuture<>();
        sendRead(bytes, leaderOnly ? Kind.LEADER_READ : Kind.READ, deadline, 1, result);
        return result;
    }

    private void sendRead(byte[] bytes, Kind kind, long deadline, int attempt, CompletableFuture<byte[]> result) {
        send(bytes, kind).whenComplete((reply, error) -> {
            if (error == null) {
                result.complete(reply);
            } else if (!closed && LeaderChange.isTransient(error) && System.nanoTime() < deadline) {
                CompletableFuture.delayedExecutor(backoff.pauseMicros(attempt), TimeUnit.MICROSECONDS)
                        .execute(() -> sendRead(bytes, kind, deadline, attempt + 1, result));
            } else {
                result.completeExceptionally(error);
            }
        });
    }

    /** How a request travels. */
    private enum Kind {
        WRITE,
        /** Linearizable, unordered: Ratis's ordered stream answers a client's requests one after
         *  another, and a read needs no order beyond the writes its caller already saw acknowledged. */
        READ,
        /** Answered by the leader from its state as it is (nodes' reports live there only); a
         *  follower refuses it and the client goes to the leader. */
        LEADER_READ
    }

    /** Sends through the current Ratis client; completes with the reply's bytes or a typed failure. */
    private CompletableFuture<byte[]> send(byte[] bytes, Kind kind) {
        RaftClient c = client.get();
        Message m = Message.valueOf(UnsafeByteOperations.unsafeWrap(bytes));
        CompletableFuture<RaftClientReply> sent = switch (kind) {
            case WRITE -> c.async().send(m);
            case READ -> c.async().sendReadOnlyUnordered(m, null);
            case LEADER_READ -> c.async().sendReadOnlyNonLinearizable(m);
        };
        // callers continue on a virtual thread, not on the Raft RPC's event loop: a caller that
        // blocked there (a maintenance loop joining the next call) would stall every reply
        return sent.handleAsync((reply, error) -> {
            if (error == null) {
                return reply.getMessage().getContent().toByteArray();
            }
            MooseException e = failure(error);
            if (e.code() == ErrorCode.METADATA_UNAVAILABLE && !LeaderChange.isTransient(e)) {
                renew(c);
            }
            throw e;
        }, CALLERS);
    }

    /**
     * Replaces a Ratis client whose requests ran out of retries: Ratis then fails its ordered
     * stream for good, so every later request on it would fail too.
     */
    private void renew(RaftClient broken) {
        if (closed || client.get() != broken) {
            return;
        }
        RaftClient fresh = newClient.get();
        if (client.compareAndSet(broken, fresh)) {
            LOG.warn("metadata group unreachable; reconnecting with a new Ratis client");
            // not on this thread: it belongs to the client being closed
            CompletableFuture.runAsync(() -> closeQuietly(broken));
            if (closed) {
                closeQuietly(fresh);
            }
        } else {
            closeQuietly(fresh);
        }
    }

    /** Transport trouble means the group is unavailable; the state machine failing is internal. */
    private static MooseException failure(Throwable error) {
        Throwable cause = Failures.unwrap(error);
        if (cause instanceof StateMachineException) {
            return new MooseException(ErrorCode.INTERNAL, "metadata state machine failed: " + cause.getMessage(), cause);
        }
        if (cause instanceof RaftRetryFailureException) {
            // its message lists the whole retry policy: say what it means
            return new MooseException(ErrorCode.METADATA_UNAVAILABLE, "metadata service unavailable: no master answered in time", cause);
        }
        if (cause instanceof IOException) {
            return new MooseException(ErrorCode.METADATA_UNAVAILABLE, "metadata service unavailable: " + cause, cause);
        }
        return new MooseException(ErrorCode.INTERNAL, "metadata request failed: " + cause, cause);
    }

    private static void closeQuietly(RaftClient c) {
        try {
            c.close();
        } catch (IOException | RuntimeException e) {
            LOG.warn("closing a Ratis client", e);
        }
    }

    private static String newUploadId() {
        byte[] id = new byte[16];
        RANDOM.nextBytes(id);
        return HexFormat.of().formatHex(id);
    }

    private static TimeDuration millis(Duration d) {
        return TimeDuration.valueOf(d.toMillis(), TimeUnit.MILLISECONDS);
    }
}
