package io.mooseng.metadata.client;

import io.mooseng.core.error.ErrorCode;
import io.mooseng.core.error.MooseException;
import io.mooseng.core.metadata.MetadataService;
import io.mooseng.core.model.BucketInfo;
import io.mooseng.core.model.ChunkserverInfo;
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
import io.mooseng.metadata.codec.Codec;
import io.mooseng.metadata.codec.ModelCodec;
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
import io.mooseng.metadata.command.MetadataQuery;
import io.mooseng.metadata.command.MetadataQuery.GetBucket;
import io.mooseng.metadata.command.MetadataQuery.GetObject;
import io.mooseng.metadata.command.MetadataQuery.GetUpload;
import io.mooseng.metadata.command.MetadataQuery.ListBuckets;
import io.mooseng.metadata.command.MetadataQuery.ListChunkservers;
import io.mooseng.metadata.command.MetadataQuery.ListObjects;
import io.mooseng.metadata.command.MetadataQuery.ListParts;
import io.mooseng.metadata.command.MetadataQuery.ListUploads;
import io.mooseng.metadata.raft.RaftPeers;
import org.apache.ratis.RaftConfigKeys;
import org.apache.ratis.client.RaftClient;
import org.apache.ratis.client.RaftClientConfigKeys;
import org.apache.ratis.client.retry.RequestTypeDependentRetryPolicy;
import org.apache.ratis.conf.RaftProperties;
import org.apache.ratis.proto.RaftProtos.RaftClientRequestProto.TypeCase;
import org.apache.ratis.protocol.Message;
import org.apache.ratis.protocol.RaftClientReply;
import org.apache.ratis.protocol.exceptions.StateMachineException;
import org.apache.ratis.retry.RetryPolicies;
import org.apache.ratis.rpc.SupportedRpcType;
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
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;

/**
 * {@link MetadataService} backed by the metadata Raft group, reached with nothing but the
 * peers' raft addresses (from any process). Mutations are log entries, pipelined and
 * batched (see {@link RequestPipeline}); queries are linearizable reads. Upload ids and
 * every timestamp are chosen here, before submission, so the state machine stays
 * deterministic. Ratis retries against a new leader; a request still unanswered after the
 * retry timeout fails with METADATA_UNAVAILABLE (its outcome is then unknown).
 *
 * <p>Non-blocking: futures complete on Ratis client threads, so callers must not block in
 * their continuations.
 */
public final class RaftMetadataService implements MetadataService {
    private static final Logger LOG = LoggerFactory.getLogger(RaftMetadataService.class);
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final int RATIS_SLACK = 8;

    private final RaftClient client;
    private final RequestPipeline pipeline;

    private RaftMetadataService(RaftClient client, MetadataClientConfig config) {
        this.client = client;
        this.pipeline = new RequestPipeline(
                m -> reply(client.async().send(message(m))),
                m -> reply(client.async().sendReadOnly(message(m))),
                config);
    }

    /** Connects to the group whose peers have these raft addresses (host:port). */
    public static RaftMetadataService connect(List<String> raftAddresses) {
        return connect(raftAddresses, MetadataClientConfig.DEFAULTS);
    }

    public static RaftMetadataService connect(List<String> raftAddresses, MetadataClientConfig config) {
        RaftProperties p = new RaftProperties();
        RaftConfigKeys.Rpc.setType(p, SupportedRpcType.GRPC);
        RaftClientConfigKeys.Rpc.setRequestTimeout(p, millis(config.requestTimeout()));
        // our pipeline bounds what is in flight; Ratis's own bound would block the caller
        RaftClientConfigKeys.Async.setOutstandingRequestsMax(p, config.maxWritesInFlight() + config.maxReadsInFlight() + RATIS_SLACK);
        RequestTypeDependentRetryPolicy.Builder retry = RequestTypeDependentRetryPolicy.newBuilder();
        for (TypeCase type : List.of(TypeCase.WRITE, TypeCase.READ)) {
            retry.setRetryPolicy(type, RetryPolicies.retryForeverWithSleep(millis(config.retryInterval())))
                    .setTimeout(type, millis(config.retryTimeout()));
        }
        RaftClient client = RaftClient.newBuilder()
                .setProperties(p)
                .setRaftGroup(RaftPeers.group(raftAddresses))
                .setRetryPolicy(retry.build())
                .build();
        return new RaftMetadataService(client, config);
    }

    @Override
    public CompletableFuture<BucketInfo> createBucket(String name, StorageClass defaultClass, long createdMillis) {
        return write(() -> new CreateBucket(name, defaultClass, createdMillis), ModelCodec.BUCKET);
    }

    @Override
    public CompletableFuture<Void> deleteBucket(String name) {
        return write(() -> new DeleteBucket(name), ModelCodec.NONE);
    }

    @Override
    public CompletableFuture<BucketInfo> getBucket(String name) {
        return read(() -> new GetBucket(name), ModelCodec.BUCKET);
    }

    @Override
    public CompletableFuture<List<BucketInfo>> listBuckets() {
        return read(ListBuckets::new, ModelCodec.BUCKETS);
    }

    @Override
    public CompletableFuture<Optional<ObjectInfo>> putObject(String bucket, ObjectKey key, ObjectManifest manifest) {
        return write(() -> new PutObject(bucket, key.key(), manifest), ModelCodec.OPTIONAL_OBJECT);
    }

    @Override
    public CompletableFuture<ObjectInfo> getObject(String bucket, ObjectKey key) {
        return read(() -> new GetObject(bucket, key.key()), ModelCodec.OBJECT);
    }

    @Override
    public CompletableFuture<Optional<ObjectInfo>> deleteObject(String bucket, ObjectKey key) {
        return write(() -> new DeleteObject(bucket, key.key()), ModelCodec.OPTIONAL_OBJECT);
    }

    @Override
    public CompletableFuture<ListPage> listObjects(String bucket, ListRequest request) {
        return read(() -> new ListObjects(bucket, request), ModelCodec.LIST_PAGE);
    }

    @Override
    public CompletableFuture<MultipartUpload> createMultipartUpload(String bucket, ObjectKey key, ObjectProperties properties,
                                                                    StorageClass storageClass, long initiatedMillis) {
        return write(() -> new CreateUpload(bucket, key.key(), newUploadId(), properties, storageClass, initiatedMillis),
                ModelCodec.UPLOAD);
    }

    @Override
    public CompletableFuture<MultipartUpload> getMultipartUpload(String bucket, ObjectKey key, String uploadId) {
        return read(() -> new GetUpload(bucket, key.key(), uploadId), ModelCodec.UPLOAD);
    }

    @Override
    public CompletableFuture<Optional<PartInfo>> putPart(String bucket, ObjectKey key, String uploadId, PartInfo part) {
        return write(() -> new PutPart(bucket, key.key(), uploadId, part), ModelCodec.OPTIONAL_PART);
    }

    @Override
    public CompletableFuture<List<PartInfo>> listParts(String bucket, ObjectKey key, String uploadId) {
        return read(() -> new ListParts(bucket, key.key(), uploadId), ModelCodec.PARTS);
    }

    @Override
    public CompletableFuture<CompletedUpload> completeMultipartUpload(String bucket, ObjectKey key, String uploadId,
                                                                      List<CompletedPart> parts, long minPartSize,
                                                                      long mtimeMillis) {
        return write(() -> new CompleteUpload(bucket, key.key(), uploadId, parts, minPartSize, mtimeMillis),
                ModelCodec.COMPLETED_UPLOAD);
    }

    @Override
    public CompletableFuture<List<PartInfo>> abortMultipartUpload(String bucket, ObjectKey key, String uploadId) {
        return write(() -> new AbortUpload(bucket, key.key(), uploadId), ModelCodec.PARTS);
    }

    @Override
    public CompletableFuture<List<MultipartUpload>> listMultipartUploads(String bucket, String prefix) {
        return read(() -> new ListUploads(bucket, prefix == null ? "" : prefix), ModelCodec.UPLOADS);
    }

    @Override
    public CompletableFuture<Void> registerChunkserver(ChunkserverInfo info) {
        return write(() -> new RegisterChunkserver(info), ModelCodec.NONE);
    }

    @Override
    public CompletableFuture<List<ChunkserverInfo>> listChunkservers() {
        return read(ListChunkservers::new, ModelCodec.CHUNKSERVERS);
    }

    /** Fails queued requests with METADATA_UNAVAILABLE and closes the Ratis client. */
    @Override
    public void close() {
        pipeline.close();
        try {
            client.close();
        } catch (IOException e) {
            LOG.warn("closing the metadata client", e);
        }
    }

    private <T> CompletableFuture<T> write(java.util.function.Supplier<MetadataCommand> command, Codec<T> result) {
        byte[] encoded;
        try {
            encoded = CommandCodec.encode(command.get());
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(MooseException.of(e));
        }
        return pipeline.write(encoded, result);
    }

    private <T> CompletableFuture<T> read(java.util.function.Supplier<MetadataQuery> query, Codec<T> result) {
        byte[] encoded;
        try {
            encoded = CommandCodec.encode(query.get());
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(MooseException.of(e));
        }
        return pipeline.read(encoded, result);
    }

    private static Message message(byte[] bytes) {
        return Message.valueOf(UnsafeByteOperations.unsafeWrap(bytes));
    }

    /** The reply's bytes, or a typed failure: transport trouble means the group is unavailable. */
    private static CompletableFuture<byte[]> reply(CompletableFuture<RaftClientReply> sent) {
        return sent.handle((reply, error) -> {
            if (error == null) {
                return reply.getMessage().getContent().toByteArray();
            }
            Throwable cause = error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
            if (cause instanceof StateMachineException) {
                throw new MooseException(ErrorCode.INTERNAL, "metadata state machine failed: " + cause.getMessage(), cause);
            }
            if (cause instanceof IOException) {
                throw new MooseException(ErrorCode.METADATA_UNAVAILABLE, "metadata service unavailable: " + cause, cause);
            }
            throw new MooseException(ErrorCode.INTERNAL, "metadata request failed: " + cause, cause);
        });
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
