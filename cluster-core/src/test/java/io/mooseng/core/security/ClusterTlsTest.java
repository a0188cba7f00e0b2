package io.mooseng.core.security;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.net.ssl.SSLHandshakeException;
import javax.net.ssl.SSLServerSocket;
import javax.net.ssl.SSLSocket;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Certificates issued by the CA, handshakes over real sockets, roles, reload. */
class ClusterTlsTest {
    @TempDir
    static Path dir;
    static CertificateAuthority ca;

    @BeforeAll
    static void createCa() throws IOException {
        ca = CertificateAuthority.create(dir.resolve("ca"), "test", CertificateAuthority.CA_VALIDITY);
    }

    @Test
    void issuedCertificateNamesItsRoleAndHosts() throws Exception {
        X509Certificate cert = ca.issue(Role.GATEWAY, "gw1", List.of("s3.example.com", "10.0.0.7"), Duration.ofDays(1), dir.resolve("gw1"));
        assertEquals(Role.GATEWAY, Role.of(cert));
        String names = cert.getSubjectAlternativeNames().toString();
        assertTrue(names.contains("s3.example.com") && names.contains("10.0.0.7") && names.contains("gw1"), names);
        assertEquals("rw-------", java.nio.file.attribute.PosixFilePermissions.toString(Files.getPosixFilePermissions(dir.resolve("gw1/node.key"))));
        assertEquals(Role.GATEWAY, ClusterTls.load(dir.resolve("gw1")).role());
        assertThrows(IOException.class, () -> CertificateAuthority.create(dir.resolve("ca"), "again", Duration.ofDays(1)));
    }

    @Test
    void mutualHandshakeGivesEachSideThePeersRole() throws Exception {
        ca.issue(Role.MASTER, "m1", List.of("127.0.0.1"), Duration.ofDays(1), dir.resolve("m1"));
        ca.issue(Role.MOUNT, "mnt", List.of(), Duration.ofDays(1), dir.resolve("mnt"));
        assertEquals(Role.MOUNT, handshake(ClusterTls.load(dir.resolve("m1")), ClusterTls.load(dir.resolve("mnt"))));
    }

    @Test
    void aCertificateFromAnotherCaIsRefused() throws Exception {
        CertificateAuthority other = CertificateAuthority.create(dir.resolve("other-ca"), "other", Duration.ofDays(1));
        other.issue(Role.MASTER, "intruder", List.of(), Duration.ofDays(1), dir.resolve("intruder"));
        ca.issue(Role.MASTER, "m2", List.of(), Duration.ofDays(1), dir.resolve("m2"));
        assertThrows(IOException.class, () -> handshake(ClusterTls.load(dir.resolve("m2")), ClusterTls.load(dir.resolve("intruder"))));
    }

    @Test
    void aRenewedCertificateIsUsedWithoutARestart() throws Exception {
        ca.issue(Role.CHUNKSERVER, "cs1", List.of(), Duration.ofDays(1), dir.resolve("cs1"));
        ClusterTls server = ClusterTls.load(dir.resolve("cs1"));
        ca.issue(Role.GATEWAY, "client", List.of(), Duration.ofDays(1), dir.resolve("client"));
        ClusterTls client = ClusterTls.load(dir.resolve("client"));
        assertEquals(Role.GATEWAY, handshake(server, client));
        ca.issue(Role.ADMIN, "client", List.of(), Duration.ofDays(1), dir.resolve("client"));
        Files.setLastModifiedTime(dir.resolve("client/node.pem"), FileTime.fromMillis(System.currentTimeMillis() + 5_000));
        Thread.sleep(1_100);
        assertEquals(Role.ADMIN, handshake(server, client));
        assertEquals(Role.ADMIN, client.role());
    }

    @Test
    void aFolderWithoutItsFilesSaysWhatIsMissing() {
        IOException e = assertThrows(IOException.class, () -> ClusterTls.load(dir.resolve("nothing")));
        assertTrue(e.getMessage().contains("node.pem") || e.getMessage().contains("ca.pem"), e.getMessage());
        assertFalse(ClusterTls.present(dir.resolve("nothing")));
    }

    /** Server accepts one connection; returns the client's role as the server saw it. */
    private static Role handshake(ClusterTls server, ClusterTls client) throws Exception {
        try (SSLServerSocket listen = (SSLServerSocket) server.context().getServerSocketFactory().createServerSocket(0)) {
            listen.setSSLParameters(server.engine(false).getSSLParameters());
            CompletableFuture<Role> seen = CompletableFuture.supplyAsync(() -> {
                try (SSLSocket s = (SSLSocket) listen.accept()) {
                    s.startHandshake();
                    Role r = ClusterTls.requirePeer(s.getSession(), Set.of(Role.values()));
                    s.getOutputStream().write(1);
                    return r;
                } catch (IOException e) {
                    throw new java.util.concurrent.CompletionException(e);
                }
            });
            try (SSLSocket s = (SSLSocket) client.context().getSocketFactory().createSocket("127.0.0.1", listen.getLocalPort())) {
                s.setSSLParameters(client.engine(true).getSSLParameters());
                s.startHandshake();
                assertEquals(server.role(), ClusterTls.peerRole(s.getSession()));
                if (s.getInputStream().read() != 1) {
                    throw new SSLHandshakeException("closed");
                }
            } catch (IOException e) {
                seen.handle((r, t) -> null).get(5, TimeUnit.SECONDS);
                throw e;
            }
            return seen.get(5, TimeUnit.SECONDS);
        }
    }
}
