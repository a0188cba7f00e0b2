package io.mooseng.s3compat;

import io.mooseng.core.security.CertificateAuthority;
import io.mooseng.core.security.ClusterTls;
import io.mooseng.core.security.Role;
import io.mooseng.core.status.MemberStatus;
import io.mooseng.metadata.client.RaftMetadataService;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;

import javax.net.ssl.KeyManager;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLException;
import javax.net.ssl.TrustManager;
import java.io.IOException;
import java.net.Socket;
import java.net.SocketException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The demo topology as processes, started by {@code scripts/demo.sh up} as the README's quick
 * start does: 3 masters, 6 chunkservers labelled with zones and racks, 2 gateways, a metalogger
 * and a mount. Every gateway stores an object every other gateway and the mount read back; every
 * internal port and /metrics refuses a process without a certificate of the cluster CA.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class DemoClusterTest {
    private static final String BUCKET = "demo";

    @Test
    void everyGatewayAndTheMountServeTheDemoTopology() throws Exception {
        Path dir = Files.createTempDirectory("mooseng-demo");
        // thirteen JVMs (with ProcessCluster's first-tier JIT)
        try (ProcessCluster cluster = ProcessCluster.up("scripts/demo.sh", dir, Map.of())) {
            List<MemberStatus> members = cluster.status();
            assertEquals(List.of("FOLLOWER", "FOLLOWER", "LEADER", "LISTENER"),
                    members.stream().map(MemberStatus::role).sorted().toList(), members.toString());
            // zones round-robin, a rack each: what docker/compose.yml gives cs1..cs6
            try (RaftMetadataService metadata = cluster.metadata()) {
                Map<String, String> domains = metadata.listChunkservers().get(10, TimeUnit.SECONDS).stream()
                        .collect(Collectors.toMap(c -> c.id(), c -> c.labels().get("zone") + "/" + c.labels().get("rack")));
                assertEquals(Map.of("cs1", "z1/z1-r1", "cs2", "z2/z2-r1", "cs3", "z3/z3-r1",
                        "cs4", "z1/z1-r2", "cs5", "z2/z2-r2", "cs6", "z3/z3-r2"), domains);
            }

            S3Keys keys = cluster.keys();
            List<URI> endpoints = cluster.endpoints();
            assertEquals(2, endpoints.size());
            try (S3Client first = S3Clients.sync(endpoints.get(0), keys)) {
                first.createBucket(b -> b.bucket(BUCKET));
            }
            Path mounted = Path.of(cluster.clusterEnv().getProperty("MOOSENG_MOUNTPOINT")).resolve(BUCKET);
            for (int i = 0; i < endpoints.size(); i++) {
                // 1 MiB: one erasure-coded block, its shards spread over the zones
                byte[] data = TestData.bytes(i, TestData.MiB);
                String key = "via-gw" + (i + 1);
                try (S3Client s3 = S3Clients.sync(endpoints.get(i), keys)) {
                    s3.putObject(b -> b.bucket(BUCKET).key(key), RequestBody.fromBytes(data));
                }
                for (URI reader : endpoints) {
                    try (S3Client s3 = S3Clients.sync(reader, keys)) {
                        assertArrayEquals(data, s3.getObjectAsBytes(b -> b.bucket(BUCKET).key(key)).asByteArray(), key + " from " + reader);
                    }
                }
                // a random read first: the mount's FUSE thread reads it itself, over TLS with the mount's certificate
                try (FileChannel file = FileChannel.open(mounted.resolve(key))) {
                    ByteBuffer range = ByteBuffer.allocate(4096);
                    assertEquals(4096, file.read(range, 700_000));
                    assertEquals(ByteBuffer.wrap(data, 700_000, 4096), range.flip(), key + " at 700000 in the mount");
                }
                assertArrayEquals(data, Files.readAllBytes(mounted.resolve(key)), key + " in the mount");
            }
            // the console's status, from a gateway process with a gateway certificate: the masters' roles come through the
            // Raft RPC's group status, which a gateway may read
            SignedHttp.Response status = new SignedHttp(S3Server.of(endpoints.get(1), keys))
                    .send("GET", "/?mooseng-admin=status", Map.of(), new byte[0]);
            assertEquals(200, status.status(), status::toString);
            com.fasterxml.jackson.databind.JsonNode doc = new com.fasterxml.jackson.databind.ObjectMapper().readTree(status.body());
            assertTrue(doc.get("error").isNull(), status::toString);
            List<String> roles = new java.util.ArrayList<>();
            doc.get("masters").forEach(m -> roles.add(m.get("role").asText()));
            assertEquals(List.of("FOLLOWER", "FOLLOWER", "LEADER", "LISTENER"), roles.stream().sorted().toList(), status::toString);
            assertEquals(6, doc.get("chunkservers").size(), status::toString);
            // the mount process described itself to the leader (a mount certificate may)
            assertEquals(1, doc.get("mounts").size(), status::toString);
            assertEquals(Path.of(cluster.clusterEnv().getProperty("MOOSENG_MOUNTPOINT")), Path.of(doc.get("mounts").get(0).get("mountPoint").asText()),
                    status::toString);
            assertEquals("LIVE", doc.get("mounts").get(0).get("state").asText(), status::toString);
            // every internal port runs TLS: a process without a certificate gets no answer, and is logged
            int base = Integer.parseInt(cluster.clusterEnv().getProperty("MOOSENG_BASE_PORT"));
            // a Raft RPC frame as a plaintext client sends it (length, call id, kind, status): at least a TLS
            // record header's 5 bytes, so the server sees at once that it is not TLS
            assertRefused(base + 1, java.nio.ByteBuffer.allocate(16).putInt(12).putLong(1).put((byte) 10).array());
            assertRefused(base + 21, new byte[]{'M', 'N', 'G', 'S', 0, 1, 0, 0});
            awaitLog(dir, "m1", "connection refused (TLS)");
            awaitLog(dir, "cs1", "shard transport connection refused");
            metricsNeedACertificateOfTheClusterCa(cluster, dir);
        } finally {
            TempDirs.delete(dir);
        }
    }

    /**
     * /metrics of masters, chunkservers, the metalogger and the mount is HTTPS: a scraper with the
     * monitor certificate cluster.sh issues reads it, checking the server's name (127.0.0.1); a
     * client without a certificate, or with one of another CA, is refused at the handshake, and
     * plain HTTP gets no answer.
     */
    private static void metricsNeedACertificateOfTheClusterCa(ProcessCluster cluster, Path dir) throws Exception {
        List<URI> scraped = Arrays.stream(cluster.clusterEnv().getProperty("MOOSENG_METRICS_ADDRESSES").split(","))
                .map(a -> URI.create("https://" + a + "/metrics")).toList();
        assertEquals(11, scraped.size(), "3 masters, 6 chunkservers, the metalogger and the mount: " + scraped);
        ClusterTls monitor = ClusterTls.load(Path.of(cluster.clusterEnv().getProperty("MOOSENG_MONITOR_TLS_DIR")));
        assertEquals(Role.MONITOR, monitor.role());
        CertificateAuthority.create(dir.resolve("other-ca"), "another cluster", Duration.ofDays(1))
                .issue(Role.MONITOR, "intruder", List.of(), Duration.ofDays(1), dir.resolve("intruder"));
        SSLContext withoutCertificate = SSLContext.getInstance("TLSv1.3");
        withoutCertificate.init(null, new TrustManager[]{monitor.trustManager()}, null);
        SSLContext otherCa = SSLContext.getInstance("TLSv1.3");
        otherCa.init(new KeyManager[]{ClusterTls.load(dir.resolve("intruder")).keyManager()}, new TrustManager[]{monitor.trustManager()}, null);
        try (HttpClient scraper = https(monitor.context()); HttpClient anonymous = https(withoutCertificate); HttpClient intruder = https(otherCa)) {
            for (URI metrics : scraped) {
                HttpResponse<String> r = scraper.send(HttpRequest.newBuilder(metrics).build(), HttpResponse.BodyHandlers.ofString());
                assertEquals(200, r.statusCode(), metrics.toString());
                assertTrue(r.body().contains("jvm_memory_used_bytes"), metrics + ": " + r.body().lines().limit(3).toList());
            }
            for (HttpClient refused : List.of(anonymous, intruder)) {
                IOException e = assertThrows(IOException.class,
                        () -> refused.send(HttpRequest.newBuilder(scraped.get(0)).build(), HttpResponse.BodyHandlers.discarding()));
                assertTrue(causes(e).anyMatch(c -> c instanceof SSLException), "not refused by TLS: " + e);
            }
        }
        URI master = scraped.get(0);
        assertRefused(master.getPort(), "GET /metrics HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
    }

    private static HttpClient https(SSLContext context) {
        return HttpClient.newBuilder().sslContext(context).connectTimeout(Duration.ofSeconds(10)).build();
    }

    private static Stream<Throwable> causes(Throwable e) {
        return Stream.iterate(e, Objects::nonNull, Throwable::getCause);
    }

    /** A plaintext client's first bytes get the connection closed, with no answer. */
    private static void assertRefused(int port, byte[] hello) throws Exception {
        try (Socket s = new Socket("127.0.0.1", port)) {
            s.setSoTimeout(10_000);
            s.getOutputStream().write(hello);
            s.getOutputStream().flush();
            int answer;
            try {
                answer = s.getInputStream().read();
            } catch (SocketException e) {
                answer = -1; // reset: refused as well
            }
            // a TLS server answers a record it cannot read with an alert (0x15) at most, never a hello
            assertTrue(answer == -1 || answer == 0x15, "port " + port + " answered plaintext with " + answer);
        }
    }

    private static void awaitLog(Path dir, String process, String line) throws Exception {
        Path log = dir.resolve("logs").resolve(process + ".log");
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (!Files.readString(log).contains(line)) {
            assertTrue(System.nanoTime() < deadline, process + " did not log '" + line + "'");
            Thread.sleep(100);
        }
    }
}
