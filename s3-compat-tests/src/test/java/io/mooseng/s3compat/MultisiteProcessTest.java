package io.mooseng.s3compat;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.S3Object;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Three zones as separate processes, started by {@code scripts/multisite.sh up DIR --rtt-ms 50} as
 * the README shows (as root: each zone in its own network namespace, 50 ms apart), driven through
 * writers in every zone on overlapping keys, a partition of one zone while the others and it keep
 * writing, and a zone killed with -9 and restarted. After each, every zone must show the same
 * objects with the same bytes and the same version stamp.
 */
class MultisiteProcessTest {
    private static final Duration CONVERGE = Duration.ofSeconds(90);
    private static final String BUCKET = "shared";
    private static Path dir;
    private static Map<String, String> env;
    private static final List<S3Client> zones = new ArrayList<>();
    private static Map<String, String> addresses;

    @BeforeAll
    static void up() throws Exception {
        dir = Files.createTempDirectory("mooseng-multisite-");
        env = ProcessCluster.testEnvironment();
        env.put("MOOSENG_MULTISITE_BASE_PORT", Integer.toString(TestPorts.freeRange(40)));
        env.put("MOOSENG_JAVA_OPTS", "-Xmx384m");
        try {
            script("up", dir.toString(), "--rtt-ms", "50");
        } catch (AssertionError | Exception e) {
            script("down", dir.toString());
            throw e;
        }
        addresses = new HashMap<>();
        for (String line : script("env", dir.toString()).split("\n")) {
            int eq = line.indexOf('=');
            if (eq > 0) {
                addresses.put(line.substring(0, eq), line.substring(eq + 1).trim());
            }
        }
        S3Keys keys = new S3Keys(addresses.get("MOOSENG_ACCESS_KEY"), addresses.get("MOOSENG_SECRET_KEY"));
        // in namespaces the zones' endpoints are HTTPS, with certificates of the script's CA
        java.security.cert.X509Certificate ca = io.mooseng.core.security.PemFiles.certificates(dir.resolve("ca").resolve("ca.pem")).get(0);
        for (int z = 1; z <= 3; z++) {
            URI endpoint = URI.create(addresses.get("ZONE" + z + "_S3"));
            zones.add(endpoint.getScheme().equals("https") ? S3Clients.syncWithRetries(endpoint, keys, 10, ca)
                    : S3Clients.syncWithRetries(endpoint, keys, 10));
        }
    }

    @AfterAll
    static void down() throws Exception {
        zones.forEach(S3Client::close);
        if (dir != null) {
            script("down", dir.toString());
            TempDirs.delete(dir);
        }
    }

    @Test
    void zonesConvergeAfterConcurrentWritesAPartitionAndACrash() throws Exception {
        zones.get(0).createBucket(b -> b.bucket(BUCKET));
        awaitSameEverywhere("the bucket", () -> zones.stream().allMatch(c -> c.listBuckets().buckets().stream()
                .anyMatch(b -> b.name().equals(BUCKET))));

        // writers in every zone at once, on the same keys
        try (ExecutorService writers = Executors.newVirtualThreadPerTaskExecutor()) {
            List<Future<?>> done = new ArrayList<>();
            for (int z = 0; z < 3; z++) {
                S3Client c = zones.get(z);
                int zone = z + 1;
                done.add(writers.submit(() -> {
                    for (int round = 0; round < 2; round++) {
                        for (int k = 0; k < 40; k++) {
                            String key = "k" + k % 20;
                            String body = "zone" + zone + " round " + round + " key " + k;
                            c.putObject(b -> b.bucket(BUCKET).key(key), RequestBody.fromString(body));
                        }
                    }
                    return null;
                }));
            }
            for (Future<?> f : done) {
                f.get();
            }
        }
        Map<String, String> converged = awaitConvergence("concurrent writers");
        assertEquals(20, converged.size(), converged.toString());

        if (addresses.get("ZONE1_S3").contains("10.77.")) {
            // zone 3 cut off: the others write and delete; zone 3 keeps its own writes local
            script("cut", dir.toString(), "zone3");
            for (int k = 0; k < 10; k++) {
                int n = k;
                zones.get(0).putObject(b -> b.bucket(BUCKET).key("during-cut/" + n), RequestBody.fromString("from zone 1"));
                zones.get(1).putObject(b -> b.bucket(BUCKET).key("k" + n), RequestBody.fromString("zone2 while zone3 was away"));
            }
            zones.get(1).deleteObject(b -> b.bucket(BUCKET).key("k19"));
            Thread.sleep(3_000);
            script("heal", dir.toString(), "zone3");
            Map<String, String> healed = awaitConvergence("the partition healed");
            assertEquals(29, healed.size(), healed.toString());
        }

        // a zone killed mid-stream and started again resumes from its cursors
        script("kill", dir.toString(), "zone2");
        for (int k = 0; k < 10; k++) {
            int n = k;
            zones.get(0).putObject(b -> b.bucket(BUCKET).key("while-down/" + n), RequestBody.fromString("zone 2 was down"));
        }
        script("start", dir.toString(), "zone2");
        awaitConvergence("zone 2 restarted");
    }

    @Test
    void theSyncKeysSecretIsNowhereInTheZonesFilesAndTheAdminsStatusOpensIt() throws Exception {
        Path admin = dir.resolve("admin-tls");
        awaitSameEverywhere("the zonegroup", () -> java.util.stream.IntStream.rangeClosed(1, 3).allMatch(z -> AdminCli.execute(
                addresses.get("ZONE" + z + "_MASTERS"), "zonegroup", "show", "--tls-dir", admin.toString()).printed().contains("multisite")));
        // the zonegroup travels between zones and is in every zone's Raft log and database: it carries the key's id only
        byte[] secret = addresses.get("MOOSENG_SECRET_KEY").getBytes(StandardCharsets.US_ASCII);
        for (int z = 1; z <= 3; z++) {
            try (var files = Files.walk(dir.resolve("zone" + z))) {
                for (Path f : files.filter(Files::isRegularFile).toList()) {
                    try {
                        assertEquals(-1, TestData.indexOf(Files.readAllBytes(f), secret), "the sync key's secret in clear in " + f);
                    } catch (java.nio.file.NoSuchFileException e) {
                        // compacted away meanwhile
                    }
                }
            }
        }
        // the admin's folder holds the cluster key (`admin cert issue --role admin`), which opens the key's sealed secret
        String peerCa = dir.resolve("ca").resolve("ca.pem").toString();
        awaitSameEverywhere("sync status with every peer answering", () -> AdminCli.execute(addresses.get("ZONE3_MASTERS"),
                "sync", "status", "--tls-dir", admin.toString(), "--peer-ca", peerCa).status() == 0);
        Path keyless = Files.createDirectories(dir.resolve("admin-without-cluster-key"));
        for (String f : List.of("ca.pem", "node.pem", "node.key")) {
            Files.copy(admin.resolve(f), keyless.resolve(f), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        }
        AdminCli.Outcome without = AdminCli.execute(addresses.get("ZONE3_MASTERS"), "sync", "status", "--json", "--tls-dir", keyless.toString(),
                "--peer-ca", peerCa);
        assertEquals(2, without.status(), without.printed());
        assertTrue(without.printed().contains("cluster key"), "says the cluster key is missing: " + without.printed());
    }

    /** Waits until every zone lists the same keys with the same ETags and version stamps; @return key -> stamp. */
    private static Map<String, String> awaitConvergence(String after) throws Exception {
        long deadline = System.nanoTime() + CONVERGE.toNanos();
        List<Map<String, String>> last = List.of();
        while (System.nanoTime() < deadline) {
            try {
                List<Map<String, String>> views = new ArrayList<>();
                for (S3Client c : zones) {
                    views.add(view(c));
                }
                if (views.stream().distinct().count() == 1) {
                    return views.get(0);
                }
                last = views;
            } catch (RuntimeException e) {
                // a zone restarting: ask again
            }
            Thread.sleep(250);
        }
        fail("zones did not converge within " + CONVERGE.toSeconds() + " s after " + after + ": " + last);
        return Map.of();
    }

    /** A zone's objects: key -> ETag, version stamp and bytes. */
    private static Map<String, String> view(S3Client c) {
        Map<String, String> out = new TreeMap<>();
        for (S3Object o : c.listObjectsV2Paginator(b -> b.bucket(BUCKET)).contents()) {
            var got = c.getObjectAsBytes(b -> b.bucket(BUCKET).key(o.key()));
            out.put(o.key(), o.eTag() + " " + got.response().sdkHttpResponse().firstMatchingHeader("x-mooseng-stamp").orElse("-")
                    + " " + got.asUtf8String());
        }
        return out;
    }

    private static void awaitSameEverywhere(String what, java.util.function.BooleanSupplier check) throws InterruptedException {
        long deadline = System.nanoTime() + CONVERGE.toNanos();
        while (System.nanoTime() < deadline) {
            try {
                if (check.getAsBoolean()) {
                    return;
                }
            } catch (RuntimeException e) {
                // not there yet
            }
            Thread.sleep(250);
        }
        fail(what + " did not reach every zone within " + CONVERGE.toSeconds() + " s");
    }

    private static String script(String... args) throws Exception {
        Assumptions.assumeTrue(Files.exists(Path.of("/usr/bin/curl")), "scripts/multisite.sh needs curl");
        return ProcessCluster.runScript("scripts/multisite.sh", dir, env, args);
    }
}
