package io.mooseng.chunkserver.transport;

import io.mooseng.core.security.ClusterTls;
import io.mooseng.core.security.Role;
import io.netty.channel.ChannelPipeline;
import io.netty.handler.codec.DecoderException;
import io.netty.handler.ssl.NotSslRecordException;
import io.netty.handler.ssl.SslHandler;
import io.netty.handler.ssl.SslHandshakeTimeoutException;
import io.netty.handler.stream.ChunkedWriteHandler;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.internal.ContextInternal;
import io.vertx.core.internal.net.NetSocketInternal;

import javax.net.ssl.SSLException;
import java.nio.channels.ClosedChannelException;
import java.util.Set;

/**
 * Mutual TLS on one shard transport connection: a Netty {@link SslHandler} over the engine of
 * {@link ClusterTls} (TLS 1.3, AES-GCM, the node's certificate, the cluster CA; the server
 * demands the client's certificate; no host name check: identity is the CA and the role) put in
 * front of the plain connection before either side sends a byte, then the peer's role.
 *
 * <p>The transport does this itself rather than through Vert.x's TLS options because a server
 * must say who it refused: Vert.x reports a failed server handshake to the NetServer's exception
 * handler with the cause alone, no remote address. Renewed certificates are picked up as
 * ClusterTls's key and trust managers are asked at every handshake (nothing is cached here).
 *
 * <p>A TLS connection cannot send a READ body as a file region (sendfile bypasses the
 * encryption), so the server's side gets a {@link ChunkedWriteHandler}: bodies go as
 * 64 KiB chunks read into pooled buffers ({@link ServerConnection}).
 */
final class TransportTls {
    static final String TLS_HANDLER = "mooseng-tls";
    static final String CHUNKED_HANDLER = "mooseng-chunked";
    /** How long a server waits for a client's handshake (Netty's default). */
    static final long SERVER_HANDSHAKE_MILLIS = 10_000;

    private TransportTls() {
    }

    /**
     * Starts the handshake on a connection nothing was sent on yet; completes on {@code context}
     * with the peer's role (a client accepts only a chunkserver), or fails with an
     * {@link SSLException} saying why (see {@link #why}).
     */
    static Future<Role> handshake(ContextInternal context, NetSocketInternal socket, ClusterTls tls, boolean client,
                                  long timeoutMillis) {
        SslHandler ssl = new SslHandler(tls.engine(client));
        ssl.setHandshakeTimeoutMillis(timeoutMillis);
        ChannelPipeline pipeline = socket.channelHandlerContext().pipeline();
        pipeline.addFirst(TLS_HANDLER, ssl);
        if (!client) {
            pipeline.addAfter(TLS_HANDLER, CHUNKED_HANDLER, new ChunkedWriteHandler());
        }
        Promise<Role> role = context.promise();
        ssl.handshakeFuture().addListener(done -> {
            if (!done.isSuccess()) {
                role.fail(done.cause());
                return;
            }
            try {
                role.complete(client ? ClusterTls.requirePeer(ssl.engine().getSession(), Set.of(Role.CHUNKSERVER))
                        : ClusterTls.peerRole(ssl.engine().getSession()));
            } catch (SSLException e) {
                role.fail(e);
            }
        });
        return role.future();
    }

    /** What a failed handshake means, for the log line or error naming the peer. */
    static String why(Throwable failure) {
        Throwable t = failure instanceof DecoderException && failure.getCause() != null ? failure.getCause() : failure;
        if (t instanceof NotSslRecordException) {
            return "not TLS (a peer without TLS configured?)";
        }
        if (t instanceof SslHandshakeTimeoutException) {
            return "no TLS handshake in time";
        }
        if (t instanceof ClosedChannelException) {
            return "closed during the TLS handshake";
        }
        String why = "TLS handshake failed: " + t.getMessage();
        // the JDK reports a failure inside the handshake (a key manager's, a closed socket's) as its cause
        return t.getCause() == null ? why : why + " (" + t.getCause() + ")";
    }
}
