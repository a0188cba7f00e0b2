package io.mooseng.chunkserver.transport;

import io.mooseng.chunkserver.transport.proto.DeleteShardRequest;
import io.mooseng.chunkserver.transport.proto.StatsReply;
import io.mooseng.core.chunk.ChunkClient;
import io.mooseng.core.chunk.ReadsOnCaller;
import io.mooseng.core.chunk.RebuildRequest;
import io.mooseng.core.chunk.ShardStore;
import io.mooseng.core.error.ErrorCode;
import io.mooseng.core.error.MooseException;
import io.mooseng.core.memory.LentBytes;
import io.mooseng.core.model.ShardId;
import io.mooseng.core.model.StoredShard;
import io.vertx.core.Vertx;
import io.vertx.core.net.NetClient;
import io.vertx.core.net.NetClientOptions;
import io.vertx.core.net.SocketAddress;

import java.io.IOException;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;

/**
 * A {@link ChunkClient} speaking the shard transport (docs/ARCHITECTURE.md, "Shard
 * transport") over TCP to one chunkserver, with up to {@link ChunkClientOptions#connections()}
 * connections, each carrying many calls at once. A connection is opened on first use and
 * again on the next call after it broke.
 *
 * <p>Futures complete on a Vert.x event loop: callbacks must not block (use the async
 * variants of CompletableFuture to move work elsewhere). Errors the server reports keep
 * their {@link ErrorCode}; connection failures and timeouts become INTERNAL errors naming
 * the chunkserver and its address. Reads are checked against the chunkserver's piece
 * checksums here (SHARD_CORRUPT on a mismatch, reported to it); buffers returned by
 * {@link #readShard} are heap buffers the caller owns, or views of the memory it gave;
 * {@link #lendShard} receives into pooled native memory the caller must release. listShards and rebuildShard get the
 * longer deadline {@link ChunkClientOptions#longCallTimeout()}. With {@link ChunkClientOptions#tls()}
 * connections are mutual TLS and the chunkserver allows each call by this process's role
 * ({@link ShardCallRoles}): a call the role may not make fails with PERMISSION_DENIED.
 *
 * <p>A read made under {@link ReadsOnCaller} runs on the calling thread over a blocking
 * {@link CallerConnection} instead, and its future is complete when {@code readShard} returns.
 */
public final class TcpChunkClient implements ChunkClient {
    /** Blocking connections kept between reads: one per thread reading at once, as many as a mount's FUSE threads. */
    static final int MAX_IDLE_ON_CALLER = 16;

    private final Vertx vertx;
    private final String nodeId;
    private final SocketAddress address;
    private final ChunkClientOptions options;
    private final NetClient client;
    private final ClientConnection[] connections;
    /** Null on plain TCP. */
    private final TransportTls tls;
    /** Blocking connections between the reads of threads that read on their own ({@link ReadsOnCaller}). */
    private final BlockingQueue<CallerConnection> idleOnCaller = new ArrayBlockingQueue<>(MAX_IDLE_ON_CALLER);
    /** Shared with the other clients of a pool. */
    private final IdleLimit idleLimit;
    private volatile boolean closed;

    public TcpChunkClient(Vertx vertx, String nodeId, SocketAddress address, ChunkClientOptions options) {
        this(vertx, nodeId, address, options, new IdleLimit(MAX_IDLE_ON_CALLER));
    }

    /** @param idleLimit how many blocking connections this client and the others sharing the limit keep idle together */
    TcpChunkClient(Vertx vertx, String nodeId, SocketAddress address, ChunkClientOptions options, IdleLimit idleLimit) {
        this.idleLimit = idleLimit;
        this.vertx = vertx;
        this.nodeId = nodeId;
        this.address = address;
        this.options = options;
        this.client = vertx.createNetClient(new NetClientOptions()
                .setConnectTimeout((int) options.connectTimeout().toMillis())
                .setTcpNoDelay(true));
        this.connections = new ClientConnection[options.connections()];
        this.tls = options.tls() == null ? null : TransportTls.forClient(options.tls());
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
        if (data.remaining() > options.maxShardBytes()) {
            return CompletableFuture.failedFuture(new MooseException(ErrorCode.INVALID_ARGUMENT, "shard " + id + " of "
                    + data.remaining() + " bytes exceeds the largest sent (" + options.maxShardBytes() + " bytes)"));
        }
        return call(new WriteCall(id, data, crc32c, requestMillis()));
    }

    @Override
    public CompletableFuture<ByteBuffer> readShard(ShardId id, long offset, int length) {
        return readShard(id, offset, length, null);
    }

    @Override
    public CompletableFuture<ByteBuffer> readShard(ShardId id, long offset, int length, ByteBuffer into) {
        return read(id, offset, length, into, false).thenApply(LentBytes::bytes);
    }

    /** The bytes in pooled native memory, received there from the socket; the caller releases them. */
    @Override
    public CompletableFuture<LentBytes> lendShard(ShardId id, long offset, int length) {
        return read(id, offset, length, null, true);
    }

    private CompletableFuture<LentBytes> read(ShardId id, long offset, int length, ByteBuffer into, boolean lend) {
        return ReadsOnCaller.here() ? readOnCaller(id, offset, length, into, lend) : call(readCall(id, offset, length, into, lend));
    }

    private ReadCall readCall(ShardId id, long offset, int length, ByteBuffer into, boolean lend) {
        return new ReadCall(id, offset, length, into, lend, requestMillis(), options.maxShardBytes());
    }

    /**
     * The read done on this thread over a blocking connection (complete when this returns). A kept
     * connection that fails before any answer may have been closed while idle (a chunkserver
     * restarted): the read is tried once more on a new one, as reads are idempotent.
     */
    private CompletableFuture<LentBytes> readOnCaller(ShardId id, long offset, int length, ByteBuffer into, boolean lend) {
        CallerConnection kept = idleOnCaller.poll();
        if (kept != null) {
            idleLimit.release();
            ReadCall call = readCall(id, offset, length, into, lend);
            if (readOn(kept, call, true)) {
                return call.result();
            }
        }
        ReadCall call = readCall(id, offset, length, into, lend);
        if (closed) {
            call.fail(TransportErrors.unreachable(nodeId, address, "client closed"));
            return call.result();
        }
        CallerConnection fresh;
        try {
            fresh = CallerConnection.open(nodeId, address, options.connectTimeout().toMillis(), options.tls());
        } catch (IOException | ProtocolViolation e) {
            call.fail(failure(e, TransportErrors.unreachable(nodeId, address, "no HELLO within " + options.connectTimeout().toMillis() + " ms")));
            return call.result();
        }
        readOn(fresh, call, false);
        return call.result();
    }

    /** @return false if {@code kept} failed before any answer, the call left unfinished for a retry */
    private boolean readOn(CallerConnection c, ReadCall call, boolean kept) {
        try {
            c.read(call);
        } catch (IOException | ProtocolViolation e) {
            c.close();
            if (kept && !c.answered() && e instanceof IOException && !(e instanceof SocketTimeoutException)) {
                return false;
            }
            call.fail(failure(e, TransportErrors.timedOut(nodeId, address, call.timeoutMillis())));
            return true;
        }
        keep(c);
        return true;
    }

    /** The error a blocking connection's failure stands for, as {@link ClientConnection} reports it; {@code timedOut} for a timeout. */
    private MooseException failure(Exception e, MooseException timedOut) {
        if (e instanceof ProtocolViolation) {
            return TransportErrors.broken(nodeId, address, e.getMessage());
        }
        return e instanceof SocketTimeoutException ? timedOut : TransportErrors.unreachable(nodeId, address, e);
    }

    /** Keeps a connection for the next read if it is in step and the limits allow, else closes it. */
    private void keep(CallerConnection c) {
        if (!c.reusable() || !idleLimit.tryKeep()) {
            c.close();
        } else if (!idleOnCaller.offer(c)) {
            idleLimit.release();
            c.close();
        } else if (closed) {
            closeIdleOnCaller();
        }
    }

    private void closeIdleOnCaller() {
        for (CallerConnection c; (c = idleOnCaller.poll()) != null; ) {
            idleLimit.release();
            c.close();
        }
    }

    @Override
    public CompletableFuture<Void> deleteShard(ShardId id) {
        return call(new UnaryCall<>(FrameType.DELETE, DeleteShardRequest.newBuilder().setId(ShardMessages.toKey(id)).build(),
                requestMillis(), (header, payload) -> null));
    }

    /** The inventory arrives in batches ({@link InventoryStream#BATCH_SHARDS} a frame), collected here. */
    @Override
    public CompletableFuture<List<StoredShard>> listShards() {
        return call(new ListCall(options.longCallTimeout().toMillis()));
    }

    @Override
    public CompletableFuture<Void> rebuildShard(RebuildRequest request) {
        return call(new UnaryCall<>(FrameType.REBUILD, ShardMessages.toRebuild(request), options.longCallTimeout().toMillis(),
                (header, payload) -> null));
    }

    /** The chunkserver's store usage. */
    public CompletableFuture<ShardStore.Usage> stats() {
        return call(new UnaryCall<>(FrameType.STATS, null, requestMillis(),
                (header, payload) -> ShardMessages.fromStats(Frames.parse(StatsReply.parser(), header, payload))));
    }

    /** Closes the connections; calls on them and calls made afterwards fail. Does not block. */
    @Override
    public synchronized void close() {
        closed = true;
        for (ClientConnection connection : connections) {
            if (connection != null) {
                connection.close("client closed");
            }
        }
        client.close();
        closeIdleOnCaller();
    }

    private <T> CompletableFuture<T> call(ShardCall<T> call) {
        ClientConnection connection = connection();
        return connection == null
                ? CompletableFuture.failedFuture(TransportErrors.unreachable(nodeId, address, "client closed"))
                : connection.submit(call);
    }

    /** An idle open connection, else a new one in a free slot, else the least busy; null once closed. */
    private synchronized ClientConnection connection() {
        if (closed) {
            return null;
        }
        ClientConnection best = null;
        int free = -1;
        for (int i = 0; i < connections.length; i++) {
            ClientConnection c = connections[i];
            if (c == null || c.isClosed()) {
                free = free < 0 ? i : free;
            } else if (best == null || c.load() < best.load()) {
                best = c;
            }
        }
        if (free >= 0 && (best == null || best.load() > 0)) {
            best = new ClientConnection(vertx, client, nodeId, address, options.connectTimeout().toMillis(), tls);
            connections[free] = best;
        }
        return best;
    }

    private long requestMillis() {
        return options.requestTimeout().toMillis();
    }
}
