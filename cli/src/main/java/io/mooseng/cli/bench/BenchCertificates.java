package io.mooseng.cli.bench;

import io.mooseng.core.security.CertificateAuthority;
import io.mooseng.core.security.ClusterTls;
import io.mooseng.core.security.Role;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * A throwaway cluster CA in a temporary folder and one certificate per role, for benchmarks of
 * an in-process cluster with mutual TLS; the folder is deleted on close.
 */
final class BenchCertificates implements AutoCloseable {
    private final Path dir;
    private final Map<Role, ClusterTls> identities = new EnumMap<>(Role.class);

    private BenchCertificates(Path dir) {
        this.dir = dir;
    }

    static BenchCertificates issue(Role... roles) throws IOException {
        BenchCertificates certs = new BenchCertificates(Files.createTempDirectory("mooseng-bench-tls"));
        try {
            CertificateAuthority ca = CertificateAuthority.create(certs.dir.resolve("ca"), "bench", Duration.ofDays(1));
            for (Role role : roles) {
                Path folder = certs.dir.resolve(role.label());
                ca.issue(role, role.label(), List.of("127.0.0.1"), Duration.ofDays(1), folder);
                certs.identities.put(role, ClusterTls.load(folder));
            }
            return certs;
        } catch (IOException | RuntimeException e) {
            certs.close();
            throw e;
        }
    }

    /** The certificate of a role issued here; null for the others. */
    ClusterTls of(Role role) {
        return identities.get(role);
    }

    @Override
    public void close() throws IOException {
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }
}
