package io.mooseng.core.security;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class TlsModeTest {
    @Test
    void autoIsPlainOnLoopbackAndRefusesAnotherNetworkWithoutACertificate(@TempDir Path dir) throws Exception {
        Path none = dir.resolve("tls");
        assertNull(TlsMode.AUTO.resolve(none, List.of("127.0.0.1:9419", "localhost:9000", "[::1]:1")));
        IOException e = assertThrows(IOException.class, () -> TlsMode.AUTO.resolve(none, List.of("127.0.0.1:9419", "10.77.0.1:9419")));
        assertTrue(e.getMessage().contains("10.77.0.1:9419") && e.getMessage().contains("admin cert issue"), e.getMessage());
        assertNull(TlsMode.OFF.resolve(none, List.of("10.77.0.1:9419")));
        assertThrows(IOException.class, () -> TlsMode.ON.resolve(none, List.of("127.0.0.1:1")));
    }

    @Test
    void autoUsesACertificateWhereverOneIs(@TempDir Path dir) throws Exception {
        CertificateAuthority.create(dir.resolve("ca"), "t", Duration.ofDays(1)).issue(Role.MASTER, "m1", List.of(), Duration.ofDays(1), dir.resolve("tls"));
        ClusterTls tls = TlsMode.AUTO.resolve(dir.resolve("tls"), List.of("127.0.0.1:9419"));
        assertNotNull(tls);
        assertEquals(Role.MASTER, tls.role());
        assertEquals(TlsMode.ON, TlsMode.parse("On"));
        assertThrows(IllegalArgumentException.class, () -> TlsMode.parse("maybe"));
    }

    @Test
    void loopbackNames() {
        assertTrue(TlsMode.loopback("127.0.0.1"));
        assertTrue(TlsMode.loopback("127.0.0.2:5"));
        assertFalse(TlsMode.loopback("0.0.0.0:9000"));
        assertFalse(TlsMode.loopback("no-such-host.invalid:1"));
    }
}
