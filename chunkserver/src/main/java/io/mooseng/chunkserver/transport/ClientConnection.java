package io.mooseng.chunkserver.transport;

import io.mooseng.chunkserver.transport.proto.ErrorReply;
import io.mooseng.chunkserver.transport.proto.ReadShardReply;
import io.mooseng.core.error.MooseException;
import io.netty.buffer.ByteBuf;
import io.netty.util.ReferenceCountUtil;
import io.vertx.core.Vertx;
import io.vertx.core.internal.ContextInternal;
import io.vertx.core.internal.VertxInternal;
import io.vertx.core.internal.net.NetSocketInternal;
import io.vertx.core.net.NetClient;
import io.vertx.core.net.SocketAddress;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One TCP connection of a {@link TcpChunkClient} to a chunkserver, carrying many calls at
 * once: their frames are sent in order (a write's DATA frames right behind its WRITE frame,
 * as the protocol requires), only while the socket's write queue has room, and replies are
 * matched to calls by request id. Each call has a deadline.
 *
 * <p>With TLS the connection is first secured ({@link TransportTls}; the chunkserver must show a
 * chunkserver's certificate) and the HELLO goes over it. The chunkserver's HELLO must arrive
 * within the connect timeout of the connection's start (under TLS: the handshake must end within
 * it, then the HELLO come within it): a process that accepts connections but does not answer
 * (stopped, or still starting on a loaded machine) fails the calls waiting for it then, so
 * writers place their shards elsewhere instead of waiting out each call's deadline.
 *
 * <p>A connection that fails, closes or breaks the protocol fails every call on it and is
 * not used again: the client opens a new one on its next call. A write whose deadline
 * passes in the middle of its shard closes the connection too, as nothing else can be sent
 * on it before the rest of that shard.
 *
 * <p>Event-loop confined to a context of its own; {@link #submit} may be called from any thread.
 */
final class ClientConnection implements FrameDecoder.Handler, CallPeer {
    private static final Logger log = LoggerFactory.getLogger(ClientConnection.class);

    private final String nodeId;
    private final SocketAddress address;
    private final NetClient client;
    private final long handshakeMillis;
    /** Null on plain TCP. */
    private final TransportTls tls;
    private final ContextInternal context;
    private final FrameDecoder decoder = new FrameDecoder(this, false);
    private final Map<Integer, ShardCall<?>> awaiting = new HashMap<>();
    private final ArrayDeque<Outgoing> outbox = new ArrayDeque<>();
    /** Calls submitted and not yet complete, for picking the least busy connection. */
    private final AtomicInteger load = new AtomicInteger();
    private NetSocketInternal socket;
    private boolean ready;
    private volatile boolean closed;
    private MooseException closeCause;
    private int lastId;

    /**
     * Starts connecting to {@code address} at once; the handshake must be done within {@code handshakeMillis}.
     *
     * @param tls the client side of mutual TLS, or null for plain TCP
     */
    ClientConnection(Vertx vertx, NetClient client, String nodeId, SocketAddress address, long handshakeMillis, TransportTls tls) {
        this.nodeId = nodeId;
        this.address = address;
        this.client = client;
        this.handshakeMillis = handshakeMillis;
        this.tls = tls;
        this.context = ((VertxInternal) vertx).createEventLoopContext();
        context.runOnContext(v -> connect());
    }

    /** Runs a call on this connection; its future completes on the connection's event loop. */
    <T> CompletableFuture<T> submit(ShardCall<T> call) {
        load.incrementAndGet();
        call.result().whenComplete((value, failure) -> load.decrementAndGet());
        context.runOnContext(v -> enqueue(call));
        return call.result();
    }

    int load() {
        return load.get();
    }

    boolean isClosed() {
        return closed;
    }

    /** Closes the connection; calls still on it fail. */
    void close(String why) {
        context.runOnContext(v -> abort(TransportErrors.unreachable(nodeId, address, why)));
    }

    private void connect() {
        if (tls == null) {
            awaitHello("connecting");
        }
        client.connect(address).onComplete(connected -> {
            if (connected.failed()) {
                closed(TransportErrors.unreachable(nodeId, address, connected.cause()));
                return;
            }
            socket = (NetSocketInternal) connected.result();
            if (closed) {
                socket.close();
                return;
            }
            // raw Netty buffers: the data handler would copy each into a new heap buffer first
            socket.messageHandler(message -> {
                if (message instanceof ByteBuf bytes) {
                    guarded(() -> decoder.feed(bytes));
                } else {
                    ReferenceCountUtil.release(message);
                }
            });
            socket.exceptionHandler(e -> {
                if (closeCause == null) {
                    closeCause = TransportErrors.unreachable(nodeId, address, e);
                }
            });
            socket.closeHandler(v -> closed(closeCause != null ? closeCause
                    : TransportErrors.unreachable(nodeId, address, "connection closed")));
            socket.drainHandler(v -> pump());
            if (!socket.channelHandlerContext().channel().isActive()) {
                // reset between connecting and the handlers above (a chunkserver killed that moment):
                // the close event has passed, and no handler will hear of it
                closed(TransportErrors.unreachable(nodeId, address, "connection closed on connecting"));
                return;
            }
            if (tls == null) {
                socket.writeMessage(Hello.encode());
                return;
            }
            // the handshake has the same deadline from here: a process that accepts but does not answer is found as fast
            tls.handshake(context, socket, handshakeMillis).onComplete(secured -> {
                if (secured.failed()) {
                    abort(TransportErrors.unreachable(nodeId, address, TransportTls.why(secured.cause())));
                } else if (!closed) {
                    awaitHello("the TLS handshake");
                    socket.writeMessage(Hello.encode());
                }
            });
        });
    }

    /**
     * Fails the connection unless the chunkserver's HELLO comes within the deadline. Under TLS it
     * counts from the handshake's end: a burst of first handshakes on a busy machine (a gateway
     * starting) can take most of a deadline of their own, and the chunkserver is alive.
     */
    private void awaitHello(String since) {
        context.setTimer(handshakeMillis, timer -> {
            if (!ready) {
                abort(TransportErrors.unreachable(nodeId, address, "no HELLO within " + handshakeMillis + " ms of " + since));
            }
        });
    }

    private void enqueue(ShardCall<?> call) {
        if (closed) {
            call.fail(closeCause);
            return;
        }
        int id = nextId();
        call.start(id, context.setTimer(call.timeoutMillis(), timer -> deadline(call)));
        awaiting.put(id, call);
        outbox.add(call);
        pump();
    }

    private int nextId() {
        do {
            lastId++;
        } while (lastId == 0 || awaiting.containsKey(lastId));
        return lastId;
    }

    /** Sends what waits, in order, while the write queue has room; the drain handler calls again. */
    private void pump() {
        while (ready && !closed && !outbox.isEmpty() && !socket.writeQueueFull()) {
            if (!outbox.peek().send(socket)) {
                return;
            }
            outbox.poll();
        }
    }

    @Override
    public void onHello(ByteBuf hello) {
        Hello.check(hello, "a MooseNG chunkserver");
        ready = true;
        pump();
    }

    @Override
    public void onFrame(FrameHeader header, ByteBuf payload) {
        int id = header.requestId();
        if (header.type() == FrameType.ERROR && id == 0) {
            throw new ProtocolViolation("it refused the connection: " + Frames.parse(ErrorReply.parser(), header, payload).getMessage());
        }
        if (header.type().isRequest()) {
            throw new ProtocolViolation("a chunkserver does not send " + header.type() + " frames");
        }
        ShardCall<?> call = awaiting.get(id);
        if (call == null) {
            // an answer to a call given up on: skip the bytes of a READ reply too
            if (header.type() == FrameType.READ_OK) {
                expectBody(id, Frames.parse(ReadShardReply.parser(), header, payload).getLength());
            }
            return;
        }
        if (header.type() == FrameType.ERROR) {
            finish(call);
            call.fail(TransportErrors.fromReply(nodeId, Frames.parse(ErrorReply.parser(), header, payload)));
        } else if (header.type() != call.type().reply()) {
            throw new ProtocolViolation(header.type() + " frame answering a " + call.type() + " request");
        } else if (call.onReply(header, payload, this)) {
            finish(call);
        }
    }

    @Override
    public void onBody(int requestId, ByteBuf bytes) {
        ShardCall<?> call = awaiting.get(requestId);
        if (call != null && call.onBody(bytes, this)) {
            finish(call);
        }
    }

    @Override
    public void expectBody(int requestId, int length) {
        decoder.expectBody(requestId, Integer.toUnsignedLong(length));
    }

    @Override
    public void sendAside(ByteBuf frame) {
        outbox.add(Outgoing.frame(frame));
        pump();
    }

    @Override
    public String describe() {
        return "chunkserver " + nodeId + " at " + address;
    }

    private void finish(ShardCall<?> call) {
        awaiting.remove(call.requestId());
        context.owner().cancelTimer(call.timer());
    }

    private void deadline(ShardCall<?> call) {
        if (awaiting.remove(call.requestId()) == null) {
            return;
        }
        MooseException late = TransportErrors.timedOut(nodeId, address, call.timeoutMillis());
        if (call.holdsCallerBytes()) {
            call.fail(late);
            abort(TransportErrors.unreachable(nodeId, address, "connection dropped: a write on it timed out mid-shard"));
            return;
        }
        if (outbox.remove(call)) {
            call.drop();
        }
        call.fail(late);
    }

    /** Runs decoding; what the chunkserver got wrong breaks the connection. */
    private void guarded(Runnable decoding) {
        try {
            decoding.run();
        } catch (ProtocolViolation e) {
            abort(TransportErrors.broken(nodeId, address, e.getMessage()));
        } catch (RuntimeException | Error e) {
            // whatever it was, the connection is no longer in step with the chunkserver
            log.warn("shard transport client failed: node={} address={}", nodeId, address, e);
            abort(TransportErrors.unreachable(nodeId, address, e));
        }
    }

    /** Closes the connection at once (without flushing what is queued), failing its calls with {@code cause}. */
    private void abort(MooseException cause) {
        if (closed) {
            return;
        }
        closeCause = cause;
        if (socket == null) {
            closed(cause);
        } else {
            // closed() once the channel has let go of every frame; not only from the close
            // handler, which a channel closed before it was registered never calls
            socket.channelHandlerContext().channel().close().addListener(f -> context.runOnContext(v -> closed(cause)));
        }
    }

    /** The connection is gone: nothing of it is used again. */
    private void closed(MooseException cause) {
        if (closed) {
            return;
        }
        closed = true;
        closeCause = cause;
        decoder.close();
        // the socket has let go of every frame by now: writes dropped here may complete
        outbox.forEach(Outgoing::drop);
        outbox.clear();
        List<ShardCall<?>> failed = new ArrayList<>(awaiting.values());
        awaiting.clear();
        for (ShardCall<?> call : failed) {
            context.owner().cancelTimer(call.timer());
            call.fail(cause);
        }
        log.debug("shard transport connection closed: node={} address={} calls={} cause={}", nodeId, address,
                failed.size(), cause.getMessage());
    }
}
