package io.mooseng.chunkserver.rpc;

import com.google.protobuf.UnsafeByteOperations;
import io.mooseng.chunkserver.rpc.proto.DeleteShardReply;
import io.mooseng.chunkserver.rpc.proto.DeleteShardRequest;
import io.mooseng.chunkserver.rpc.proto.ListShardsReply;
import io.mooseng.chunkserver.rpc.proto.ListShardsRequest;
import io.mooseng.chunkserver.rpc.proto.ReadShardReply;
import io.mooseng.chunkserver.rpc.proto.ReadShardRequest;
import io.mooseng.chunkserver.rpc.proto.RebuildShardReply;
import io.mooseng.chunkserver.rpc.proto.RebuildShardRequest;
import io.mooseng.chunkserver.rpc.proto.ShardServiceGrpcService;
import io.mooseng.chunkserver.rpc.proto.ShardServiceService;
import io.mooseng.chunkserver.rpc.proto.StatsReply;
import io.mooseng.chunkserver.rpc.proto.StatsRequest;
import io.mooseng.chunkserver.rpc.proto.WriteShardReply;
import io.mooseng.chunkserver.rpc.proto.WriteShardRequest;
import io.mooseng.chunkserver.repair.ShardRebuilder;
import io.mooseng.chunkserver.store.SegmentShardStore;
import io.mooseng.core.chunk.RebuildRequest;
import io.mooseng.core.chunk.ShardStore;
import io.mooseng.core.error.ErrorCode;
import io.mooseng.core.error.MooseException;
import io.mooseng.core.model.ShardId;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.WorkerExecutor;
import io.vertx.core.streams.WriteStream;
import io.vertx.grpc.server.GrpcServerResponse;
import io.vertx.grpc.server.Service;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.ByteBuffer;
import java.util.concurrent.Callable;

/**
 * The shard service of one chunkserver over its store. Every store call is blocking disk
 * I/O and runs on the given worker pool, unordered, so concurrent writes reach the store
 * together and share fsyncs. ListShards streams ({@link InventoryStream}); RebuildShard is
 * the {@link ShardRebuilder}'s.
 */
public final class ShardRpcService extends ShardServiceService {
    private static final Logger log = LoggerFactory.getLogger(ShardRpcService.class);

    private final String nodeId;
    private final SegmentShardStore store;
    private final WorkerExecutor io;
    private final ShardRebuilder rebuilder;

    public ShardRpcService(String nodeId, SegmentShardStore store, WorkerExecutor io, ShardRebuilder rebuilder) {
        this.nodeId = nodeId;
        this.store = store;
        this.io = io;
        this.rebuilder = rebuilder;
    }

    /** This service, bound for {@link io.vertx.grpc.server.GrpcServer#addService}. */
    public Service bindable() {
        return ShardServiceGrpcService.of(this);
    }

    @Override
    public Future<WriteShardReply> writeShard(WriteShardRequest request) {
        ShardId id = ShardMessages.fromKey(request.getId());
        return blocking("write", id, () -> {
            store.put(id, request.getData().asReadOnlyByteBuffer(), request.getCrc32C());
            return WriteShardReply.getDefaultInstance();
        });
    }

    @Override
    public Future<ReadShardReply> readShard(ReadShardRequest request) {
        ShardId id = ShardMessages.fromKey(request.getId());
        // uint32 on the wire: values above 2^31-1 arrive negative and mean "to the end"
        int length = request.getLength() < 0 ? Integer.MAX_VALUE : request.getLength();
        return blocking("read", id, () -> {
            ByteBuffer data = store.get(id, request.getOffset(), length);
            return ReadShardReply.newBuilder().setData(UnsafeByteOperations.unsafeWrap(data)).build();
        });
    }

    @Override
    public Future<DeleteShardReply> deleteShard(DeleteShardRequest request) {
        ShardId id = ShardMessages.fromKey(request.getId());
        return blocking("delete", id, () -> DeleteShardReply.newBuilder().setExisted(store.delete(id)).build());
    }

    @Override
    public Future<StatsReply> stats(StatsRequest request) {
        return blocking("stats", null, () -> {
            ShardStore.Usage u = store.usage();
            return StatsReply.newBuilder().setNodeId(nodeId).setShards(u.shards()).setLiveBytes(u.liveBytes())
                    .setDiskBytes(u.diskBytes()).setCapacityBytes(u.capacityBytes()).setFreeBytes(u.freeBytes())
                    .build();
        });
    }

    /** Streams the inventory; the generated default would drop a failure before the first batch. */
    @Override
    protected void listShards(ListShardsRequest request, WriteStream<ListShardsReply> response) {
        // the generated binding hands over the call's server response
        new InventoryStream(nodeId, store, io, (GrpcServerResponse<?, ListShardsReply>) response).start();
    }

    @Override
    public Future<RebuildShardReply> rebuildShard(RebuildShardRequest request) {
        RebuildRequest rebuild;
        try {
            rebuild = ShardMessages.fromRebuild(request);
        } catch (RuntimeException e) {
            return answer("rebuild", null, Future.failedFuture(e));
        }
        return answer("rebuild", rebuild.shard(),
                Future.fromCompletionStage(rebuilder.rebuild(rebuild), Vertx.currentContext())
                        .map(done -> RebuildShardReply.getDefaultInstance()));
    }

    private <T> Future<T> blocking(String op, ShardId id, Callable<T> work) {
        return answer(op, id, io.executeBlocking(work, false));
    }

    /** The outcome, with a failure logged and turned into the status that carries its code. */
    private <T> Future<T> answer(String op, ShardId id, Future<T> outcome) {
        return outcome.recover(failure -> {
            MooseException e = MooseException.of(failure);
            if (e.code() == ErrorCode.INTERNAL) {
                log.warn("{} {} on chunkserver {} failed", op, id, nodeId, failure);
            } else {
                log.debug("{} {} on chunkserver {}: {}", op, id, nodeId, e.toString());
            }
            return Future.failedFuture(RpcErrors.toStatus(e));
        });
    }
}
