package io.mooseng.s3compat;

import io.mooseng.cli.EmbeddedCluster;
import io.mooseng.core.config.HostPort;
import io.mooseng.core.model.StorageClass;
import io.mooseng.core.security.CertificateAuthority;
import io.mooseng.core.security.ClusterTls;
import io.mooseng.core.security.PemFiles;
import io.mooseng.core.security.Role;
import io.mooseng.s3.S3Certificate;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.http.apache.ApacheHttpClient;
import software.amazon.awssdk.services.s3.S3Client;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManager;
import java.math.BigInteger;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** The S3 endpoint over HTTPS: the AWS SDK and awscli trusting the cluster CA, plain HTTP refused, a renewed certificate served without a restart. */
class S3TlsTest {
    private static final S3Keys KEYS = S3Keys.random();
    private static Path dir;
    private static CertificateAuthority ca;
    private static EmbeddedCluster cluster;
    private static S3Client s3;

    @BeforeAll
    static void start() throws Exception {
        dir = Files.createTempDirectory("mooseng-s3tls-");
        ca = CertificateAuthority.create(dir.resolve("ca"), "test CA", Duration.ofDays(1));
        issue();
        cluster = EmbeddedCluster.start(new EmbeddedCluster.Options(List.of(dir.resolve("data")), new HostPort("127.0.0.1", 0),
                new HostPort("127.0.0.1", 0), 6, StorageClass.EC_4_2, KEYS.accessKey(), KEYS.secretKey(), null)
                .withS3Tls(new S3Certificate(dir.resolve("s3").resolve(ClusterTls.NODE_CERT), dir.resolve("s3").resolve(ClusterTls.NODE_KEY))));
        s3 = S3Client.builder().endpointOverride(URI.create(cluster.endpoint())).region(S3Clients.REGION).forcePathStyle(true)
                .credentialsProvider(S3Clients.credentials(KEYS))
                .httpClientBuilder(ApacheHttpClient.builder().tlsTrustManagersProvider(S3TlsTest::trustCa)).build();
    }

    @AfterAll
    static void stop() throws Exception {
        if (s3 != null) {
            s3.close();
        }
        if (cluster != null) {
            cluster.close();
        }
        TempDirs.delete(dir);
    }

    private static X509Certificate issue() throws Exception {
        return ca.issue(Role.GATEWAY, "localhost", List.of("127.0.0.1"), Duration.ofDays(1), dir.resolve("s3"));
    }

    private static TrustManager[] trustCa() {
        return S3Clients.trusting(ca.certificate());
    }

    @Test
    void theSdkStoresAndReadsOverHttps() {
        assertTrue(cluster.endpoint().startsWith("https://"), cluster.endpoint());
        s3.createBucket(b -> b.bucket("tls"));
        byte[] data = TestData.bytes(16, 3 << 20);
        s3.putObject(b -> b.bucket("tls").key("big"), RequestBody.fromBytes(data));
        assertArrayEquals(data, s3.getObjectAsBytes(b -> b.bucket("tls").key("big")).asByteArray());
        byte[] range = s3.getObjectAsBytes(b -> b.bucket("tls").key("big").range("bytes=1000000-1000099")).asByteArray();
        assertArrayEquals(Arrays.copyOfRange(data, 1_000_000, 1_000_100), range);
    }

    /** The secure connection SSE-C asks for (plain HTTP is refused but from loopback: ServerSideEncryptionTest). */
    @Test
    void customerKeysGoOverHttps() {
        s3.createBucket(b -> b.bucket("tls-sse-c"));
        byte[] raw = new byte[32];
        new java.security.SecureRandom().nextBytes(raw);
        String key = java.util.Base64.getEncoder().encodeToString(raw);
        String md5 = java.util.Base64.getEncoder().encodeToString(TestData.md5(raw));
        byte[] data = TestData.bytes(17, 200_000);
        s3.putObject(b -> b.bucket("tls-sse-c").key("c").sseCustomerAlgorithm("AES256").sseCustomerKey(key).sseCustomerKeyMD5(md5),
                RequestBody.fromBytes(data));
        assertArrayEquals(data, s3.getObjectAsBytes(b -> b.bucket("tls-sse-c").key("c").sseCustomerAlgorithm("AES256")
                .sseCustomerKey(key).sseCustomerKeyMD5(md5)).asByteArray());
    }

    @Test
    void awscliCopiesUpAndDownTrustingTheCa() throws Exception {
        Optional<S3Cli.Kind> kind = S3Cli.available();
        assumeTrue(kind.isPresent(), "neither awscli nor boto3 on this machine");
        s3.createBucket(b -> b.bucket("tls-cli"));
        Path work = Files.createDirectories(dir.resolve("cli"));
        S3Cli cli = new S3Cli(kind.get(), S3Server.of(URI.create(cluster.endpoint()), KEYS), work, dir.resolve("ca").resolve(ClusterTls.CA));
        byte[] data = TestData.bytes(7, 1 << 20);
        Files.write(work.resolve("up"), data);
        cli.ok("cp", work.resolve("up").toString(), "s3://tls-cli/f");
        cli.ok("cp", "s3://tls-cli/f", work.resolve("down").toString());
        assertArrayEquals(data, Files.readAllBytes(work.resolve("down")));
        S3Cli untrusting = new S3Cli(kind.get(), S3Server.of(URI.create(cluster.endpoint()), KEYS), work);
        assertNotEquals(0, untrusting.run("ls", "s3://tls-cli").exitCode(), "a client that does not trust the CA is refused");
    }

    @Test
    void plainHttpToTheHttpsPortGetsNoAnswer() {
        URI plain = URI.create("http://127.0.0.1:" + cluster.s3Port() + "/");
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
        assertThrows(java.io.IOException.class, () -> http.send(HttpRequest.newBuilder(plain).timeout(Duration.ofSeconds(10)).build(),
                HttpResponse.BodyHandlers.ofString()));
    }

    @Test
    void aRenewedCertificateIsServedWithoutARestart() throws Exception {
        BigInteger before = servedSerial();
        X509Certificate renewed = issue();
        long deadline = System.nanoTime() + 15_000_000_000L;
        while (!servedSerial().equals(renewed.getSerialNumber())) {
            assertTrue(System.nanoTime() < deadline, "the renewed certificate was not served within 15 s");
            Thread.sleep(250);
        }
        assertNotEquals(before, renewed.getSerialNumber());
        assertEquals(PemFiles.certificates(dir.resolve("s3").resolve(ClusterTls.NODE_CERT)).get(0).getSerialNumber(), servedSerial());
    }

    private static BigInteger servedSerial() throws Exception {
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(null, trustCa(), null);
        try (SSLSocket socket = (SSLSocket) context.getSocketFactory().createSocket("127.0.0.1", cluster.s3Port())) {
            socket.startHandshake();
            return ((X509Certificate) socket.getSession().getPeerCertificates()[0]).getSerialNumber();
        }
    }
}
