package io.mooseng.chunkserver.rpc;

import com.google.protobuf.UnsafeByteOperations;
import io.mooseng.chunkserver.rpc.proto.DeleteShardReply;
import io.mooseng.chunkserver.rpc.proto.DeleteShardRequest;
import io.mooseng.chunkserver.rpc.proto.ReadShardReply;
import io.mooseng.chunkserver.rpc.proto.ReadShardRequest;
import io.mooseng.chunkserver.rpc.proto.ShardServiceGrpcService;
import io.mooseng.chunkserver.rpc.proto.ShardServiceService;
import io.mooseng.chunkserver.rpc.proto.StatsReply;
import io.mooseng.chunkserver.rpc.proto.StatsRequest;
import io.mooseng.chunkserver.rpc.proto.WriteShardReply;
import io.mooseng.chunkserver.rpc.proto.WriteShardRequest;
import io.mooseng.chunkserver.store.SegmentShardStore;
import io.mooseng.core.chunk.ShardStore;
import io.mooseng.core.error.ErrorCode;
import io.mooseng.core.error.MooseException;
import io.mooseng.core.model.ShardId;
import io.vertx.core.Future;
import io.vertx.core.WorkerExecutor;
import io.vertx.grpc.server.Service;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.ByteBuffer;
import java.util.concurrent.Callable;

/**
 * The shard service of one chunkserver over its store. Every store call is blocking disk
 * I/O and runs on the given worker pool, unordered, so concurrent writes reach the store
 * together and share fsyncs.
 */
public final class ShardRpcService extends ShardServiceService {
    private static final Logger log = LoggerFactory.getLogger(ShardRpcService.class);

    private final String nodeId;
    private final SegmentShardStore store;
    private final WorkerExecutor io;

    public ShardRpcService(String nodeId, SegmentShardStore store, WorkerExecutor io) {
        this.nodeId = nodeId;
        this.store = store;
        this.io = io;
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

    private <T> Future<T> blocking(String op, ShardId id, Callable<T> work) {
        return io.executeBlocking(work, false).recover(failure -> {
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
