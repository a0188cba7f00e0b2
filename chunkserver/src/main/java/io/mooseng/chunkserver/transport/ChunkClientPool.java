package io.mooseng.chunkserver.transport;

import io.mooseng.core.chunk.ChunkClient;
import io.mooseng.core.chunk.ChunkClients;
import io.mooseng.core.config.HostPort;
import io.mooseng.core.error.ErrorCode;
import io.mooseng.core.error.MooseException;
import io.vertx.core.Vertx;
import io.vertx.core.net.SocketAddress;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

/**
 * One cached {@link TcpChunkClient} per chunkserver id, created on first use; with
 * {@link ChunkClientOptions#local()}, shard writes and reads of the chunkservers running in
 * this process skip it ({@link LocalChunkClient}).
 *
 * <p>Thread-safe. The address of a node is looked up on every call; when it changed (the
 * chunkserver restarted on another address), the old client and its connections are closed and a new one made.
 */
public final class ChunkClientPool implements ChunkClients, AutoCloseable {
    /** Four for each of a mount's 16 FUSE threads, whatever the number of chunkservers. */
    static final int MAX_IDLE_ON_CALLER = 4 * TcpChunkClient.MAX_IDLE_ON_CALLER;

    private final Vertx vertx;
    private final Function<String, SocketAddress> addresses;
    private final ChunkClientOptions options;
    private final Map<String, TcpChunkClient> clients = new ConcurrentHashMap<>();
    /** Blocking connections for reads on the caller's thread kept idle by all the clients together. */
    private final IdleLimit idleOnCaller = new IdleLimit(MAX_IDLE_ON_CALLER);
    private volatile boolean closed;

    /**
     * @param addresses the address of a chunkserver id, or null if the id is unknown
     */
    public ChunkClientPool(Vertx vertx, Function<String, SocketAddress> addresses, ChunkClientOptions options) {
        this.vertx = vertx;
        this.addresses = addresses;
        this.options = options;
    }

    /** A pool whose ids are the chunkservers' {@code host:port} addresses themselves. */
    public static ChunkClientPool byAddress(Vertx vertx, ChunkClientOptions options) {
        return new ChunkClientPool(vertx, ChunkClientPool::parseAddress, options);
    }

    private static SocketAddress parseAddress(String hostPort) {
        try {
            HostPort at = HostPort.parse(hostPort);
            return SocketAddress.inetSocketAddress(at.port(), at.host());
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    /**
     * @throws MooseException INTERNAL if the id has no address
     * @throws IllegalStateException after {@link #close()}
     */
    @Override
    public ChunkClient get(String nodeId) {
        if (closed) {
            throw new IllegalStateException("chunk client pool is closed");
        }
        SocketAddress address = addresses.apply(nodeId);
        if (address == null) {
            throw new MooseException(ErrorCode.INTERNAL, "no address known for chunkserver " + nodeId);
        }
        TcpChunkClient client = clients.get(nodeId);
        if (client == null || !client.address().equals(address)) {
            // new, or restarted elsewhere and re-registered under its id: follow it to the new address
            client = clients.compute(nodeId, (id, old) -> {
                if (old != null && old.address().equals(address)) {
                    return old;
                }
                if (old != null) {
                    old.close();
                }
                return new TcpChunkClient(vertx, id, address, options, idleOnCaller);
            });
        }
        if (closed) {
            // lost a race with close(): do not leak the connection
            client.close();
            throw new IllegalStateException("chunk client pool is closed");
        }
        return options.local() == null ? client : new LocalChunkClient(client, options.local());
    }

    /** False when this process's certificate names a role chunkservers take no DELETE from. */
    @Override
    public boolean mayDelete() {
        return options.tls() == null || ShardCallRoles.allows(FrameType.DELETE, options.tls().role());
    }

    /** Closes every client. */
    @Override
    public void close() {
        closed = true;
        clients.values().forEach(TcpChunkClient::close);
        clients.clear();
    }
}
