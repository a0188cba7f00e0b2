package io.mooseng.chunkserver.rpc;

import io.mooseng.chunkserver.rpc.proto.ListShardsReply;
import io.mooseng.chunkserver.store.SegmentShardStore;
import io.mooseng.core.model.ShardId;
import io.vertx.core.WorkerExecutor;
import io.vertx.grpc.server.GrpcServerResponse;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.List;

/**
 * One ListShards answer: the store's inventory as a stream of batches of
 * {@link ShardMessages#LIST_BATCH_SHARDS} shards. The ids are snapshotted first (a reference
 * each, 8 bytes a shard); then each batch's lengths are looked up on the worker pool and the
 * batch written on the event loop, waiting for the client whenever the write queue is full,
 * so memory stays at one batch in flight whatever the inventory size.
 *
 * <p>A shard deleted after the snapshot is left out; one written after it is not listed.
 */
final class InventoryStream {
    private static final Logger log = LoggerFactory.getLogger(InventoryStream.class);

    private final String nodeId;
    private final SegmentShardStore store;
    private final WorkerExecutor io;
    private final GrpcServerResponse<?, ListShardsReply> response;
    private volatile boolean abandoned;

    InventoryStream(String nodeId, SegmentShardStore store, WorkerExecutor io, GrpcServerResponse<?, ListShardsReply> response) {
        this.nodeId = nodeId;
        this.store = store;
        this.io = io;
        this.response = response;
    }

    /** Starts streaming; call on the request's event loop. */
    void start() {
        response.exceptionHandler(failure -> {
            abandoned = true;
            log.debug("listing abandoned: node={} cause={}", nodeId, failure.toString());
        });
        io.executeBlocking(this::snapshot, false).onComplete(ids -> {
            if (ids.failed()) {
                fail(ids.cause());
            } else {
                send(ids.result(), 0);
            }
        });
    }

    private List<ShardId> snapshot() {
        List<ShardId> ids = new ArrayList<>();
        store.forEach(ids::add);
        return ids;
    }

    /** Sends the batch starting at {@code from}, then the next once the client keeps up. */
    private void send(List<ShardId> ids, int from) {
        if (abandoned) {
            return;
        }
        int to = Math.min(ids.size(), from + ShardMessages.LIST_BATCH_SHARDS);
        io.executeBlocking(() -> batch(ids.subList(from, to)), false).onComplete(built -> {
            if (built.failed()) {
                fail(built.cause());
            } else if (to == ids.size()) {
                response.end(built.result());
                log.debug("listed inventory: node={} shards={}", nodeId, ids.size());
            } else {
                response.write(built.result());
                if (response.writeQueueFull()) {
                    response.drainHandler(drained -> {
                        response.drainHandler(null);
                        send(ids, to);
                    });
                } else {
                    send(ids, to);
                }
            }
        });
    }

    private ListShardsReply batch(List<ShardId> ids) {
        ListShardsReply.Builder batch = ListShardsReply.newBuilder();
        for (ShardId id : ids) {
            long length = store.size(id);
            if (length >= 0) {
                batch.addShards(ShardMessages.toListed(id, length));
            }
        }
        return batch.build();
    }

    private void fail(Throwable failure) {
        log.warn("listing failed: node={}", nodeId, failure);
        response.fail(RpcErrors.toStatus(failure));
    }
}
