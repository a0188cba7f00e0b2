package io.mooseng.core.security;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLHandshakeException;
import javax.net.ssl.SSLServerSocket;
import javax.net.ssl.SSLSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class PeerTrustTest {
    @Test
    void aPrivateCaIsTrustedOnlyWhenNamed(@TempDir Path dir) throws Exception {
        CertificateAuthority ca = CertificateAuthority.create(dir.resolve("ca"), "zone CA", Duration.ofDays(1));
        ca.issue(Role.GATEWAY, "localhost", List.of("127.0.0.1"), Duration.ofDays(1), dir.resolve("gw"));
        ClusterTls server = ClusterTls.load(dir.resolve("gw"));
        assertTrue(PeerTrust.trusting(null).getAcceptedIssuers().length > 0, "the JVM's CAs");
        assertTrue(handshake(server, PeerTrust.trusting(dir.resolve("ca").resolve(ClusterTls.CA))));
        assertThrows(SSLHandshakeException.class, () -> handshake(server, PeerTrust.trusting(null)));
    }

    private static boolean handshake(ClusterTls server, javax.net.ssl.X509TrustManager trust) throws Exception {
        try (SSLServerSocket listen = (SSLServerSocket) server.context().getServerSocketFactory().createServerSocket(0)) {
            CompletableFuture.runAsync(() -> {
                try (SSLSocket s = (SSLSocket) listen.accept()) {
                    s.startHandshake();
                } catch (Exception ignored) {
                    // the client's refusal ends it
                }
            });
            SSLContext client = SSLContext.getInstance("TLS");
            client.init(null, new javax.net.ssl.TrustManager[]{trust}, null);
            try (SSLSocket s = (SSLSocket) client.getSocketFactory().createSocket("127.0.0.1", listen.getLocalPort())) {
                s.startHandshake();
                return true;
            }
        }
    }
}
