package io.mooseng.s3compat;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Every process that serves {@code /metrics} — a {@code mooseng server} (a master, six
 * chunkservers and a gateway in one), a separate master, a chunkserver, a metalogger and a FUSE mount of
 * its own — is scraped after some S3 and file traffic; every dashboard must query only metrics they export, and
 * every exported name must follow the naming scheme.
 */
@Timeout(value = 90, unit = TimeUnit.SECONDS)
class MetricsDashboardsTest {
    private static final Duration READY = Duration.ofSeconds(60);
    /** Process name to its families (name to type). */
    private static final Map<String, Map<String, String>> EXPORTED = new HashMap<>();

    @TempDir
    static Path dir;

    @BeforeAll
    static void scrapeEveryProcess() throws Exception {
        int base = TestPorts.freeRange(7);
        String raft = "127.0.0.1:" + base;
        Path mountPoint = Files.createDirectories(dir.resolve("mnt"));
        try (NodeProcess master = NodeProcess.start(dir.resolve("master.log"), base + 1, "master", "--id", "m1",
                     "--data", dir.resolve("m1").toString(), "--raft-address", raft, "--peers", "m1=" + raft);
             NodeProcess chunkserver = NodeProcess.start(dir.resolve("chunkserver.log"), base + 3, "chunkserver",
                     "--masters", raft, "--id", "cs1", "--data", dir.resolve("cs1").toString(), "--address", "127.0.0.1:" + (base + 2));
             NodeProcess mount = NodeProcess.start(dir.resolve("mount.log"), base + 4, "mount", "--masters", raft, mountPoint.toString());
             ServerProcess server = ServerProcess.Spec.jvm(dir.resolve("server"), S3Keys.random(), "-XX:+UseSerialGC").start()) {
            s3Traffic(server);
            EXPORTED.put("server", PrometheusText.families(server.endpoint().resolve("/metrics")));
            EXPORTED.put("master", PrometheusText.families(master.awaitMetrics(READY)));
            EXPORTED.put("chunkserver", PrometheusText.families(chunkserver.awaitMetrics(READY)));
            // a metalogger joins a running group: started once the master answers
            try (NodeProcess metalogger = NodeProcess.start(dir.resolve("metalogger.log"), base + 6, "metalogger", "--masters", raft,
                    "--id", "ml1", "--data", dir.resolve("ml1").toString(), "--raft-address", "127.0.0.1:" + (base + 5))) {
                EXPORTED.put("metalogger", PrometheusText.families(metalogger.awaitMetrics(READY)));
            }
            URI mountMetrics = mount.awaitMetrics(READY);
            fileTraffic(mountPoint);
            EXPORTED.put("mount", PrometheusText.families(mountMetrics));
        } finally {
            // the mount unmounts on SIGTERM; lazily here too, should it have been killed
            new ProcessBuilder("fusermount3", "-u", "-z", mountPoint.toString()).redirectErrorStream(true).start().waitFor();
        }
    }

    /** A bucket, a file written and a name looked up in vain: the mount's meters appear with their first request and failure. */
    private static void fileTraffic(Path mountPoint) throws Exception {
        Path bucket = Files.createDirectory(mountPoint.resolve("metrics"));
        Files.writeString(bucket.resolve("f"), "value");
        assertEquals("value", Files.readString(bucket.resolve("f")));
        assertFalse(Files.exists(bucket.resolve("missing")));
    }

    /** A PUT, a GET and an error: the S3 meters appear with their first request. */
    private static void s3Traffic(ServerProcess server) {
        try (S3Client s3 = S3Clients.sync(server.endpoint(), server.keys())) {
            s3.createBucket(b -> b.bucket("metrics"));
            s3.putObject(b -> b.bucket("metrics").key("k"), RequestBody.fromString("value"));
            assertEquals("value", s3.getObjectAsBytes(b -> b.bucket("metrics").key("k")).asUtf8String());
            assertThrows(NoSuchKeyException.class, () -> s3.getObject(b -> b.bucket("metrics").key("missing")));
        }
    }

    @Test
    void dashboardsQueryOnlyExportedMetrics() throws Exception {
        Map<String, String> all = new HashMap<>();
        EXPORTED.values().forEach(all::putAll);
        List<GrafanaDashboards.Query> queries = GrafanaDashboards.queries();
        assertFalse(queries.isEmpty(), "no queries in " + GrafanaDashboards.DIR);
        List<String> missing = new ArrayList<>();
        for (GrafanaDashboards.Query q : queries) {
            for (String name : PromQlMetricNames.of(q.expr())) {
                if (!exported(all, name)) {
                    missing.add(q.dashboard() + ": " + name + " in " + q.expr());
                }
            }
        }
        assertTrue(missing.isEmpty(), "dashboards query metrics no process exports:\n" + String.join("\n", missing));
    }

    /** A family, or a histogram's (or summary's) series of one. */
    private static boolean exported(Map<String, String> families, String name) {
        if (families.containsKey(name)) {
            return true;
        }
        String base = name.replaceFirst("_(bucket|sum|count)$", "");
        String type = families.get(base);
        return "histogram".equals(type) || ("summary".equals(type) && !name.endsWith("_bucket"));
    }

    @Test
    void dashboardsUseTheProvisionedDataSource() throws Exception {
        for (JsonNode d : GrafanaDashboards.all()) {
            d.findValues("datasource").forEach(ds -> assertEquals("mooseng-prometheus", ds.path("uid").asText(), d.path("title").asText()));
            assertTrue(d.path("schemaVersion").asInt() >= 41, "schemaVersion of Grafana 12: " + d.path("title").asText());
        }
    }

    @Test
    void theMasterExportsTheMountsItKnows() {
        assertEquals("gauge", EXPORTED.get("master").get("mooseng_mounts"), () -> EXPORTED.get("master").keySet().toString());
    }

    @Test
    void everyExportedNameFollowsTheScheme() {
        List<String> broken = new ArrayList<>();
        EXPORTED.forEach((process, families) -> families.forEach((name, type) -> {
            String why = MetricNameScheme.violation(name, type);
            if (why != null) {
                broken.add(process + ": " + name + " (" + type + "): " + why);
            }
        }));
        assertTrue(broken.isEmpty(), String.join("\n", broken));
    }
}
