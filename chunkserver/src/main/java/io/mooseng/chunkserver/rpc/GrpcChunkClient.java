package io.mooseng.chunkserver.rpc;

import com.google.protobuf.UnsafeByteOperations;
import io.mooseng.chunkserver.rpc.proto.DeleteShardRequest;
import io.mooseng.chunkserver.rpc.proto.ReadShardRequest;
import io.mooseng.chunkserver.rpc.proto.ShardServiceGrpcClient;
import io.mooseng.chunkserver.rpc.proto.StatsReply;
import io.mooseng.chunkserver.rpc.proto.StatsRequest;
import io.mooseng.chunkserver.rpc.proto.WriteShardRequest;
import io.mooseng.core.chunk.ChunkClient;
import io.mooseng.core.chunk.ShardStore;
import io.mooseng.core.error.ErrorCode;
import io.mooseng.core.error.MooseException;
import io.mooseng.core.model.ShardId;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpVersion;
import io.vertx.core.net.SocketAddress;
import io.vertx.grpc.client.GrpcClient;
import io.vertx.grpc.client.GrpcClientOptions;
import io.vertx.grpc.client.GrpcClientResponse;
import io.vertx.grpc.common.GrpcStatus;
import io.vertx.grpc.common.ServiceMethod;

import java.nio.ByteBuffer;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * A {@link ChunkClient} speaking the shard service over HTTP/2 cleartext (h2c) to one
 * chunkserver, multiplexing calls on one connection.
 *
 * <p>Futures complete on a Vert.x event loop: callbacks must not block (use the async
 * variants of CompletableFuture to move work elsewhere). Errors the server reports keep
 * their {@link ErrorCode}; connection failures and timeouts become INTERNAL errors naming
 * the chunkserver. Buffers returned by {@link #readShard} are heap buffers the caller owns.
 */
public final class GrpcChunkClient implements ChunkClient {
    private final String nodeId;
    private final SocketAddress address;
    private final GrpcClient client;
    private final long requestTimeoutMillis;

    public GrpcChunkClient(Vertx vertx, String nodeId, SocketAddress address, ChunkClientOptions options) {
        this.nodeId = nodeId;
        this.address = address;
        this.requestTimeoutMillis = options.requestTimeout().toMillis();
        GrpcClientOptions grpc = new GrpcClientOptions()
                .setMaxMessageSize(options.maxMessageBytes())
                .setTimeout((int) requestTimeoutMillis)
                .setTimeoutUnit(TimeUnit.MILLISECONDS)
                .setScheduleDeadlineAutomatically(true);
        HttpClientOptions http = new HttpClientOptions()
                .setProtocolVersion(HttpVersion.HTTP_2)
                .setHttp2ClearTextUpgrade(false)
                .setConnectTimeout((int) options.connectTimeout().toMillis())
                .setInitialSettings(Http2Tuning.settings())
                .setHttp2ConnectionWindowSize(Http2Tuning.CONNECTION_WINDOW_BYTES);
        this.client = GrpcClient.client(vertx, grpc, http);
    }

    @Override
    public String nodeId() {
        return nodeId;
    }

    /** The chunkserver's address. */
    public SocketAddress address() {
        return address;
    }

    @Override
    public CompletableFuture<java.util.List<io.mooseng.core.model.StoredShard>> listShards() {
        throw new UnsupportedOperationException("TODO(issue 4): ListShards RPC");
    }

    @Override
    public CompletableFuture<Void> rebuildShard(io.mooseng.core.chunk.RebuildRequest request) {
        throw new UnsupportedOperationException("TODO(issue 4): RebuildShard RPC");
    }

    @Override
    public CompletableFuture<Void> writeShard(ShardId id, ByteBuffer data, int crc32c) {
        WriteShardRequest request = WriteShardRequest.newBuilder()
                .setId(ShardMessages.toKey(id))
                .setData(UnsafeByteOperations.unsafeWrap(data.slice()))
                .setCrc32C(crc32c)
                .build();
        return complete(call(ShardServiceGrpcClient.WriteShard, request).<Void>map(reply -> null));
    }

    @Override
    public CompletableFuture<ByteBuffer> readShard(ShardId id, long offset, int length) {
        ReadShardRequest request = ReadShardRequest.newBuilder()
                .setId(ShardMessages.toKey(id)).setOffset(offset).setLength(length).build();
        return complete(call(ShardServiceGrpcClient.ReadShard, request)
                .map(reply -> ByteBuffer.wrap(reply.getData().toByteArray())));
    }

    @Override
    public CompletableFuture<Void> deleteShard(ShardId id) {
        DeleteShardRequest request = DeleteShardRequest.newBuilder().setId(ShardMessages.toKey(id)).build();
        return complete(call(ShardServiceGrpcClient.DeleteShard, request).<Void>map(reply -> null));
    }

    /** The chunkserver's store usage. */
    public CompletableFuture<ShardStore.Usage> stats() {
        return complete(call(ShardServiceGrpcClient.Stats, StatsRequest.getDefaultInstance()).map(GrpcChunkClient::usage));
    }

    /** Closes the connection; calls made afterwards fail. Does not block. */
    @Override
    public void close() {
        client.close();
    }

    private <Req, Resp> Future<Resp> call(ServiceMethod<Resp, Req> method, Req request) {
        return client.request(address, method)
                .compose(req -> req.send(request))
                .compose(this::lastOrStatus)
                // the gRPC deadline starts with the stream; this one also covers a server that
                // accepts the connection but never completes the HTTP/2 handshake
                .timeout(requestTimeoutMillis, TimeUnit.MILLISECONDS)
                .recover(failure -> Future.failedFuture(failure instanceof MooseException ? failure
                        : new MooseException(ErrorCode.INTERNAL, "chunkserver " + nodeId + " unreachable at "
                        + address + ": " + failure, failure)));
    }

    /** The reply, or the server's error when the call ended with a non-OK status. */
    private <Req, Resp> Future<Resp> lastOrStatus(GrpcClientResponse<Req, Resp> response) {
        return response.last().recover(failure -> {
            GrpcStatus status = response.status();
            return Future.failedFuture(status != null && status != GrpcStatus.OK
                    ? RpcErrors.fromStatus(nodeId, status, response.statusMessage())
                    : failure);
        });
    }

    private static <T> CompletableFuture<T> complete(Future<T> future) {
        return future.toCompletionStage().toCompletableFuture();
    }

    private static ShardStore.Usage usage(StatsReply r) {
        return new ShardStore.Usage(r.getShards(), r.getLiveBytes(), r.getDiskBytes(), r.getCapacityBytes(), r.getFreeBytes());
    }
}
