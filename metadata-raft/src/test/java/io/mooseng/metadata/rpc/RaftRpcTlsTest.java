package io.mooseng.metadata.rpc;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.AppenderBase;
import io.mooseng.core.error.ErrorCode;
import io.mooseng.core.model.AccessKeyRecord;
import io.mooseng.core.model.StorageClass;
import io.mooseng.core.model.UserAccount;
import io.mooseng.core.security.ClusterTls;
import io.mooseng.core.security.Role;
import io.mooseng.metadata.TestCertificates;
import io.mooseng.metadata.TestCluster;
import io.mooseng.metadata.client.GroupAdmin;
import io.mooseng.metadata.client.MetadataClientConfig;
import io.mooseng.metadata.client.RaftMetadataService;
import io.mooseng.metadata.raft.MetadataServer;
import io.mooseng.metadata.raft.MetadataServerConfig;
import io.mooseng.metadata.raft.RaftMember;
import io.mooseng.metadata.raft.RaftPeers;
import org.apache.ratis.proto.RaftProtos.AppendEntriesReplyProto;
import org.apache.ratis.proto.RaftProtos.AppendEntriesRequestProto;
import org.apache.ratis.proto.RaftProtos.RaftClientReplyProto;
import org.apache.ratis.proto.RaftProtos.RaftClientRequestProto;
import org.apache.ratis.proto.RaftProtos.GroupInfoReplyProto;
import org.apache.ratis.proto.RaftProtos.GroupInfoRequestProto;
import org.apache.ratis.proto.RaftProtos.RaftRpcRequestProto;
import org.apache.ratis.proto.RaftProtos.RequestVoteReplyProto;
import org.apache.ratis.proto.RaftProtos.RequestVoteRequestProto;
import org.apache.ratis.protocol.ClientId;
import org.apache.ratis.thirdparty.com.google.protobuf.ByteString;
import org.apache.ratis.util.ProtoUtils;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

import javax.net.ssl.SSLSocket;
import java.io.IOException;
import java.math.BigInteger;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;

import static io.mooseng.metadata.Fixtures.assertFails;
import static io.mooseng.metadata.Fixtures.join;
import static io.mooseng.metadata.Fixtures.key;
import static io.mooseng.metadata.Fixtures.manifest;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Mutual TLS on the Raft RPC of a 3-master group: clients by role, refused handshakes,
 * calls refused by role on a connection that goes on, membership changes, renewal in place.
 */
@Timeout(120)
class RaftRpcTlsTest {
    @TempDir
    static Path dir;
    private static TestCertificates certs;
    private static TestCluster cluster;
    private static final Queue<String> warnings = new ConcurrentLinkedQueue<>();
    private static final AppenderBase<ILoggingEvent> rpcLog = new AppenderBase<>() {
        @Override
        protected void append(ILoggingEvent e) {
            warnings.add(e.getLevel() + " " + e.getFormattedMessage());
        }
    };

    @BeforeAll
    static void start() throws Exception {
        rpcLog.start();
        ((Logger) LoggerFactory.getLogger(RpcTls.class)).addAppender(rpcLog);
        certs = TestCertificates.create(dir.resolve("certs"));
        UnaryOperator<MetadataServerConfig> tls = certs.forMasters();
        cluster = TestCluster.start(dir.resolve("group"), 3, c -> tls.apply(c).withAuditLog(dir.resolve("audit-" + c.self().id() + ".jsonl")));
    }

    @AfterAll
    static void stop() throws IOException {
        ((Logger) LoggerFactory.getLogger(RpcTls.class)).detachAppender(rpcLog);
        cluster.close();
    }

    private static MetadataClientConfig as(Role role, String name) throws IOException {
        return MetadataClientConfig.DEFAULTS.withTls(certs.issue(role, name));
    }

    @Test
    void adminActionsAndRefusalsAreAuditedWithTheCallersIdentity() throws Exception {
        RaftMetadataService admin = cluster.client(as(Role.ADMIN, "auditor"));
        join(admin.putUser(new UserAccount("auditee", true, false, List.of(), 1), true));
        join(admin.addAccessKey(new AccessKeyRecord("AUDITEDKEY", "auditee", new byte[]{1, 2, 3}, 1, 0, null)));
        join(admin.revokeAccessKey("AUDITEDKEY"));
        join(admin.putObject("tls", key("not-audited"), manifest(1, "e", 1)).exceptionally(e -> null));
        assertThrows(PermissionDeniedException.class,
                () -> GroupAdmin.connect(cluster.addresses(), certs.issue(Role.GATEWAY, "gw-audit"))
                        .addListener(new RaftMember("intruder", "127.0.0.1:1")));
        long deadline = System.nanoTime() + 5_000_000_000L;
        String trail;
        do {
            Thread.sleep(50);
            trail = audits();
        } while (!(trail.contains("revoke access key AUDITEDKEY") && trail.contains("refused")) && System.nanoTime() < deadline);
        assertTrue(trail.contains("\"action\":\"add user auditee"), trail);
        assertTrue(trail.contains("\"action\":\"create access key AUDITEDKEY of user auditee\""), trail);
        assertTrue(trail.contains("\"role\":\"admin\",\"subject\":\"CN=auditor"), trail);
        assertTrue(trail.contains("\"role\":\"gateway\",\"subject\":\"CN=gw-audit") && trail.contains("\"outcome\":\"refused"), trail);
        assertFalse(trail.contains("not-audited"), "ordinary commands are not admin actions");
        assertFalse(trail.contains("AQID"), "never the sealed secret");
    }

    @Test
    void onlyAnAdminOrAMasterRotatesTheClusterKeyAndTheTrailSaysSo() throws Exception {
        byte[] first = "first-key".getBytes(StandardCharsets.US_ASCII);
        byte[] second = "second-key".getBytes(StandardCharsets.US_ASCII);
        RaftMetadataService admin = cluster.client(as(Role.ADMIN, "rotator"));
        join(admin.bootstrapIdentity(first, new UserAccount("rot-admin", true, true, List.of(), 1),
                new AccessKeyRecord("ROTADMINKEY", "rot-admin", new byte[]{4, 5, 6}, 1, 0, null)));
        MetadataClientConfig brief = MetadataClientConfig.DEFAULTS.withRetryTimeout(Duration.ofSeconds(1));
        RaftMetadataService gateway = cluster.client(brief.withTls(certs.issue(Role.GATEWAY, "gw-rotate")));
        Throwable refused = assertThrows(Exception.class, () -> join(gateway.registerClusterKey(first, second)));
        assertTrue(String.valueOf(refused).contains("may not rotate the cluster key"), String.valueOf(refused));
        assertThrows(Exception.class, () -> join(gateway.resealAccessKey("ROTADMINKEY", new byte[]{4, 5, 6}, new byte[]{7})));
        assertArrayEquals(first, join(admin.identities(-1)).clusterKey());

        assertTrue(join(admin.registerClusterKey(first, second)));
        assertFalse(join(admin.registerClusterKey(first, second)), "registered already: a repeated rotation");
        assertFails(ErrorCode.CONCURRENT_CHANGE, admin.registerClusterKey(first, "third".getBytes(StandardCharsets.US_ASCII)));
        assertTrue(join(admin.resealAccessKey("ROTADMINKEY", new byte[]{4, 5, 6}, new byte[]{7})));
        assertFalse(join(admin.resealAccessKey("ROTADMINKEY", new byte[]{4, 5, 6}, new byte[]{8})), "changed meanwhile: left alone");
        assertArrayEquals(second, join(admin.identities(-1)).clusterKey());
        long deadline = System.nanoTime() + 5_000_000_000L;
        String trail;
        do {
            Thread.sleep(50);
            trail = audits();
        } while (!trail.contains("re-seal access key ROTADMINKEY") && System.nanoTime() < deadline);
        assertTrue(trail.lines().anyMatch(l -> l.contains("CN=rotator") && l.contains("\"action\":\"register a new cluster key (rotation)\",\"outcome\":\"ok\"")), trail);
        assertTrue(trail.lines().anyMatch(l -> l.contains("CN=gw-rotate") && l.contains("\"outcome\":\"refused: permission denied: a gateway may not rotate")), trail);
    }

    private static String audits() throws IOException {
        StringBuilder all = new StringBuilder();
        try (var files = Files.list(dir)) {
            for (Path f : files.filter(f -> f.getFileName().toString().startsWith("audit-")).toList()) {
                all.append(Files.readString(f));
            }
        }
        return all.toString();
    }

    @Test
    void aGatewayAndAMountServeCommandsThroughTheGroup() throws Exception {
        RaftMetadataService gateway = cluster.client(as(Role.GATEWAY, "gw1"));
        join(gateway.createBucket("tls", StorageClass.EC_4_2, 1));
        join(gateway.putObject("tls", key("a/b"), manifest(10, "e1", 1)));
        RaftMetadataService mount = cluster.client(as(Role.MOUNT, "mnt1"));
        assertEquals("e1", join(mount.getObject("tls", key("a/b"))).etag());
    }

    @Test
    void aClientWithoutACertificateOrWithAForeignOrExpiredOneIsRefused() throws Exception {
        // 2 s, not 1: validity is to the second (truncated), and loading it must happen before it ends
        ClusterTls expiring = certs.issue(Role.GATEWAY, "expiring", Duration.ofSeconds(2));
        MetadataClientConfig brief = MetadataClientConfig.DEFAULTS.withRetryTimeout(Duration.ofSeconds(1));
        assertFails(ErrorCode.METADATA_UNAVAILABLE, cluster.client(brief).createBucket("plain", StorageClass.EC_4_2, 1));
        awaitWarning("not a TLS connection");

        ClusterTls intruder = TestCertificates.create(dir.resolve("other-ca")).issue(Role.ADMIN, "intruder");
        assertFails(ErrorCode.METADATA_UNAVAILABLE, cluster.client(brief.withTls(intruder)).createBucket("other", StorageClass.EC_4_2, 1));
        awaitWarning("certificate_unknown");

        Thread.sleep(2_100); // past its end
        assertFails(ErrorCode.METADATA_UNAVAILABLE, cluster.client(brief.withTls(expiring)).createBucket("expired", StorageClass.EC_4_2, 1));
        awaitWarning("validity check failed (java.security.cert.CertificateExpiredException: NotAfter");
        assertTrue(warnings.stream().allMatch(w -> w.contains("remote=/127.0.0.1:")), warnings.toString());
    }

    @Test
    void onlyAnAdminOrAMasterChangesTheMembershipAndAMetaloggerAddsItself() throws Exception {
        RaftMember logger = RaftMember.of("127.0.0.1:" + TestCluster.freePort());
        PermissionDeniedException gateway = assertThrows(PermissionDeniedException.class,
                () -> GroupAdmin.connect(cluster.addresses(), certs.issue(Role.GATEWAY, "gw-admin")).addListener(logger));
        assertEquals("permission denied: a gateway may not change the membership (only an admin or a master may;"
                + " a metalogger may add itself as a listener)", gateway.getMessage());
        String voter = RaftMember.of(cluster.addresses().get(0)).id();
        PermissionDeniedException mount = assertThrows(PermissionDeniedException.class,
                () -> GroupAdmin.connect(cluster.addresses(), certs.issue(Role.MOUNT, "mnt-admin")).remove(voter));
        assertTrue(mount.getMessage().startsWith("permission denied: a mount may not change the membership"), mount.getMessage());

        // a metalogger joins as it does at start-up: it adds itself as a listener, and gets the log
        ClusterTls loggerTls = certs.issue(Role.METALOGGER, logger.id());
        GroupAdmin admin = GroupAdmin.connect(cluster.addresses(), certs.issue(Role.ADMIN, "admin"));
        MetadataServer listener = cluster.start(MetadataServerConfig.listener(logger, admin.membership().voters(),
                dir.resolve("logger")).withTls(loggerTls));
        GroupAdmin self = GroupAdmin.connect(cluster.addresses(), loggerTls);
        self.addListener(logger);
        RaftMetadataService gw = cluster.client(as(Role.GATEWAY, "gw2"));
        join(gw.createBucket("logged", StorageClass.EC_4_2, 1));
        long commit = cluster.leader().status().commitIndex();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (listener.status().lastAppliedIndex() < commit && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        assertTrue(listener.status().lastAppliedIndex() >= commit, "the metalogger received the log over TLS");
        PermissionDeniedException removal = assertThrows(PermissionDeniedException.class, () -> self.remove(voter));
        assertTrue(removal.getMessage().startsWith("permission denied: a metalogger may only add listeners"), removal.getMessage());

        admin.remove(logger.id());
        assertEquals(List.of(), admin.membership().listeners());
        assertEquals(3, admin.membership().voters().size());
        cluster.stopPeer(logger.address());
    }

    @Test
    void aMemberNeedsTheCertificateOfItsRole() throws Exception {
        RaftMember m = RaftMember.of("127.0.0.1:1");
        ClusterTls gateway = certs.issue(Role.GATEWAY, "gw4");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> MetadataServerConfig.member(m, List.of(m), dir.resolve("x")).withTls(gateway));
        assertTrue(e.getMessage().startsWith("a master needs a master's certificate; "), e.getMessage());
        ClusterTls master = certs.issue(Role.MASTER, "m4");
        assertThrows(IllegalArgumentException.class,
                () -> MetadataServerConfig.listener(m, cluster.addresses().stream().map(RaftMember::of).toList(), dir.resolve("x")).withTls(master));
    }

    @Test
    void aChunkserverMayNotReplicateOrVoteAndItsConnectionGoesOn() throws Exception {
        String member = cluster.leader().address();
        RaftRpcConnection c = new RaftRpcConnection(member, 1000, certs.issue(Role.CHUNKSERVER, "cs1"));
        try {
            ExecutionException append = assertThrows(ExecutionException.class, () -> c.call(RpcKind.APPEND_ENTRIES,
                    AppendEntriesRequestProto.getDefaultInstance(), AppendEntriesReplyProto.parser(), 5000).get(10, TimeUnit.SECONDS));
            assertInstanceOf(PermissionDeniedException.class, append.getCause());
            assertEquals("permission denied: a chunkserver may not append log entries (only a master may)", append.getCause().getMessage());
            ExecutionException vote = assertThrows(ExecutionException.class, () -> c.call(RpcKind.REQUEST_VOTE,
                    RequestVoteRequestProto.getDefaultInstance(), RequestVoteReplyProto.parser(), 5000).get(10, TimeUnit.SECONDS));
            assertEquals("permission denied: a chunkserver may not ask for a vote (only a master may)", vote.getCause().getMessage());
            assertTrue(c.call(RpcKind.GROUP_INFO, groupInfo(), GroupInfoReplyProto.parser(), 5000).get(10, TimeUnit.SECONDS)
                    .getRpcReply().getSuccess());
            assertFalse(c.isClosed());
        } finally {
            c.close();
        }
    }

    @Test
    void aMonitorMayCallNothing() throws Exception {
        RaftRpcConnection c = new RaftRpcConnection(cluster.leader().address(), 1000, certs.issue(Role.MONITOR, "prometheus"));
        try {
            ExecutionException query = assertThrows(ExecutionException.class, () -> c.call(RpcKind.CLIENT_REQUEST,
                    RaftClientRequestProto.getDefaultInstance(), RaftClientReplyProto.parser(), 5000).get(10, TimeUnit.SECONDS));
            assertInstanceOf(PermissionDeniedException.class, query.getCause());
            assertEquals("permission denied: a monitor may not send commands or queries (any role but a monitor may)",
                    query.getCause().getMessage());
            ExecutionException status = assertThrows(ExecutionException.class,
                    () -> c.call(RpcKind.GROUP_INFO, groupInfo(), GroupInfoReplyProto.parser(), 5000).get(10, TimeUnit.SECONDS));
            assertInstanceOf(PermissionDeniedException.class, status.getCause());
            ExecutionException vote = assertThrows(ExecutionException.class, () -> c.call(RpcKind.REQUEST_VOTE,
                    RequestVoteRequestProto.getDefaultInstance(), RequestVoteReplyProto.parser(), 5000).get(10, TimeUnit.SECONDS));
            assertInstanceOf(PermissionDeniedException.class, vote.getCause());
        } finally {
            c.close();
        }
    }

    @Test
    void aPortProbeIsNoRefusal() throws Exception {
        String member = cluster.addresses().get(1);
        int local;
        try (Socket probe = new Socket(RaftPeers.host(member), RaftPeers.port(member))) { // as the leader watch probes
            local = probe.getLocalPort();
        }
        Thread.sleep(300);
        assertTrue(warnings.stream().noneMatch(w -> w.contains(":" + local + " ")), warnings.toString());
    }

    @Test
    void aMembersRenewedCertificateServesNewConnectionsWithoutARestart() throws Exception {
        String member = cluster.addresses().get(0);
        ClusterTls gateway = certs.issue(Role.GATEWAY, "gw3");
        BigInteger before = certificateOf(member, gateway).getSerialNumber();
        certs.renew(Role.MASTER, RaftMember.of(member).id());
        Thread.sleep(1_100); // identities look at their files at most once a second
        assertNotEquals(before, certificateOf(member, gateway).getSerialNumber());
        RaftMetadataService client = cluster.client(MetadataClientConfig.DEFAULTS.withTls(gateway));
        join(client.createBucket("renewed", StorageClass.EC_4_2, 1));
        assertTrue(join(client.listBuckets()).stream().anyMatch(b -> b.name().equals("renewed")));
    }

    /** The certificate a member presents to a new connection. */
    private static X509Certificate certificateOf(String member, ClusterTls client) throws IOException {
        try (SSLSocket s = (SSLSocket) client.context().getSocketFactory().createSocket(RaftPeers.host(member), RaftPeers.port(member))) {
            s.setSSLParameters(client.engine(true).getSSLParameters());
            s.startHandshake();
            return (X509Certificate) s.getSession().getPeerCertificates()[0];
        }
    }

    private static void awaitWarning(String text) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (warnings.stream().noneMatch(w -> w.startsWith("WARN") && w.contains(text)) && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        assertTrue(warnings.stream().anyMatch(w -> w.startsWith("WARN") && w.contains(text)), "no refusal logged with '" + text + "': " + warnings);
    }

    private static GroupInfoRequestProto groupInfo() {
        return GroupInfoRequestProto.newBuilder().setRpcRequest(RaftRpcRequestProto.newBuilder()
                .setRequestorId(ClientId.randomId().toByteString())
                .setReplyId(ByteString.copyFromUtf8("member"))
                .setRaftGroupId(ProtoUtils.toRaftGroupIdProtoBuilder(RaftPeers.GROUP_ID))).build();
    }
}
