package io.mooseng.chunkserver.rpc;

import com.google.protobuf.UnsafeByteOperations;
import io.mooseng.chunkserver.rpc.proto.DeleteShardRequest;
import io.mooseng.chunkserver.rpc.proto.ListShardsReply;
import io.mooseng.chunkserver.rpc.proto.ListShardsRequest;
import io.mooseng.chunkserver.rpc.proto.ReadShardRequest;
import io.mooseng.chunkserver.rpc.proto.ShardServiceGrpcClient;
import io.mooseng.chunkserver.rpc.proto.StatsReply;
import io.mooseng.chunkserver.rpc.proto.StatsRequest;
import io.mooseng.chunkserver.rpc.proto.WriteShardRequest;
import io.mooseng.core.chunk.ChunkClient;
import io.mooseng.core.chunk.RebuildRequest;
import io.mooseng.core.chunk.ShardStore;
import io.mooseng.core.error.ErrorCode;
import io.mooseng.core.error.MooseException;
import io.mooseng.core.model.ShardId;
import io.mooseng.core.model.StoredShard;
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
import java.util.ArrayList;
import java.util.List;
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
 * ListShards and RebuildShard get the longer deadline {@link ChunkClientOptions#longCallTimeout()}.
 */
public final class GrpcChunkClient implements ChunkClient {
    private final String nodeId;
    private final SocketAddress address;
    private final GrpcClient client;
    private final long requestTimeoutMillis;
    private final long longCallTimeoutMillis;

    public GrpcChunkClient(Vertx vertx, String nodeId, SocketAddress address, ChunkClientOptions options) {
        this.nodeId = nodeId;
        this.address = address;
        this.requestTimeoutMillis = options.requestTimeout().toMillis();
        this.longCallTimeoutMillis = options.longCallTimeout().toMillis();
        GrpcClientOptions grpc = new GrpcClientOptions()
                .setMaxMessageSize(options.maxMessageBytes())
                // each call sets its own deadline (see call and listShards)
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
    public CompletableFuture<Void> writeShard(ShardId id, ByteBuffer data, int crc32c) {
        WriteShardRequest request = WriteShardRequest.newBuilder()
                .setId(ShardMessages.toKey(id))
                .setData(UnsafeByteOperations.unsafeWrap(data.slice()))
                .setCrc32C(crc32c)
                .build();
        return complete(call(ShardServiceGrpcClient.WriteShard, request, requestTimeoutMillis).<Void>map(reply -> null));
    }

    @Override
    public CompletableFuture<ByteBuffer> readShard(ShardId id, long offset, int length) {
        ReadShardRequest request = ReadShardRequest.newBuilder()
                .setId(ShardMessages.toKey(id)).setOffset(offset).setLength(length).build();
        return complete(call(ShardServiceGrpcClient.ReadShard, request, requestTimeoutMillis)
                .map(reply -> ByteBuffer.wrap(reply.getData().toByteArray())));
    }

    @Override
    public CompletableFuture<Void> deleteShard(ShardId id) {
        DeleteShardRequest request = DeleteShardRequest.newBuilder().setId(ShardMessages.toKey(id)).build();
        return complete(call(ShardServiceGrpcClient.DeleteShard, request, requestTimeoutMillis).<Void>map(reply -> null));
    }

    /** The inventory arrives in batches ({@link ShardMessages#LIST_BATCH_SHARDS} a message), collected here. */
    @Override
    public CompletableFuture<List<StoredShard>> listShards() {
        // the handler runs on this stream's event loop only, so a plain list will do
        List<StoredShard> shards = new ArrayList<>();
        Future<List<StoredShard>> listed = client.request(address, ShardServiceGrpcClient.ListShards)
                .compose(req -> req.timeout(longCallTimeoutMillis, TimeUnit.MILLISECONDS)
                        .send(ListShardsRequest.getDefaultInstance()))
                .compose(response -> {
                    response.handler((ListShardsReply batch) -> batch.getShardsList()
                            .forEach(shard -> shards.add(ShardMessages.fromListed(shard))));
                    return orStatus(response, response.end());
                })
                .map(done -> shards);
        return complete(guard(listed, longCallTimeoutMillis));
    }

    @Override
    public CompletableFuture<Void> rebuildShard(RebuildRequest request) {
        return complete(call(ShardServiceGrpcClient.RebuildShard, ShardMessages.toRebuild(request), longCallTimeoutMillis)
                .<Void>map(reply -> null));
    }

    /** The chunkserver's store usage. */
    public CompletableFuture<ShardStore.Usage> stats() {
        return complete(call(ShardServiceGrpcClient.Stats, StatsRequest.getDefaultInstance(), requestTimeoutMillis)
                .map(GrpcChunkClient::usage));
    }

    /** Closes the connection; calls made afterwards fail. Does not block. */
    @Override
    public void close() {
        client.close();
    }

    private <Req, Resp> Future<Resp> call(ServiceMethod<Resp, Req> method, Req request, long timeoutMillis) {
        return guard(client.request(address, method)
                .compose(req -> req.timeout(timeoutMillis, TimeUnit.MILLISECONDS).send(request))
                .compose(response -> orStatus(response, response.last())), timeoutMillis);
    }

    /** Bounds a call by its deadline and names the chunkserver in transport failures. */
    private <T> Future<T> guard(Future<T> call, long timeoutMillis) {
        // the gRPC deadline starts with the stream; this one also covers a server that
        // accepts the connection but never completes the HTTP/2 handshake
        return call.timeout(timeoutMillis, TimeUnit.MILLISECONDS)
                .recover(failure -> Future.failedFuture(failure instanceof MooseException ? failure
                        : new MooseException(ErrorCode.INTERNAL, "chunkserver " + nodeId + " unreachable at "
                        + address + ": " + failure, failure)));
    }

    /** The outcome, or the server's error when the call ended with a non-OK status. */
    private <T> Future<T> orStatus(GrpcClientResponse<?, ?> response, Future<T> outcome) {
        return outcome.recover(failure -> {
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
