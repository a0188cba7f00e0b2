package io.mooseng.metadata.rpc;

import io.mooseng.core.security.ClusterTls;
import io.mooseng.core.security.Role;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.ssl.NotSslRecordException;
import io.netty.handler.ssl.SslHandler;
import io.netty.handler.ssl.SslHandshakeCompletionEvent;
import io.netty.util.AttributeKey;
import io.netty.util.concurrent.Future;
import io.netty.util.concurrent.Promise;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import javax.net.ssl.SSLException;
import javax.net.ssl.SSLPeerUnverifiedException;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.channels.ClosedChannelException;
import java.util.EnumSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/**
 * Mutual TLS on one connection of the Raft RPC: Netty's SslHandler over the JDK engine of
 * {@link ClusterTls} first in the pipeline (the frame decoder reads what it decrypts), then the
 * peer's role from its certificate. A client talks only to Raft members (masters and
 * metaloggers); a member accepts every role the CA signed and decides per call
 * ({@link Callers}). A failed handshake closes the connection and is logged at WARN with the
 * remote address, once a minute per remote host and reason (a client retries every few milliseconds).
 */
final class RpcTls {
    private static final Logger LOG = LoggerFactory.getLogger(RpcTls.class);
    /** The authenticated role of the peer of a connection, set before its first frame is read. */
    static final AttributeKey<Role> PEER_ROLE = AttributeKey.valueOf("mooseng.raft.rpc.peer-role");
    private static final Set<Role> MEMBERS = EnumSet.of(Role.MASTER, Role.METALOGGER);
    private static final Set<Role> ANY_ROLE = EnumSet.allOf(Role.class);
    /**
     * Runs the engine's handshake work (signatures, key agreement, certificate checks): not on
     * the event loop, where it would hold up every other connection's frames, heartbeats
     * included, while many connect at once (a restart, a client's retries).
     */
    private static final Executor HANDSHAKE_WORK = Executors.newThreadPerTaskExecutor(Thread.ofVirtual().name("raft-rpc-tls-", 0).factory());
    private static final long WARN_EVERY_NANOS = TimeUnit.MINUTES.toNanos(1);
    private static final int WARNED_MAX = 1024;
    /** When each (remote host, reason) was last logged at WARN. */
    private static final Map<String, Long> lastWarned = new ConcurrentHashMap<>();

    private RpcTls() {
    }

    /**
     * Puts TLS in front of {@code ch}'s pipeline. The future succeeds with the peer's role once
     * the handshake is done and the role is one this side talks to; otherwise it fails and the
     * connection closes.
     */
    static Future<Role> secure(SocketChannel ch, ClusterTls tls, boolean client) {
        SslHandler ssl = new SslHandler(tls.engine(client), HANDSHAKE_WORK);
        Promise<Role> peer = ch.eventLoop().newPromise();
        ch.pipeline().addFirst("tls", ssl).addAfter("tls", "peer-role", new PeerRole(ssl, client ? MEMBERS : ANY_ROLE, peer));
        return peer;
    }

    /** Reads the peer's role when the handshake ends (before any frame: the handler sees the event first), then leaves. */
    private static final class PeerRole extends ChannelInboundHandlerAdapter {
        private final SslHandler ssl;
        private final Set<Role> accepted;
        private final Promise<Role> peer;

        PeerRole(SslHandler ssl, Set<Role> accepted, Promise<Role> peer) {
            this.ssl = ssl;
            this.accepted = accepted;
            this.peer = peer;
        }

        @Override
        public void userEventTriggered(ChannelHandlerContext ctx, Object event) throws Exception {
            if (!(event instanceof SslHandshakeCompletionEvent done)) {
                super.userEventTriggered(ctx, event);
                return;
            }
            ctx.pipeline().remove(this);
            if (!done.isSuccess()) {
                refused(ctx, done.cause()); // SslHandler closes the connection
                return;
            }
            try {
                Role role = ClusterTls.requirePeer(ssl.engine().getSession(), accepted);
                ctx.channel().attr(PEER_ROLE).set(role);
                peer.setSuccess(role);
            } catch (SSLPeerUnverifiedException e) {
                // a peer that closed during the handshake can end it "successfully", unauthenticated
                if (ssl.engine().isInboundDone()) {
                    peer.tryFailure(e);
                } else {
                    refused(ctx, e);
                }
                ctx.close();
            }
        }

        private void refused(ChannelHandlerContext ctx, Throwable cause) {
            peer.tryFailure(cause);
            if (!hungUp(cause)) {
                warnOnce(ctx.channel().remoteAddress(), cause);
            }
        }
    }

    /**
     * Whether the peer went away during the handshake rather than failing it: a port probe
     * (the leader watch's) or a caller closing a connection it no longer needs, which the JDK
     * engine announces with a user_canceled alert (it has no type of its own).
     */
    private static boolean hungUp(Throwable cause) {
        for (Throwable e = cause; e != null; e = e.getCause()) {
            if (e instanceof ClosedChannelException || e.getMessage() != null && e.getMessage().contains("user_canceled")) {
                return true;
            }
        }
        return false;
    }

    private static void warnOnce(SocketAddress remote, Throwable cause) {
        String why = describe(cause);
        String key = (remote instanceof InetSocketAddress a ? a.getAddress() : remote) + " " + why;
        long now = System.nanoTime();
        Long before = lastWarned.get(key);
        if (before != null && now - before < WARN_EVERY_NANOS) {
            LOG.debug("Raft RPC connection refused (TLS): remote={} cause={}", remote, why);
            return;
        }
        if (lastWarned.size() >= WARNED_MAX) {
            lastWarned.clear();
        }
        lastWarned.put(key, now);
        LOG.warn("Raft RPC connection refused (TLS): remote={} cause={} (the same again from this host: DEBUG for a minute)",
                remote, why);
    }

    /** What failed (no certificate, another CA, expired, wrong role), without the bytes a plaintext peer sent. */
    private static String describe(Throwable cause) {
        if (cause instanceof NotSslRecordException) {
            return "not a TLS connection (a peer without TLS?)";
        }
        String what = cause instanceof SSLException ? cause.getMessage() : cause.toString();
        Throwable root = cause;
        while (root.getCause() != null) {
            root = root.getCause();
        }
        // the root names the detail (e.g. CertificateExpiredException: NotAfter: ...) the message may not
        return root == cause || what.contains(String.valueOf(root.getMessage())) ? what : what + " (" + root + ")";
    }
}
