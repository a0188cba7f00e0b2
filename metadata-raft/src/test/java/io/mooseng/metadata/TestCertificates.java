package io.mooseng.metadata;

import io.mooseng.core.security.CertificateAuthority;
import io.mooseng.core.security.ClusterTls;
import io.mooseng.core.security.Role;

import io.mooseng.metadata.raft.MetadataServerConfig;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.util.List;
import java.util.function.UnaryOperator;

/** A cluster CA in a test folder; each process's certificate in a folder of its name beside it. */
public final class TestCertificates {
    private static final Duration VALIDITY = Duration.ofDays(1);

    private final Path dir;
    private final CertificateAuthority ca;

    private TestCertificates(Path dir, CertificateAuthority ca) {
        this.dir = dir;
        this.ca = ca;
    }

    public static TestCertificates create(Path dir) throws IOException {
        return new TestCertificates(dir, CertificateAuthority.create(dir.resolve("ca"), "test", CertificateAuthority.CA_VALIDITY));
    }

    /** Issues a certificate naming {@code role} into the folder of {@code name} and loads it. */
    public ClusterTls issue(Role role, String name) throws IOException {
        return issue(role, name, VALIDITY);
    }

    /** As {@link #issue(Role, String)}, valid for {@code validity} from now (to the second). */
    public ClusterTls issue(Role role, String name, Duration validity) throws IOException {
        ca.issue(role, name, List.of("127.0.0.1"), validity, folder(name));
        return ClusterTls.load(folder(name));
    }

    /**
     * Gives every member a {@link TestCluster} starts a master's certificate of its own (named
     * by its id), unless the test gave it an identity (a metalogger's).
     */
    public UnaryOperator<MetadataServerConfig> forMasters() {
        return config -> {
            if (config.tls() != null) {
                return config;
            }
            try {
                return config.withTls(issue(Role.MASTER, config.self().id()));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        };
    }

    /**
     * Re-issues {@code name}'s certificate in place, as an operator renewing it would; its
     * files are dated ahead so that the loaded identity sees them changed within the second.
     */
    public void renew(Role role, String name) throws IOException {
        ca.issue(role, name, List.of("127.0.0.1"), VALIDITY, folder(name));
        FileTime ahead = FileTime.fromMillis(System.currentTimeMillis() + 5_000);
        for (String f : List.of(ClusterTls.NODE_CERT, ClusterTls.NODE_KEY)) {
            Files.setLastModifiedTime(folder(name).resolve(f), ahead);
        }
    }

    private Path folder(String name) {
        return dir.resolve(name.replaceAll("[^A-Za-z0-9._-]", "_"));
    }
}
