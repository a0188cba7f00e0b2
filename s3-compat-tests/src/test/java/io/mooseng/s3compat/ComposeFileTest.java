package io.mooseng.s3compat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import io.mooseng.cli.Main;
import io.mooseng.core.security.Role;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import picocli.CommandLine.ParseResult;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * docker/compose.yml checked without a Docker engine: {@code docker-compose config} (Debian's
 * docker-compose, installed by scripts/install-deps.sh test) validates it; it holds the demo
 * topology; every MooseNG command in it parses with the CLI's own option definitions, names the
 * masters consistently and keeps its data on a named volume; health checks and Prometheus look
 * where the processes serve, over HTTPS with certificates of the cluster's CA where the processes run TLS.
 */
class ComposeFileTest {
    private static final Path ROOT = RepoRoot.find();
    private static final Path COMPOSE = ROOT.resolve("docker/compose.yml");
    private static final Path MULTISITE = ROOT.resolve("docker/compose-multisite.yml");
    private static final Set<String> PUBLISHED = Set.of("gw1", "gw2", "prometheus", "grafana");
    /** Where Prometheus finds its monitor certificate. */
    private static final String PROMETHEUS_TLS = "/etc/prometheus/tls";

    /** The resolved file ({@code config}'s output), and each MooseNG service's parsed command by service name. */
    private static JsonNode config;
    private static final Map<String, ParseResult> COMMANDS = new TreeMap<>();

    @BeforeAll
    static void resolve() throws Exception {
        config = resolved(COMPOSE, COMMANDS);
    }

    /** The file as {@code config} resolves it; each MooseNG service's parsed command put in {@code commands}. */
    private static JsonNode resolved(Path file, Map<String, ParseResult> commands) throws Exception {
        Compose c = compose(file, S3Keys.random());
        assertEquals(0, c.status(), "docker-compose config failed:\n" + c.output());
        JsonNode resolved = new YAMLMapper().readTree(c.output());
        resolved.get("services").properties().forEach(s -> {
            if (s.getValue().has("build")) {
                List<String> args = new ArrayList<>();
                s.getValue().get("command").forEach(a -> args.add(a.asText()));
                // what `mooseng ARGS` would parse: an option the role does not define, a missing required one or a bad value fails here
                ParseResult parsed = Main.commandLine().parseArgs(args.toArray(String[]::new));
                while (parsed.hasSubcommand()) {
                    parsed = parsed.subcommand();
                }
                commands.put(s.getKey(), parsed);
            }
        });
        return resolved;
    }

    @Test
    void holdsTheDemoTopology() {
        Set<String> services = new TreeSet<>();
        config.get("services").fieldNames().forEachRemaining(services::add);
        assertEquals(new TreeSet<>(List.of("certs", "m1", "m2", "m3", "cs1", "cs2", "cs3", "cs4", "cs5", "cs6", "gw1", "gw2", "ml1",
                "mount", "prometheus-tls", "prometheus", "grafana")), services);
        Map<String, String> roles = new TreeMap<>();
        COMMANDS.forEach((name, cmd) -> roles.put(name, cmd.commandSpec().name()));
        assertEquals(Map.ofEntries(Map.entry("certs", "bootstrap"), Map.entry("m1", "master"), Map.entry("m2", "master"), Map.entry("m3", "master"),
                Map.entry("cs1", "chunkserver"), Map.entry("cs2", "chunkserver"), Map.entry("cs3", "chunkserver"),
                Map.entry("cs4", "chunkserver"), Map.entry("cs5", "chunkserver"), Map.entry("cs6", "chunkserver"),
                Map.entry("gw1", "gateway"), Map.entry("gw2", "gateway"), Map.entry("ml1", "metalogger"),
                Map.entry("mount", "mount")), roles);
        // zones round-robin with a rack each, as scripts/demo.sh labels them
        Map<String, String> labels = new TreeMap<>();
        COMMANDS.forEach((name, cmd) -> {
            if (cmd.hasMatchedOption("--labels")) {
                labels.put(name, cmd.matchedOptionValue("--labels", ""));
            }
        });
        assertEquals(Map.of("cs1", "zone=z1,rack=z1-r1", "cs2", "zone=z2,rack=z2-r1", "cs3", "zone=z3,rack=z3-r1",
                "cs4", "zone=z1,rack=z1-r2", "cs5", "zone=z2,rack=z2-r2", "cs6", "zone=z3,rack=z3-r2"), labels);
    }

    @Test
    void everyProcessFindsTheMastersByServiceName() {
        Map<String, String> raft = new LinkedHashMap<>();
        COMMANDS.forEach((name, cmd) -> {
            if (cmd.commandSpec().name().equals("master")) {
                raft.put(cmd.matchedOptionValue("--id", ""), cmd.matchedOptionValue("--raft-address", ""));
            }
        });
        String peers = String.join(",", raft.entrySet().stream().map(e -> e.getKey() + "=" + e.getValue()).toList());
        String masters = String.join(",", raft.values());
        COMMANDS.forEach((name, cmd) -> {
            if (cmd.commandSpec().name().equals("bootstrap")) {
                return;
            }
            if (cmd.commandSpec().name().equals("master")) {
                assertEquals(peers, cmd.matchedOptionValue("--peers", ""), name);
            } else {
                assertEquals(masters, cmd.matchedOptionValue("--masters", ""), name);
            }
            // other containers reach a process at its service's name
            for (String address : List.of("--raft-address", "--address")) {
                if (cmd.hasMatchedOption(address)) {
                    assertTrue(cmd.matchedOptionValue(address, "").startsWith(name + ":"), name + " " + address);
                }
            }
        });
    }

    @Test
    void everyProcessHasACertificateOfItsRole() {
        assertCertificatesOfTheirRoles(COMMANDS);
    }

    /** The certs service issues each process, in the folder its --tls-dir names, a certificate of the role it runs as. */
    private static void assertCertificatesOfTheirRoles(Map<String, ParseResult> commands) {
        ParseResult certs = commands.get("certs");
        String out = certs.matchedOptionValue("--out", java.nio.file.Path.of("")).toString();
        Map<String, String> issued = new TreeMap<>();
        for (String p : certs.matchedPositionalValue(0, List.<String>of())) {
            issued.put(p.substring(0, p.indexOf('=')), p.substring(p.indexOf('=') + 1));
        }
        Map<String, String> roles = Map.of("master", "master", "server", "master", "chunkserver", "chunkserver",
                "gateway", "gateway", "metalogger", "metalogger", "mount", "mount", "create", "admin");
        commands.forEach((name, cmd) -> {
            if (name.equals("certs")) {
                return;
            }
            String dir = cmd.matchedOptionValue("--tls-dir", java.nio.file.Path.of("")).toString();
            assertTrue(dir.startsWith(out + "/"), name + " --tls-dir " + dir);
            String holder = dir.substring(out.length() + 1);
            assertEquals(roles.get(cmd.commandSpec().name()), issued.get(holder), name + " uses the certificate of " + holder);
        });
    }

    @Test
    void everyDataFolderIsANamedVolume() {
        COMMANDS.forEach((name, cmd) -> {
            if (List.of("master", "chunkserver", "metalogger").contains(cmd.commandSpec().name())) {
                String data = cmd.matchedOptionValue("--data", Path.of("")).toString();
                Set<String> volumes = new HashSet<>();
                service(name).get("volumes").forEach(v -> volumes.add(volumeTarget(v)));
                assertTrue(volumes.contains(data), name + " keeps " + data + " on no volume: " + volumes);
            }
        });
        Set<String> declared = new TreeSet<>();
        config.get("volumes").fieldNames().forEachRemaining(declared::add);
        assertTrue(declared.containsAll(List.of("m1", "m2", "m3", "cs1", "cs2", "cs3", "cs4", "cs5", "cs6", "ml1")), declared.toString());
    }

    /**
     * Gateways serve /metrics on their S3 port (plain HTTP here); the other processes on --metrics-address, which
     * is HTTPS wanting a client certificate since they run TLS: their health checks present the process's own
     * certificate and reach it at its hostname, the service name its certificate holds; Prometheus scrapes those
     * over HTTPS with the files of {@link #prometheusScrapesWithAMonitorCertificate}.
     */
    @Test
    void healthChecksAndPrometheusLookWhereTheProcessesServe() throws IOException {
        Set<String> targets = new TreeSet<>();
        Set<String> https = new TreeSet<>();
        COMMANDS.forEach((name, cmd) -> {
            String served = cmd.hasMatchedOption("--metrics-address") ? cmd.matchedOptionValue("--metrics-address", "")
                    : cmd.commandSpec().name().equals("gateway") ? cmd.matchedOptionValue("--s3-address", "") : null;
            if (served != null) {
                String port = served.substring(served.lastIndexOf(':') + 1);
                targets.add(name + ":" + port);
                // as the container's shell sees it ($$ escapes $ in compose files)
                String check = service(name).get("healthcheck").get("test").toString().replace("$$", "$");
                if (cmd.hasMatchedOption("--metrics-address")) {
                    https.add(name + ":" + port);
                    assertEquals(name, service(name).path("hostname").asText(), name + "'s hostname");
                    assertEquals("/etc/mooseng/tls/" + name, cmd.matchedOptionValue("--tls-dir", Path.of("")).toString(), name);
                    assertTrue(check.contains("/etc/mooseng/tls/$(hostname)") && check.contains("--cert ") && check.contains("--key ")
                            && check.contains("https://$(hostname):" + port + "/metrics"), name + " health check " + check);
                } else {
                    assertTrue(check.contains("http://127.0.0.1:" + port + "/"), name + " health check " + check);
                }
            }
        });
        assertEquals(13, targets.size(), "every master, chunkserver, gateway, the metalogger and the mount serve /metrics: " + targets);
        Set<String> scraped = new TreeSet<>();
        Set<String> scrapedOverTls = new TreeSet<>();
        new YAMLMapper().readTree(ROOT.resolve("docker/prometheus.yml").toFile()).get("scrape_configs").forEach(job -> {
            boolean tls = job.path("scheme").asText("http").equals("https");
            if (tls) {
                assertEquals(Map.of("ca_file", PROMETHEUS_TLS + "/ca.pem", "cert_file", PROMETHEUS_TLS + "/node.pem",
                        "key_file", PROMETHEUS_TLS + "/node.key"), new YAMLMapper().convertValue(job.get("tls_config"), Map.class), job.toString());
            }
            job.get("static_configs").forEach(s -> s.get("targets").forEach(t -> (tls ? scrapedOverTls : scraped).add(t.asText())));
        });
        assertEquals(https, scrapedOverTls);
        scraped.addAll(scrapedOverTls);
        assertEquals(targets, scraped);
    }

    /**
     * The certs service issues {@code prometheus} a monitor's certificate; {@code prometheus-tls} copies its three
     * files into the volume Prometheus mounts at {@link #PROMETHEUS_TLS} (owned by Prometheus's user: keys are 0600).
     */
    @Test
    void prometheusScrapesWithAMonitorCertificate() {
        ParseResult certs = COMMANDS.get("certs");
        String out = certs.matchedOptionValue("--out", Path.of("")).toString();
        assertTrue(certs.matchedPositionalValue(0, List.<String>of()).contains("prometheus=" + Role.MONITOR.label()), certs.originalArgs().toString());
        JsonNode copier = service("prometheus-tls");
        String copy = copier.get("command").toString();
        for (String file : List.of("ca.pem", "node.pem", "node.key")) {
            assertTrue(copy.contains(out + "/prometheus/" + file), copy);
        }
        assertTrue(copy.contains(PROMETHEUS_TLS + "/") && copy.contains("chown nobody:nobody"), copy);
        String volume = null;
        for (JsonNode v : copier.get("volumes")) {
            if (volumeTarget(v).equals(PROMETHEUS_TLS)) {
                volume = volumeSource(v);
            }
        }
        Set<String> mounted = new HashSet<>();
        service("prometheus").get("volumes").forEach(v -> mounted.add(volumeSource(v) + ":" + volumeTarget(v)));
        assertTrue(volume != null && mounted.contains(volume + ":" + PROMETHEUS_TLS), mounted.toString());
        assertEquals("service_completed_successfully", service("prometheus").get("depends_on").get("prometheus-tls").get("condition").asText());
    }

    @Test
    void onlyTheS3EndpointsPrometheusAndGrafanaArePublished() {
        Set<String> published = new TreeSet<>();
        config.get("services").properties().forEach(s -> {
            if (s.getValue().has("ports")) {
                published.add(s.getKey());
            }
        });
        assertEquals(new TreeSet<>(PUBLISHED), published);
    }

    @Test
    void refusesToStartWithoutTheKeyPair() throws Exception {
        for (Path file : List.of(COMPOSE, MULTISITE)) {
            Compose c = compose(file, null);
            assertNotEquals(0, c.status(), c.output());
            assertTrue(c.output().contains("set MOOSENG_ACCESS_KEY and MOOSENG_SECRET_KEY"), c.output());
        }
    }

    @Test
    void theMultisiteFileMakesItsThreeZonesOneZonegroup() throws Exception {
        Map<String, ParseResult> commands = new TreeMap<>();
        JsonNode multisite = resolved(MULTISITE, commands);
        Map<String, String> roles = new TreeMap<>();
        commands.forEach((name, cmd) -> roles.put(name, cmd.commandSpec().name()));
        assertEquals(Map.of("certs", "bootstrap", "zone1", "server", "zone2", "server", "zone3", "server", "zonegroup", "create"), roles);
        assertCertificatesOfTheirRoles(commands);
        ParseResult group = commands.get("zonegroup");
        List<String> zones = new ArrayList<>();
        for (String zone : List.of("zone1", "zone2", "zone3")) {
            ParseResult server = commands.get(zone);
            assertEquals(zone + ":9419", server.matchedOptionValue("--raft-address", ""), zone);
            String s3 = server.matchedOptionValue("--s3-address", "");
            zones.add(zone + "=http://" + zone + ":" + s3.substring(s3.lastIndexOf(':') + 1));
            assertTrue(multisite.get("volumes").has(zone), zone + " keeps its data on a named volume");
        }
        // zones reach each other at their service names, and the group is made in zone 1 about itself
        assertEquals(zones, group.matchedOptionValue("--zone", List.<String>of()));
        assertEquals("zone1:9419", group.matchedOptionValue("--masters", ""));
        assertEquals("zone1", group.matchedOptionValue("--local", ""));
    }

    private static JsonNode service(String name) {
        return config.get("services").get(name);
    }

    /** A volume's path in the container, from compose v1's short form (SOURCE:TARGET:MODE) or v2's long form. */
    private static String volumeTarget(JsonNode v) {
        return v.isTextual() ? v.asText().split(":")[1] : v.get("target").asText();
    }

    /** A volume's name (or host path), as {@link #volumeTarget}. */
    private static String volumeSource(JsonNode v) {
        return v.isTextual() ? v.asText().split(":")[0] : v.get("source").asText();
    }

    private record Compose(int status, String output) {
    }

    /** {@code docker-compose -f FILE config}, with the S3 key pair in the environment or none. */
    private static Compose compose(Path file, S3Keys keys) throws IOException, InterruptedException {
        ProcessBuilder pb = new ProcessBuilder("docker-compose", "-f", file.toString(), "config").redirectErrorStream(true);
        // the file's settings only, not whatever this machine's environment sets
        pb.environment().keySet().removeIf(k -> k.startsWith("MOOSENG_"));
        if (keys != null) {
            pb.environment().put("MOOSENG_ACCESS_KEY", keys.accessKey());
            pb.environment().put("MOOSENG_SECRET_KEY", keys.secretKey());
        }
        Process p = pb.start();
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(60, TimeUnit.SECONDS), "docker-compose config did not finish");
        return new Compose(p.exitValue(), output);
    }
}
