package io.mooseng.chunkserver.transport;

import io.mooseng.chunkserver.repair.ShardRebuilder;
import io.mooseng.chunkserver.store.SegmentShardStore;
import io.mooseng.core.memory.ByteBudget;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.WorkerExecutor;
import io.vertx.core.net.NetServer;
import io.vertx.core.net.NetServerOptions;

/**
 * The shard transport's listening side on one chunkserver: a TCP server on the
 * chunkserver's address, one {@link ServerConnection} per client. The protocol is described
 * in docs/ARCHITECTURE.md ("Shard transport") and by {@link FrameType}.
 */
public final class ShardTransportServer {
    /** Default largest shard either side takes: room to spare over the 4 MiB block's shards. */
    public static final int DEFAULT_MAX_SHARD_BYTES = 16 << 20;

    private final Vertx vertx;
    private final ShardCalls calls;
    private final ByteBudget receiveBudget;
    private final int maxShardBytes;
    private NetServer server;

    /**
     * @param io            the worker pool for store calls
     * @param receiveBudget memory for shards being received; a connection whose shard cannot
     *                      get its bytes stops reading until it can
     * @param maxShardBytes larger shards are refused
     */
    public ShardTransportServer(Vertx vertx, String nodeId, SegmentShardStore store, WorkerExecutor io,
                                ShardRebuilder rebuilder, ByteBudget receiveBudget, int maxShardBytes) {
        this.vertx = vertx;
        this.calls = new ShardCalls(nodeId, store, io, rebuilder);
        this.receiveBudget = receiveBudget;
        this.maxShardBytes = maxShardBytes;
    }

    /** Starts listening on {@code host:port} (port 0 picks a free one). Once. */
    public Future<ShardTransportServer> listen(String host, int port) {
        server = vertx.createNetServer(new NetServerOptions().setHost(host).setPort(port).setTcpNoDelay(true))
                .connectHandler(socket -> new ServerConnection(socket, calls, receiveBudget, maxShardBytes).start());
        return server.listen().map(this);
    }

    /** The port listened on; valid after listen. */
    public int port() {
        return server.actualPort();
    }

    /** Stops listening and closes every connection. */
    public Future<Void> close() {
        return server == null ? Future.succeededFuture() : server.close();
    }
}
