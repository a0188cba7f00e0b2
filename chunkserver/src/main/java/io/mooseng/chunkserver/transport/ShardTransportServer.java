package io.mooseng.chunkserver.transport;

import io.mooseng.chunkserver.repair.ShardRebuilder;
import io.mooseng.chunkserver.store.SegmentShardStore;
import io.mooseng.core.memory.ByteBudget;
import io.mooseng.core.security.ClusterTls;
import io.netty.util.ReferenceCountUtil;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.WorkerExecutor;
import io.vertx.core.Promise;
import io.vertx.core.internal.ContextInternal;
import io.vertx.core.internal.VertxInternal;
import io.vertx.core.internal.net.NetSocketInternal;
import io.vertx.core.net.NetServer;
import io.vertx.core.net.NetServerOptions;
import io.vertx.core.net.NetSocket;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The shard transport's listening side on one chunkserver: a TCP server on the
 * chunkserver's address, one {@link ServerConnection} per client. The protocol is described
 * in docs/ARCHITECTURE.md ("Shard transport") and by {@link FrameType}. With TLS, a client is
 * served once its handshake succeeded ({@link TransportTls}), each call checked against its
 * role ({@link ShardCallRoles}); a refused handshake is logged once, naming the remote address.
 */
public final class ShardTransportServer {
    /** Default largest shard either side takes: room to spare over the 4 MiB block's shards. */
    public static final int DEFAULT_MAX_SHARD_BYTES = 16 << 20;
    private static final Logger log = LoggerFactory.getLogger(ShardTransportServer.class);
    private static final int LOOPS = Runtime.getRuntime().availableProcessors();
    private static final AtomicInteger ANY_PORT_KEYS = new AtomicInteger();

    private final Vertx vertx;
    private final ShardCalls calls;
    private final LocalShards local;
    private final ByteBudget receiveBudget;
    private final int maxShardBytes;
    /** Null on plain TCP. */
    private final TransportTls tls;
    /** One per event loop listened on, all on the same port (Vert.x hands accepted connections round-robin). */
    private final List<NetServer> servers = new CopyOnWriteArrayList<>();

    /**
     * @param io            the worker pool for store calls
     * @param receiveBudget memory for shards being received and short reads; a connection whose
     *                      shard or read cannot get its bytes stops reading until it can
     * @param maxShardBytes larger shards are refused
     * @param tls           this chunkserver's certificate and the cluster CA; null: plain TCP
     */
    public ShardTransportServer(Vertx vertx, String nodeId, SegmentShardStore store, WorkerExecutor io,
                                ShardRebuilder rebuilder, ByteBudget receiveBudget, int maxShardBytes, ClusterTls tls) {
        this.vertx = vertx;
        this.calls = new ShardCalls(nodeId, store, io, rebuilder);
        this.local = new LocalShards(nodeId, store, calls, io, maxShardBytes);
        this.receiveBudget = receiveBudget;
        this.maxShardBytes = maxShardBytes;
        this.tls = tls == null ? null : TransportTls.forServer(tls);
    }

    /**
     * Starts listening on {@code host:port} (port 0 picks a free one), on as many event loops as
     * the machine has cores: a connection's work (TLS above all) runs on its event loop, and one
     * loop for all connections would make a chunkserver's encryption, and a burst of handshakes,
     * wait on one core. Once.
     */
    public Future<ShardTransportServer> listen(String host, int port) {
        // Vert.x shares one socket among the servers of a Vert.x instance listening on the same port; for any free
        // port, on the same negative number (one of this server's own: other chunkservers of the process have theirs)
        int shared = port != 0 ? port : -ANY_PORT_KEYS.incrementAndGet();
        return listenOnNewLoop(host, shared).compose(first -> {
            List<Future<NetServer>> others = new ArrayList<>();
            for (int i = 1; i < LOOPS; i++) {
                others.add(listenOnNewLoop(host, shared));
            }
            return Future.all(others);
        }).map(this);
    }

    private Future<NetServer> listenOnNewLoop(String host, int port) {
        ContextInternal loop = ((VertxInternal) vertx).createEventLoopContext();
        Promise<NetServer> listening = loop.promise();
        loop.runOnContext(v -> {
            NetServer server = vertx.createNetServer(new NetServerOptions().setHost(host).setPort(port).setTcpNoDelay(true))
                    .connectHandler(this::accept);
            servers.add(server);
            server.listen().onComplete(listening);
        });
        return listening.future();
    }

    private void accept(NetSocket accepted) {
        NetSocketInternal socket = (NetSocketInternal) accepted;
        if (tls == null) {
            new ServerConnection(socket, calls, receiveBudget, maxShardBytes, null).start();
            return;
        }
        // requests decrypted in the same read as the handshake's end wait in the socket's queue until the connection
        // has its handlers: pausing queues them only once a message handler is set (the default one would keep them)
        socket.messageHandler(ReferenceCountUtil::release);
        socket.pause();
        socket.exceptionHandler(e -> log.debug("shard transport handshake: peer={} cause={}", socket.remoteAddress(), e.toString()));
        tls.handshake((ContextInternal) vertx.getOrCreateContext(), socket, TransportTls.SERVER_HANDSHAKE_MILLIS)
                .onComplete(peer -> {
                    if (peer.succeeded()) {
                        new ServerConnection(socket, calls, receiveBudget, maxShardBytes, peer.result()).start();
                        socket.resume();
                    } else {
                        log.warn("shard transport connection refused: peer={} reason={}", socket.remoteAddress(),
                                TransportTls.why(peer.cause()));
                        socket.close();
                    }
                });
    }

    /** The port listened on; valid after listen. */
    /** The same store calls for callers in this process, without a connection. */
    public LocalShards local() {
        return local;
    }

    public int port() {
        return servers.get(0).actualPort();
    }

    /** Stops listening and closes every connection. */
    public Future<Void> close() {
        return Future.all(servers.stream().map(NetServer::close).toList()).mapEmpty();
    }
}
