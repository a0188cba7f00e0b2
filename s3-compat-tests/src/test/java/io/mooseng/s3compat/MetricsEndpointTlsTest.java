package io.mooseng.s3compat;

import io.mooseng.cli.node.Metrics;
import io.mooseng.cli.node.MetricsEndpoint;
import io.mooseng.core.config.HostPort;
import io.mooseng.core.security.CertificateAuthority;
import io.mooseng.core.security.ClusterTls;
import io.mooseng.core.security.Role;
import io.vertx.core.Vertx;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import javax.net.ssl.SSLSocket;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

/**
 * The HTTPS /metrics of a process running TLS, in this JVM over real sockets: a certificate
 * renewed in the process's folder serves the next scrape without a restart, as on the internal
 * ports (DemoClusterTest checks who is refused, on the processes of scripts/demo.sh).
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class MetricsEndpointTlsTest {
    @TempDir
    static Path dir;

    @Test
    void aRenewedCertificateServesTheNextScrape() throws Exception {
        CertificateAuthority ca = CertificateAuthority.create(dir.resolve("ca"), "test", Duration.ofDays(1));
        ca.issue(Role.MASTER, "m1", List.of("127.0.0.1"), Duration.ofDays(1), dir.resolve("m1"));
        ca.issue(Role.MONITOR, "prometheus", List.of(), Duration.ofDays(1), dir.resolve("prometheus"));
        ClusterTls monitor = ClusterTls.load(dir.resolve("prometheus"));
        Vertx vertx = Vertx.vertx();
        try {
            int port = TestPorts.freeRange(1);
            MetricsEndpoint.start(vertx, Metrics.processRegistry(), HostPort.parse("127.0.0.1:" + port), ClusterTls.load(dir.resolve("m1")));
            BigInteger before = servedBy(port, monitor);
            X509Certificate renewed = ca.issue(Role.MASTER, "m1", List.of("127.0.0.1"), Duration.ofDays(1), dir.resolve("m1"));
            assertNotEquals(before, renewed.getSerialNumber());
            Thread.sleep(1_100); // identities look at their files at most once a second
            assertEquals(renewed.getSerialNumber(), servedBy(port, monitor));
        } finally {
            vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        }
    }

    /** Scrapes once on a new connection; @return the serial number of the certificate the endpoint presented. */
    private static BigInteger servedBy(int port, ClusterTls client) throws IOException {
        try (SSLSocket s = (SSLSocket) client.context().getSocketFactory().createSocket("127.0.0.1", port)) {
            s.setSSLParameters(client.engine(true).getSSLParameters());
            s.getOutputStream().write("GET /metrics HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            String status = new BufferedReader(new InputStreamReader(s.getInputStream(), StandardCharsets.US_ASCII)).readLine();
            assertEquals("HTTP/1.1 200 OK", status);
            return ((X509Certificate) s.getSession().getPeerCertificates()[0]).getSerialNumber();
        }
    }
}
