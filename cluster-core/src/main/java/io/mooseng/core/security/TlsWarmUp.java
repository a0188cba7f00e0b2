package io.mooseng.core.security;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLEngineResult.HandshakeStatus;
import javax.net.ssl.SSLException;
import java.nio.ByteBuffer;

/**
 * One handshake between a node's own client and server engines, in memory, when its TLS folder
 * is loaded. A JVM's first handshakes load and initialise the TLS stack (hundreds of
 * milliseconds each on a busy machine, and a burst of them at start-up queues behind one
 * another): enough to miss the shard transport's 2 s deadline for a chunkserver's first answer.
 */
final class TlsWarmUp {
    private static final Logger LOG = LoggerFactory.getLogger(TlsWarmUp.class);
    /** Enough for TLS 1.3's few flights, with room for a stalled engine to be noticed. */
    private static final int MAX_STEPS = 64;

    private TlsWarmUp() {
    }

    static void handshake(SSLEngine client, SSLEngine server) {
        long started = System.nanoTime();
        try {
            int size = Math.max(client.getSession().getPacketBufferSize(), server.getSession().getPacketBufferSize());
            ByteBuffer toServer = ByteBuffer.allocate(size);
            ByteBuffer toClient = ByteBuffer.allocate(size);
            ByteBuffer app = ByteBuffer.allocate(Math.max(client.getSession().getApplicationBufferSize(),
                    server.getSession().getApplicationBufferSize()));
            client.beginHandshake();
            server.beginHandshake();
            for (int step = 0; step < MAX_STEPS && !(done(client) && done(server)); step++) {
                step(client, toClient, toServer, app);
                step(server, toServer, toClient, app);
            }
            LOG.debug("tls: warmed up in {} ms", (System.nanoTime() - started) / 1_000_000);
        } catch (SSLException | RuntimeException e) {
            // only a warm-up: real handshakes report their own failures
            LOG.debug("tls: warm-up handshake failed: {}", e.toString());
        }
    }

    /** Feeds what the peer sent, then sends what the engine has to send. */
    private static void step(SSLEngine engine, ByteBuffer in, ByteBuffer out, ByteBuffer app) throws SSLException {
        in.flip();
        app.clear();
        engine.unwrap(in, app);
        in.compact();
        runTasks(engine);
        engine.wrap(ByteBuffer.allocate(0), out);
        runTasks(engine);
    }

    private static void runTasks(SSLEngine engine) {
        for (Runnable task = engine.getDelegatedTask(); task != null; task = engine.getDelegatedTask()) {
            task.run();
        }
    }

    private static boolean done(SSLEngine engine) {
        HandshakeStatus s = engine.getHandshakeStatus();
        return s == HandshakeStatus.FINISHED || s == HandshakeStatus.NOT_HANDSHAKING;
    }
}
