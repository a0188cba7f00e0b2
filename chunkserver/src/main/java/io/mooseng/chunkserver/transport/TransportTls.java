package io.mooseng.chunkserver.transport;

import io.mooseng.core.security.ClusterTls;
import io.mooseng.core.security.Role;
import io.netty.channel.ChannelPipeline;
import io.netty.handler.codec.DecoderException;
import io.netty.handler.ssl.ClientAuth;
import io.netty.handler.ssl.NotSslRecordException;
import io.netty.handler.ssl.OpenSsl;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslHandler;
import io.netty.handler.ssl.SslHandshakeTimeoutException;
import io.netty.handler.ssl.SslProvider;
import io.netty.handler.stream.ChunkedWriteHandler;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.internal.ContextInternal;
import io.vertx.core.internal.net.NetSocketInternal;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import javax.net.ssl.SSLException;
import java.nio.channels.ClosedChannelException;
import java.util.Set;

/**
 * Mutual TLS on the shard transport's connections of one side (a chunkserver's server, or one
 * client): a Netty {@link SslHandler} put in front of a plain connection before either side sends
 * a byte, then the peer's role. TLS 1.3, AES-GCM, the node's certificate and the cluster CA from
 * {@link ClusterTls} (its key and trust managers, asked at every handshake, so renewed files are
 * used by the next connection; nothing is cached here); the server demands the client's
 * certificate; no host name check: identity is the CA and the role.
 *
 * <p>The engine is BoringSSL (netty-tcnative) where its native library loads, else the JDK's:
 * on a 2-core machine the JDK's AES-GCM and record handling took 45% of the CPU of 64 MiB
 * PUTs and GETs through an in-process cluster (docs/BENCHMARKS.md, "TLS on the data path").
 *
 * <p>The transport does this itself rather than through Vert.x's TLS options because a server
 * must say who it refused: Vert.x reports a failed server handshake to the NetServer's exception
 * handler with the cause alone, no remote address.
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
    private static final Logger log = LoggerFactory.getLogger(TransportTls.class);
    private static final SslProvider PROVIDER = provider();

    private final SslContext context;
    private final boolean client;

    private TransportTls(SslContext context, boolean client) {
        this.context = context;
        this.client = client;
    }

    /** A chunkserver's side: demands the client's certificate. */
    static TransportTls forServer(ClusterTls tls) {
        return new TransportTls(build(SslContextBuilder.forServer(tls.keyManager()).clientAuth(ClientAuth.REQUIRE), tls), false);
    }

    /** A client's side: accepts only a chunkserver's certificate. */
    static TransportTls forClient(ClusterTls tls) {
        // no host name check: a chunkserver is whoever the CA made one (Netty's clients check HTTPS names by default)
        return new TransportTls(build(SslContextBuilder.forClient().keyManager(tls.keyManager()).endpointIdentificationAlgorithm(null),
                tls), true);
    }

    private static SslContext build(SslContextBuilder builder, ClusterTls tls) {
        try {
            return builder.trustManager(tls.trustManager()).protocols("TLSv1.3").ciphers(ClusterTls.cipherSuites())
                    .sslProvider(PROVIDER).build();
        } catch (SSLException e) {
            throw new IllegalStateException("shard transport TLS: " + e.getMessage(), e);
        }
    }

    private static SslProvider provider() {
        if (OpenSsl.isAvailable()) {
            log.debug("shard transport TLS: {}", OpenSsl.versionString());
            return SslProvider.OPENSSL;
        }
        log.info("shard transport TLS: the JDK's engine (BoringSSL unavailable: {})", String.valueOf(OpenSsl.unavailabilityCause()));
        return SslProvider.JDK;
    }

    /**
     * Starts the handshake on a connection nothing was sent on yet; completes on {@code context}
     * with the peer's role (a client accepts only a chunkserver), or fails with an
     * {@link SSLException} saying why (see {@link #why}).
     */
    Future<Role> handshake(ContextInternal on, NetSocketInternal socket, long timeoutMillis) {
        SslHandler ssl = context.newHandler(socket.channelHandlerContext().alloc());
        ssl.setHandshakeTimeoutMillis(timeoutMillis);
        ChannelPipeline pipeline = socket.channelHandlerContext().pipeline();
        pipeline.addFirst(TLS_HANDLER, ssl);
        if (!client) {
            pipeline.addAfter(TLS_HANDLER, CHUNKED_HANDLER, new ChunkedWriteHandler());
        }
        Promise<Role> role = on.promise();
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
