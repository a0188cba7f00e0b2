package io.mooseng.metadata.rpc;

import io.mooseng.core.error.Failures;
import io.mooseng.core.security.ClusterTls;
import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoop;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.util.concurrent.Promise;
import io.netty.util.concurrent.ScheduledFuture;
import org.apache.ratis.protocol.RaftPeerId;
import org.apache.ratis.protocol.exceptions.TimeoutIOException;
import org.apache.ratis.util.PeerProxyMap;
import org.apache.ratis.thirdparty.com.google.protobuf.MessageLite;
import org.apache.ratis.thirdparty.com.google.protobuf.Parser;

import java.io.Closeable;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * One TCP connection of the Raft RPC to a peer, opened at construction: calls are written as
 * they come and answered by call id, in any order. Once closed (by either side) every call
 * still waiting fails and later calls fail at once; the owner opens a new connection. The
 * replies complete on the connection's event loop.
 */
public final class RaftRpcConnection implements Closeable {
    private final String peer;
    private final Channel channel;
    /** Succeeds once calls may be written (connected and, with TLS, the peer authenticated); fails if they never may. */
    private final Promise<Void> ready;
    private final CompletableFuture<Void> closed = new CompletableFuture<>();
    /** Calls waiting for their reply; touched on the event loop only. */
    private final Map<Long, Pending<?>> pending = new HashMap<>();
    private long lastId;

    private final class Pending<T> {
        final CompletableFuture<T> result = new CompletableFuture<>();
        final Parser<T> parser;
        ScheduledFuture<?> timeout;

        Pending(Parser<T> parser) {
            this.parser = parser;
        }

        void reply(byte status, ByteBuf frame) {
            timeout.cancel(false);
            try {
                if (status == RpcFrames.OK) {
                    result.complete(RpcFrames.parse(parser, frame));
                } else {
                    result.completeExceptionally(RpcErrors.rebuild(RpcFrames.text(frame), peer));
                }
            } catch (IOException | RuntimeException e) {
                result.completeExceptionally(new IOException(peer + ": unreadable reply: " + e, e));
            }
        }
    }

    /** Starts connecting to {@code address} (host:port) in plaintext; calls made meanwhile wait for it. */
    public RaftRpcConnection(String address, long connectTimeoutMillis) {
        this(address, connectTimeoutMillis, null);
    }

    /**
     * Starts connecting to {@code address} (host:port), with mutual TLS unless {@code tls} is
     * null; calls made meanwhile wait until it is connected and, with TLS, until the other end
     * proved to be a Raft member (a master or a metalogger).
     */
    public RaftRpcConnection(String address, long connectTimeoutMillis, ClusterTls tls) {
        this.peer = address;
        int colon = address == null ? -1 : address.lastIndexOf(':');
        if (colon < 0) {
            throw new IllegalArgumentException("a Raft RPC address is host:port, not '" + address + "'");
        }
        // the connection's own loop: ready's listeners run in the order calls were made, on that loop
        EventLoop loop = RpcEventLoops.calling().next();
        ready = loop.newPromise();
        Bootstrap bootstrap = new Bootstrap().group(loop).channel(NioSocketChannel.class)
                .option(ChannelOption.TCP_NODELAY, true)
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int) connectTimeoutMillis)
                .handler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        if (tls != null) {
                            RpcTls.secure(ch, tls, true).addListener(f -> settle(f.cause()));
                        }
                        RpcFrames.addDecoder(ch.pipeline());
                        ch.pipeline().addLast("replies", new Replies());
                    }
                });
        // before any call's listener: the calls that waited for a connection that failed fail with it
        ready.addListener(f -> {
            if (!f.isSuccess()) {
                failAll(failure(f.cause()));
            }
        });
        String host = address.substring(0, colon).replace("[", "").replace("]", "");
        ChannelFuture connected = bootstrap.connect(new InetSocketAddress(host, Integer.parseInt(address.substring(colon + 1))));
        channel = connected.channel();
        connected.addListener(f -> {
            if (!f.isSuccess() || tls == null) {
                settle(f.cause());
            }
        });
        channel.closeFuture().addListener(f -> closed.complete(null));
    }

    /** Calls may go out (no failure) or never will; the first outcome counts. */
    private void settle(Throwable failure) {
        if (failure == null) {
            ready.trySuccess(null);
        } else {
            ready.tryFailure(failure);
        }
    }

    /**
     * Sends one call; its future fails with a {@link TimeoutIOException} after
     * {@code timeoutMillis}, or with an IOException when the connection fails or closes first.
     */
    <T> CompletableFuture<T> call(RpcKind kind, MessageLite request, Parser<T> replyParser, long timeoutMillis) {
        Pending<T> call = new Pending<>(replyParser);
        EventLoop loop = channel.eventLoop();
        if (loop.inEventLoop()) {
            send(kind, request, call, timeoutMillis);
        } else {
            loop.execute(() -> send(kind, request, call, timeoutMillis));
        }
        return call.result;
    }

    private <T> void send(RpcKind kind, MessageLite request, Pending<T> call, long timeoutMillis) {
        if (isClosed()) {
            call.result.completeExceptionally(failure(ready.cause()));
            return;
        }
        long id = ++lastId;
        pending.put(id, call);
        call.timeout = channel.eventLoop().schedule(() -> {
            if (pending.remove(id) != null) {
                call.result.completeExceptionally(new TimeoutIOException(peer + ": no reply to " + kind + " in " + timeoutMillis + " ms"));
            }
        }, timeoutMillis, TimeUnit.MILLISECONDS);
        ByteBuf frame;
        try {
            frame = RpcFrames.encode(channel.alloc(), id, kind, RpcFrames.REQUEST, request);
        } catch (RuntimeException e) {
            pending.remove(id);
            call.timeout.cancel(false);
            call.result.completeExceptionally(new IOException(peer + ": cannot encode " + kind + ": " + e, e));
            return;
        }
        if (ready.isSuccess()) {
            channel.writeAndFlush(frame, channel.voidPromise());
        } else {
            ready.addListener(f -> {
                if (f.isSuccess()) {
                    channel.writeAndFlush(frame, channel.voidPromise());
                } else {
                    frame.release(); // the first listener of ready failed the call
                }
            });
        }
    }

    private IOException failure(Throwable cause) {
        return new UnreachableException(peer + ": " + (cause == null ? "connection closed" : cause.toString()), cause);
    }

    /** The peer refused or dropped the connection before it answered. */
    static final class UnreachableException extends IOException {
        UnreachableException(String message, Throwable cause) {
            super(message, cause);
        }
    }

    /** Whether a call's failure says the peer is not answering (as opposed to an answer that is an error). */
    static boolean unreachable(Throwable failure) {
        Throwable e = Failures.unwrap(failure);
        return e instanceof UnreachableException || e instanceof TimeoutIOException;
    }

    private void failAll(IOException e) {
        pending.values().forEach(call -> {
            call.timeout.cancel(false);
            call.result.completeExceptionally(e);
        });
        pending.clear();
    }

    /** The open connection of {@code proxies} to {@code peer}, replacing one that closed. */
    static RaftRpcConnection open(PeerProxyMap<RaftRpcConnection> proxies, RaftPeerId peer) throws IOException {
        RaftRpcConnection c = proxies.getProxy(peer);
        if (c.isClosed()) {
            proxies.resetProxy(peer);
            c = proxies.getProxy(peer);
        }
        return c;
    }

    /** Completes when the connection has closed, for whatever reason. */
    public CompletableFuture<Void> closeFuture() {
        return closed;
    }

    /** Whether the connection closed or could not be made. */
    public boolean isClosed() {
        return closed.isDone() || ready.isDone() && !ready.isSuccess();
    }

    @Override
    public void close() {
        channel.close(); // asynchronous: a caller never waits for a peer that does not answer
    }

    @Override
    public String toString() {
        return "RaftRpcConnection(" + peer + ")";
    }

    private final class Replies extends SimpleChannelInboundHandler<ByteBuf> {
        @Override
        protected void channelRead0(ChannelHandlerContext ctx, ByteBuf frame) {
            RpcFrames.Header header = RpcFrames.Header.read(frame);
            if (header == null) {
                ctx.close();
                return;
            }
            Pending<?> call = pending.remove(header.callId());
            if (call != null) { // else: answered after its timeout
                call.reply(header.status(), frame);
            }
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) {
            failAll(failure(ready.cause())); // a failed TLS handshake says why
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            ctx.close();
        }
    }
}
