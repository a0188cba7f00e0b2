package io.mooseng.chunkserver.transport;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.mooseng.chunkserver.ChunkServer;
import io.mooseng.chunkserver.ChunkServerOptions;
import io.mooseng.core.chunk.RebuildRequest;
import io.mooseng.core.chunk.ReadsOnCaller;
import io.mooseng.core.error.ErrorCode;
import io.mooseng.core.error.MooseException;
import io.mooseng.core.model.BlockId;
import io.mooseng.core.model.ShardId;
import io.mooseng.core.model.StorageClass;
import io.mooseng.core.model.StoredShard;
import io.mooseng.core.security.CertificateAuthority;
import io.mooseng.core.security.ClusterTls;
import io.mooseng.core.security.Role;
import io.vertx.core.Vertx;
import io.vertx.core.net.SocketAddress;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

import javax.net.ssl.KeyManager;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManager;
import java.io.OutputStream;
import java.math.BigInteger;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.List;

import static io.mooseng.chunkserver.store.TestShards.content;
import static io.mooseng.chunkserver.store.TestShards.id;
import static io.mooseng.chunkserver.transport.LocalChunkServers.await;
import static io.mooseng.chunkserver.transport.TestCalls.crc32c;
import static io.mooseng.chunkserver.transport.TestCalls.eventually;
import static io.mooseng.chunkserver.transport.TestCalls.failure;
import static io.mooseng.chunkserver.transport.TestCalls.get;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Mutual TLS and roles on the shard transport: two real chunkservers with certificates of a CA
 * made for the class, called by the real client with a gateway's and a master's certificate.
 */
class ShardTransportTlsTest {
    @TempDir
    static Path root;
    private static CertificateAuthority ca;
    private static Vertx vertx;
    private static ChunkServer server;
    private static ChunkServer peer;
    private static TcpChunkClient gateway;
    private static TcpChunkClient master;
    private static final ListAppender<ILoggingEvent> serverLog = new ListAppender<>();

    @BeforeAll
    static void start() throws Exception {
        ca = CertificateAuthority.create(root.resolve("ca"), "test", Duration.ofDays(1));
        vertx = Vertx.vertx();
        server = await(new ChunkServer(vertx, "cs-0", serverOptions("cs-0")).start());
        peer = await(new ChunkServer(vertx, "cs-1", serverOptions("cs-1")).start());
        // one connection each: the refused calls and the allowed ones share it
        gateway = client(identity(Role.GATEWAY, "gw"), server);
        master = client(identity(Role.MASTER, "m1"), server);
        Logger logger = (Logger) LoggerFactory.getLogger(ShardTransportServer.class);
        logger.setLevel(Level.WARN);
        logger.addAppender(serverLog);
        serverLog.start();
    }

    @AfterAll
    static void stop() throws Exception {
        ((Logger) LoggerFactory.getLogger(ShardTransportServer.class)).detachAppender(serverLog);
        gateway.close();
        master.close();
        await(server.stop());
        await(peer.stop());
        await(vertx.close());
    }

    @Test
    void gatewayAndMasterWriteReadAndTheMasterLists() throws Exception {
        ByteBuffer fromGateway = content(1, 100_000);
        ByteBuffer fromMaster = content(2, 5_000);
        get(gateway.writeShard(id(1), fromGateway, crc32c(fromGateway)));
        get(master.writeShard(id(2), fromMaster, crc32c(fromMaster)));
        assertEquals(fromMaster, get(gateway.readShard(id(2), 0, 5_000)));
        assertEquals(fromGateway, get(master.readShard(id(1), 0, 100_000)));
        assertEquals(fromGateway, get(ReadsOnCaller.call(() -> gateway.readShard(id(1), 0, 100_000))), "on the caller's thread, over TLS");
        List<ShardId> listed = get(master.listShards()).stream().map(StoredShard::id).toList();
        assertTrue(listed.containsAll(List.of(id(1), id(2))), listed.toString());
    }

    @Test
    void largeShardsAndRangesRoundTrip() throws Exception {
        int size = (8 << 20) + 12_345;
        ByteBuffer data = content(3, size);
        get(gateway.writeShard(id(3), data, crc32c(data)));
        assertEquals(data, get(gateway.readShard(id(3), 0, size)));
        long[][] ranges = {{0, 1}, {65_535, 2}, {65_536, 65_536}, {100, 3_000_000}, {size - 10, 100}, {5_000_000, -1}};
        for (long[] r : ranges) {
            int from = (int) r[0];
            int to = r[1] < 0 ? size : (int) Math.min(size, r[0] + r[1]);
            assertEquals(data.slice(from, to - from), get(master.readShard(id(3), r[0], (int) r[1])), "range " + r[0] + "+" + r[1]);
        }
    }

    @Test
    void aGatewayMayNotDeleteListOrRebuildAndGoesOnReadingAndWriting() throws Exception {
        ByteBuffer data = content(4, 70_000);
        get(gateway.writeShard(id(4), data, crc32c(data)));

        MooseException delete = failure(gateway.deleteShard(id(4)));
        assertEquals(ErrorCode.PERMISSION_DENIED, delete.code());
        assertTrue(delete.getMessage().startsWith("a gateway may not delete shards"), delete.getMessage());
        MooseException rebuild = failure(gateway.rebuildShard(new RebuildRequest(id(4).block(), StorageClass.replicated(2),
                70_000, 1, crc32c(data), List.of(address(server), ""))));
        assertEquals(ErrorCode.PERMISSION_DENIED, rebuild.code());
        assertTrue(rebuild.getMessage().startsWith("a gateway may not order shard rebuilds"), rebuild.getMessage());
        assertEquals(ErrorCode.PERMISSION_DENIED, failure(gateway.listShards()).code());

        // the same connection still carries what a gateway may do
        assertEquals(data, get(gateway.readShard(id(4), 0, 70_000)));
        ByteBuffer more = content(5, 200_000);
        get(gateway.writeShard(id(5), more, crc32c(more)));
        assertEquals(more, get(gateway.readShard(id(5), 0, 200_000)));
        assertEquals(70_000, server.store().size(id(4)), "not deleted");

        // and its reclaimer knows not to try
        try (ChunkClientPool pool = ChunkClientPool.byAddress(vertx, ChunkClientOptions.defaults().withTls(identity(Role.GATEWAY, "gw")))) {
            assertFalse(pool.mayDelete());
        }
    }

    @Test
    void aMonitorMayMakeNoCall() throws Exception {
        ByteBuffer data = content(6, 1_000);
        get(master.writeShard(id(6), data, crc32c(data)));
        try (TcpChunkClient monitor = client(identity(Role.MONITOR, "prometheus"), server)) {
            MooseException read = failure(monitor.readShard(id(6), 0, 1_000));
            assertEquals(ErrorCode.PERMISSION_DENIED, read.code());
            assertEquals("a monitor may not read shards (allowed: master, chunkserver, gateway, mount)", read.getMessage());
            MooseException onCaller = failure(ReadsOnCaller.call(() -> monitor.readShard(id(6), 0, 1_000)));
            assertEquals(ErrorCode.PERMISSION_DENIED, onCaller.code());
            assertEquals(read.getMessage(), onCaller.getMessage());
            assertEquals(ErrorCode.PERMISSION_DENIED, failure(monitor.writeShard(id(7), data, crc32c(data))).code());
            assertEquals(ErrorCode.PERMISSION_DENIED, failure(monitor.stats()).code());
            assertEquals(ErrorCode.PERMISSION_DENIED, failure(monitor.listShards()).code());
            assertEquals(ErrorCode.PERMISSION_DENIED, failure(monitor.deleteShard(id(6))).code());
        }
        assertEquals(1_000, server.store().size(id(6)), "not deleted");
    }

    @Test
    void aMasterDeletesAndOrdersARebuildThatReadsFromAPeerOverTls() throws Exception {
        ByteBuffer data = content(6, 300_000);
        BlockId block = new BlockId(0x7e57, 6);
        get(master.writeShard(new ShardId(block, 0), data, crc32c(data)));
        // cs-1 copies shard 0 of a two-copy block from cs-0 as a chunkserver (its own certificate)
        try (TcpChunkClient toPeer = client(identity(Role.MASTER, "m1"), peer)) {
            get(toPeer.rebuildShard(new RebuildRequest(block, StorageClass.replicated(2), 300_000, 1, crc32c(data),
                    List.of(address(server), ""))));
        }
        assertEquals(300_000, peer.store().size(new ShardId(block, 1)));

        get(master.deleteShard(new ShardId(block, 0)));
        assertEquals(ErrorCode.SHARD_NOT_FOUND, failure(master.readShard(new ShardId(block, 0), 0, 10)).code());
    }

    @Test
    void aClientWithoutTlsIsRefusedAndLoggedOnceByAddress() throws Exception {
        try (TcpChunkClient plain = new TcpChunkClient(vertx, "cs-0", socketAddress(server), ChunkClientOptions.defaults())) {
            assertEquals(ErrorCode.INTERNAL, failure(plain.readShard(id(1), 0, 10)).code());
        }
        try (Socket raw = new Socket("127.0.0.1", server.port())) {
            String local = "127.0.0.1:" + raw.getLocalPort();
            int before = warningsNaming(local);
            OutputStream out = raw.getOutputStream();
            out.write(new byte[] {'M', 'N', 'G', 'S', 0, 1, 0, 0});
            out.flush();
            assertEquals(-1, raw.getInputStream().read(), "closed without an answer");
            eventually("a WARN naming " + local, () -> warningsNaming(local) == before + 1);
            Thread.sleep(200);
            assertEquals(before + 1, warningsNaming(local), "one WARN");
            assertTrue(lastWarning(local).contains("not TLS"), lastWarning(local));
        }
    }

    @Test
    void aCertificateOfAnotherCaIsRefusedAndLoggedOnceByAddress() throws Exception {
        CertificateAuthority other = CertificateAuthority.create(root.resolve("other-ca"), "other", Duration.ofDays(1));
        other.issue(Role.MASTER, "intruder", List.of(), Duration.ofDays(1), root.resolve("intruder"));
        ClusterTls intruder = ClusterTls.load(root.resolve("intruder"));
        // it trusts our CA (it would refuse our chunkserver first otherwise): the server must refuse it
        SSLContext context = SSLContext.getInstance("TLSv1.3");
        context.init(new KeyManager[] {intruder.keyManager()}, new TrustManager[] {identity(Role.MASTER, "m1").trustManager()}, null);
        try (SSLSocket s = (SSLSocket) context.getSocketFactory().createSocket("127.0.0.1", server.port())) {
            String local = "127.0.0.1:" + s.getLocalPort();
            int before = warningsNaming(local);
            s.setSSLParameters(intruder.engine(true).getSSLParameters());
            try {
                s.startHandshake();
                s.getOutputStream().write(new byte[] {'M', 'N', 'G', 'S', 0, 1, 0, 0});
                s.getOutputStream().flush();
                s.getInputStream().read();
            } catch (java.io.IOException expected) {
                // TLS 1.3: the server checks the client's certificate after the client's side is done
            }
            eventually("a WARN naming " + local, () -> warningsNaming(local) == before + 1);
            Thread.sleep(200);
            assertEquals(before + 1, warningsNaming(local), "one WARN");
            assertTrue(lastWarning(local).contains("TLS handshake failed"), lastWarning(local));
        }
        try (TcpChunkClient client = client(intruder, server)) {
            assertEquals(ErrorCode.INTERNAL, failure(client.readShard(id(1), 0, 10)).code());
        }
    }

    @Test
    void renewedCertificatesAreUsedByNewConnectionsWithoutARestart() throws Exception {
        Path folder = root.resolve("renewed-client");
        ca.issue(Role.GATEWAY, "client", List.of(), Duration.ofDays(1), folder);
        ClusterTls identity = ClusterTls.load(folder);
        try (TcpChunkClient before = client(identity, server)) {
            assertEquals(ErrorCode.PERMISSION_DENIED, failure(before.deleteShard(id(99))).code());
        }
        // the client's certificate renewed in place with another role, the server's with a new key
        ca.issue(Role.MASTER, "client", List.of(), Duration.ofDays(1), folder);
        X509Certificate renewed = ca.issue(Role.CHUNKSERVER, "cs-0", List.of("127.0.0.1"), Duration.ofDays(1), root.resolve("cs-0"));
        touch(folder);
        touch(root.resolve("cs-0"));
        Thread.sleep(1_100);
        try (TcpChunkClient after = client(identity, server)) {
            get(after.deleteShard(id(99)));
        }
        try (SSLSocket s = (SSLSocket) identity.context().getSocketFactory().createSocket("127.0.0.1", server.port())) {
            s.setSSLParameters(identity.engine(true).getSSLParameters());
            s.startHandshake();
            BigInteger served = ((X509Certificate) s.getSession().getPeerCertificates()[0]).getSerialNumber();
            assertEquals(renewed.getSerialNumber(), served, "the chunkserver shows its renewed certificate");
        }
    }

    @Test
    void aProcessThatAcceptsButNeverHandshakesFailsCallsWithinTheConnectTimeout() throws Exception {
        try (java.net.ServerSocket mute = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress());
             TcpChunkClient client = new TcpChunkClient(vertx, "cs-mute", SocketAddress.inetSocketAddress(mute.getLocalPort(), "127.0.0.1"),
                     ChunkClientOptions.defaults().withConnectTimeout(Duration.ofMillis(300)).withTls(identity(Role.GATEWAY, "gw")))) {
            TestCalls.TimedFailure f = TestCalls.timedFailure(() -> client.readShard(id(1), 0, 10));
            assertEquals(ErrorCode.INTERNAL, f.error().code());
            assertTrue(f.error().getMessage().contains("no TLS handshake in time"), f.error().getMessage());
            assertTrue(f.millis() < 5_000, f.millis() + " ms");
        }
    }

    private static ChunkServerOptions serverOptions(String name) throws Exception {
        ca.issue(Role.CHUNKSERVER, name, List.of("127.0.0.1"), Duration.ofDays(1), root.resolve(name));
        return ChunkServerOptions.defaults(root.resolve(name + "-data")).withHost("127.0.0.1").withPort(0).withIoThreads(4)
                .withTls(ClusterTls.load(root.resolve(name)));
    }

    private static ClusterTls identity(Role role, String name) throws Exception {
        Path folder = root.resolve(role.label() + "-" + name);
        if (!ClusterTls.present(folder)) {
            ca.issue(role, name, List.of(), Duration.ofDays(1), folder);
        }
        return ClusterTls.load(folder);
    }

    private static TcpChunkClient client(ClusterTls identity, ChunkServer to) {
        return new TcpChunkClient(vertx, to.nodeId(), socketAddress(to), ChunkClientOptions.defaults().withConnections(1).withTls(identity));
    }

    private static SocketAddress socketAddress(ChunkServer cs) {
        return SocketAddress.inetSocketAddress(cs.port(), "127.0.0.1");
    }

    private static String address(ChunkServer cs) {
        return "127.0.0.1:" + cs.port();
    }

    /** Newer stamps than the files had: a renewal within the same millisecond is still seen. */
    private static void touch(Path folder) throws Exception {
        for (String f : List.of(ClusterTls.CA, ClusterTls.NODE_CERT, ClusterTls.NODE_KEY)) {
            Files.setLastModifiedTime(folder.resolve(f), FileTime.fromMillis(System.currentTimeMillis() + 5_000));
        }
    }

    private static int warningsNaming(String address) {
        synchronized (serverLog) { // the appender appends under its own lock
            return (int) serverLog.list.stream()
                    .filter(e -> e.getLevel() == Level.WARN && e.getFormattedMessage().contains(address)).count();
        }
    }

    private static String lastWarning(String address) {
        synchronized (serverLog) { // the appender appends under its own lock
            return serverLog.list.stream().map(ILoggingEvent::getFormattedMessage).filter(m -> m.contains(address))
                    .reduce((a, b) -> b).orElse("");
        }
    }
}
