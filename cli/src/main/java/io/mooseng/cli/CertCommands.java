package io.mooseng.cli;

import io.mooseng.core.security.CertificateAuthority;
import io.mooseng.core.security.ClusterTls;
import io.mooseng.core.security.PemFiles;
import io.mooseng.core.security.Role;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

/**
 * {@code mooseng admin ca} and {@code mooseng admin cert}: the cluster's certificate authority
 * and the certificates of its processes (each names the process's role; callees decide by it).
 */
final class CertCommands {
    private CertCommands() {
    }

    @Command(name = "ca", mixinStandardHelpOptions = true, description = "The cluster's certificate authority.",
            subcommands = {CaInit.class})
    static final class Ca {
    }

    @Command(name = "cert", mixinStandardHelpOptions = true, description = "Certificates of the cluster's processes.",
            subcommands = {Issue.class, Bootstrap.class, Show.class})
    static final class Cert {
    }

    @Command(name = "init", mixinStandardHelpOptions = true,
            description = "Create a certificate authority in DIR (ca.pem, ca.key mode 0600); keep ca.key off the cluster's machines.")
    static final class CaInit implements Callable<Integer> {
        @Parameters(index = "0", paramLabel = "DIR")
        Path dir;

        @Option(names = "--name", defaultValue = "MooseNG cluster CA", description = "The CA's common name (default: ${DEFAULT-VALUE}).")
        String name;

        @Option(names = "--days", defaultValue = "3650", description = "Validity in days (default: ${DEFAULT-VALUE}).")
        int days;

        @Mixin
        OutputOption out;

        @Override
        public Integer call() throws Exception {
            X509Certificate cert = CertificateAuthority.create(dir, name, Duration.ofDays(days)).certificate();
            out.print(Map.of("dir", dir.toString(), "notAfter", cert.getNotAfter().toInstant().toString()),
                    () -> String.format("CA created in %s, valid until %s", dir, cert.getNotAfter().toInstant()));
            return 0;
        }
    }

    @Command(name = "issue", mixinStandardHelpOptions = true,
            description = "Issue a process its certificate into OUT (ca.pem, node.pem, node.key): the folder its --tls-dir names. "
                    + "Issuing again into the same folder renews it; running processes pick the new files up within a second.")
    static final class Issue implements Callable<Integer> {
        @Option(names = "--ca", required = true, paramLabel = "DIR", description = "The CA folder (from `admin ca init`).")
        Path ca;

        @Option(names = "--role", required = true, paramLabel = "ROLE",
                description = "master, metalogger, chunkserver, gateway, mount, admin, or monitor (a metrics scraper: it may read the "
                        + "processes' /metrics and call nothing).")
        String role;

        @Option(names = "--name", required = true, paramLabel = "NAME", description = "The process's name (its host name is a good one).")
        String name;

        @Option(names = "--host", paramLabel = "HOST", split = ",",
                description = "DNS names and IP addresses the process is reached at (HTTPS clients of the S3 endpoint check them).")
        List<String> hosts = List.of();

        @Option(names = "--days", defaultValue = "365", description = "Validity in days (default: ${DEFAULT-VALUE}).")
        int days;

        @Option(names = "--out", required = true, paramLabel = "DIR")
        Path out;

        @Mixin
        OutputOption output;

        @Override
        public Integer call() throws Exception {
            X509Certificate cert = CertificateAuthority.load(ca).issue(Role.parse(role), name, hosts, Duration.ofDays(days), out);
            output.print(Map.of("role", Role.parse(role).label(), "name", name, "dir", out.toString(),
                    "notAfter", cert.getNotAfter().toInstant().toString()), () -> String.format("%s certificate for %s in %s, valid until %s",
                    Role.parse(role).label(), name, out, cert.getNotAfter().toInstant()));
            return 0;
        }
    }

    @Command(name = "bootstrap", mixinStandardHelpOptions = true,
            description = "Create the CA in CA_DIR unless there is one, and issue each NAME=ROLE its certificate in OUT/NAME unless "
                    + "it has one: what a container deployment runs once before its services start (idempotent).")
    static final class Bootstrap implements Callable<Integer> {
        @Option(names = "--ca", required = true, paramLabel = "DIR")
        Path ca;

        @Option(names = "--out", required = true, paramLabel = "DIR", description = "Parent of the processes' TLS folders.")
        Path out;

        @Parameters(paramLabel = "NAME=ROLE", arity = "1..*", description = "A process (its host name) and its role.")
        List<String> processes;

        @Option(names = "--host", paramLabel = "HOST", split = ",",
                description = "DNS names and IP addresses every certificate also gets besides its NAME (e.g. 127.0.0.1 for a "
                        + "cluster on one machine, so HTTPS clients of its /metrics can check the name they reach).")
        List<String> hosts = List.of();

        @Mixin
        OutputOption output;

        @Override
        public Integer call() throws Exception {
            List<Map<String, String>> issued = new java.util.ArrayList<>();
            CertificateAuthority authority = java.nio.file.Files.exists(ca.resolve(CertificateAuthority.CA_KEY))
                    ? CertificateAuthority.load(ca) : CertificateAuthority.create(ca, "MooseNG cluster CA", CertificateAuthority.CA_VALIDITY);
            for (String p : processes) {
                int eq = p.indexOf('=');
                if (eq <= 0) {
                    throw new IllegalArgumentException("expected NAME=ROLE: " + p);
                }
                String name = p.substring(0, eq);
                Path dir = out.resolve(name);
                if (!ClusterTls.present(dir)) {
                    authority.issue(Role.parse(p.substring(eq + 1)), name, hosts, CertificateAuthority.NODE_VALIDITY, dir);
                    issued.add(Map.of("name", name, "role", p.substring(eq + 1), "dir", dir.toString()));
                }
            }
            output.print(issued, () -> issued.isEmpty() ? "every process named has its certificate already" : String.join("\n", issued.stream()
                    .map(i -> "issued " + i.get("name") + " a " + i.get("role") + " certificate in " + i.get("dir")).toList()));
            return 0;
        }
    }

    @Command(name = "show", mixinStandardHelpOptions = true, description = "Show the certificate in a TLS folder and check it loads.")
    static final class Show implements Callable<Integer> {
        @Parameters(index = "0", paramLabel = "DIR")
        Path dir;

        @Mixin
        OutputOption out;

        @Override
        public Integer call() throws Exception {
            ClusterTls tls = ClusterTls.load(dir);
            X509Certificate cert = PemFiles.certificates(dir.resolve(ClusterTls.NODE_CERT)).get(0);
            List<String> names = cert.getSubjectAlternativeNames() == null ? List.of()
                    : cert.getSubjectAlternativeNames().stream().map(n -> String.valueOf(n.get(1))).toList();
            Map<String, Object> doc = new java.util.LinkedHashMap<>();
            doc.put("subject", cert.getSubjectX500Principal().getName());
            doc.put("role", tls.role().label());
            doc.put("issuer", cert.getIssuerX500Principal().getName());
            doc.put("notBefore", cert.getNotBefore().toInstant().toString());
            doc.put("notAfter", cert.getNotAfter().toInstant().toString());
            doc.put("names", names);
            out.print(doc, () -> String.format("subject: %s%nrole: %s%nissuer: %s%nvalid: %s .. %s%nnames: %s", cert.getSubjectX500Principal(),
                    tls.role().label(), cert.getIssuerX500Principal(), cert.getNotBefore().toInstant(), cert.getNotAfter().toInstant(),
                    names));
            return 0;
        }
    }
}
