package io.mooseng.chunkserver;

import io.mooseng.chunkserver.repair.ShardRebuilder;
import io.mooseng.chunkserver.scrub.Scrubber;
import io.mooseng.chunkserver.store.SegmentShardStore;
import io.mooseng.chunkserver.transport.ChunkClientOptions;
import io.mooseng.chunkserver.transport.ChunkClientPool;
import io.mooseng.chunkserver.transport.LocalShards;
import io.mooseng.chunkserver.transport.ShardTransportServer;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.WorkerExecutor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One chunkserver: a {@link SegmentShardStore} served over the shard transport (framed TCP,
 * {@link ShardTransportServer}) on {@code host:port}. Store calls run on a worker pool named
 * {@code mooseng-chunkserver-<nodeId>-io}, never on an event loop.
 *
 * <p>Lifecycle: {@link #start()} opens the store, starts its compactor and the
 * {@link Scrubber}, and listens; {@link #stop()} stops listening and scrubbing, then
 * closes the store cleanly (which stops its compactor) and the pool. Start and stop once each.
 * The Vert.x instance belongs to the caller (several servers may share one).
 */
public final class ChunkServer {
    private static final Logger log = LoggerFactory.getLogger(ChunkServer.class);

    private final Vertx vertx;
    private final String nodeId;
    private final ChunkServerOptions options;
    private WorkerExecutor io;
    private SegmentShardStore store;
    private Scrubber scrubber;
    private ShardTransportServer transport;
    /** Clients of the other chunkservers, by host:port, for rebuilds. */
    private ChunkClientPool peers;
    /** From the end of a start to the beginning of a stop. */
    private volatile boolean serving;

    public ChunkServer(Vertx vertx, String nodeId, ChunkServerOptions options) {
        this.vertx = vertx;
        this.nodeId = nodeId;
        this.options = options;
    }

    /** Opens the store (replaying its segments) and starts listening. */
    public Future<ChunkServer> start() {
        io = vertx.createSharedWorkerExecutor("mooseng-chunkserver-" + nodeId + "-io", options.ioThreads());
        return io.executeBlocking(() -> SegmentShardStore.open(options.dataDir(), options.store()))
                .compose(opened -> {
                    store = opened;
                    store.startCompactor();
                    scrubber = new Scrubber(store, options.scrubBytesPerSecond(), Scrubber.PASS_PAUSE);
                    scrubber.start();
                    return listen();
                })
                .map(server -> {
                    transport = server;
                    serving = true;
                    log.info("chunkserver {} serving {} on {}:{}", nodeId, options.dataDir(), options.host(), port());
                    return this;
                })
                .recover(failure -> stop().transform(ignored -> Future.failedFuture(failure)));
    }

    private Future<ShardTransportServer> listen() {
        // a rebuild reads its survivors from the peers as this chunkserver (its own certificate)
        peers = ChunkClientPool.byAddress(vertx, ChunkClientOptions.defaults().withTls(options.tls()));
        return new ShardTransportServer(vertx, nodeId, store, io, new ShardRebuilder(vertx, nodeId, store, io, peers),
                options.receiveBudget(), options.maxShardBytes(), options.tls())
                .listen(options.host(), options.port());
    }

    /** Stops listening and calling peers, then the scrubber, then closes the store and the worker pool. */
    public Future<Void> stop() {
        serving = false;
        if (peers != null) {
            peers.close();
        }
        Future<Void> closed = transport == null ? Future.succeededFuture() : transport.close();
        return closed.eventually(() -> store == null ? Future.succeededFuture()
                        : io.executeBlocking(() -> {
                            scrubber.close();
                            store.close();
                            return null;
                        }))
                .eventually(() -> io == null ? Future.succeededFuture() : io.close())
                .onSuccess(v -> log.info("chunkserver {} stopped", nodeId))
                .mapEmpty();
    }

    public String nodeId() {
        return nodeId;
    }

    /** The port listened on (the one picked, if configured as 0); valid after start. */
    public int port() {
        return transport.port();
    }

    /**
     * Shard writes and reads for callers in this process, without the transport's connection;
     * null unless serving (then a caller goes over the transport, and finds it closed).
     */
    public LocalShards local() {
        return serving ? transport.local() : null;
    }

    /** The shard store; valid after start. */
    public SegmentShardStore store() {
        return store;
    }

    /** The background scrubber, for its counters; valid after start. */
    public Scrubber scrubber() {
        return scrubber;
    }
}
