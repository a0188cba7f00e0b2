package io.mooseng.chunkserver.transport;

import io.mooseng.core.model.ShardId;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.List;

/**
 * One LIST answer: the store's inventory, in shard id order, as LIST_BATCH frames of {@value #BATCH_SHARDS}
 * shards (about 34 KiB each), the last flagged END. The ids are snapshotted first (a
 * reference each, 8 bytes a shard); then each batch's lengths are looked up on the worker
 * pool and the batch written, waiting for the client whenever the write queue is full, so
 * memory stays at one batch in flight whatever the inventory size.
 *
 * <p>A shard deleted after the snapshot is left out; one written after it is not listed.
 */
final class InventoryStream {
    static final int BATCH_SHARDS = 1024;
    private static final Logger log = LoggerFactory.getLogger(InventoryStream.class);

    private final ServerConnection connection;
    private final int requestId;
    private final ShardCalls calls;
    private final Promise<Void> done = Promise.promise();

    InventoryStream(ServerConnection connection, int requestId, ShardCalls calls) {
        this.connection = connection;
        this.requestId = requestId;
        this.calls = calls;
    }

    /** Starts streaming; completes once the last batch (or the error) is written, or the connection is gone. */
    Future<Void> start() {
        calls.inventory().onComplete(ids -> {
            if (ids.failed()) {
                fail(ids.cause());
            } else {
                send(ids.result(), 0);
            }
        });
        return done.future();
    }

    /** Sends the batch starting at {@code from}, then the next once the client keeps up. */
    private void send(List<ShardId> ids, int from) {
        if (!connection.isOpen()) {
            done.complete();
            return;
        }
        int to = Math.min(ids.size(), from + BATCH_SHARDS);
        calls.batch(ids.subList(from, to)).onComplete(built -> {
            if (built.failed()) {
                fail(built.cause());
            } else if (to == ids.size()) {
                connection.send(Frames.control(FrameType.LIST_BATCH, FrameHeader.FLAG_END, requestId, built.result()));
                log.debug("listed inventory: shards={}", ids.size());
                done.complete();
            } else {
                connection.send(Frames.control(FrameType.LIST_BATCH, 0, requestId, built.result()));
                connection.whenWritable(() -> send(ids, to));
            }
        });
    }

    private void fail(Throwable failure) {
        connection.send(TransportErrors.frame(requestId, failure));
        done.complete();
    }
}
