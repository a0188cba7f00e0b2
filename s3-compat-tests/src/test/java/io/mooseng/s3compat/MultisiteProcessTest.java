package io.mooseng.s3compat;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.S3Object;

import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
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
 * objects with the same bytes and the same version stamp. Zones 1 and 2 are also mounted
 * ({@code mooseng mount} processes, each in its zone's network namespace): directories renamed
 * into each other while zone 2 is cut off leave every file once, and a hard link and a chmod travel.
 */
class MultisiteProcessTest {
    private static final Duration CONVERGE = Duration.ofSeconds(90);
    private static final String BUCKET = "shared";
    private static Path dir;
    private static Map<String, String> env;
    private static final List<S3Client> zones = new ArrayList<>();
    private static Map<String, String> addresses;
    private static final Map<Path, Process> mounts = new HashMap<>();

    @BeforeAll
    static void up() throws Exception {
        dir = Files.createTempDirectory("mooseng-multisite-");
        env = ProcessCluster.testEnvironment();
        env.put("MOOSENG_MULTISITE_BASE_PORT", Integer.toString(TestPorts.freeRange(40)));
        env.put("MOOSENG_JAVA_OPTS", "-Xmx384m " + ProcessCluster.JIT_FIRST_TIER);
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
        unmountAll();
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
        Map<String, String> converged = awaitConvergence(BUCKET, "concurrent writers");
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
            Map<String, String> healed = awaitConvergence(BUCKET, "the partition healed");
            assertEquals(29, healed.size(), healed.toString());
        }

        // a zone killed mid-stream and started again resumes from its cursors
        script("kill", dir.toString(), "zone2");
        for (int k = 0; k < 10; k++) {
            int n = k;
            zones.get(0).putObject(b -> b.bucket(BUCKET).key("while-down/" + n), RequestBody.fromString("zone 2 was down"));
        }
        script("start", dir.toString(), "zone2");
        awaitConvergence(BUCKET, "zone 2 restarted");
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

    @Test
    void crossedDirectoryRenamesWhileCutOffLeaveEveryFileOnceAndAMountsLinksAndModesReachTheOtherZone() throws Exception {
        boolean namespaces = addresses.get("ZONE1_S3").contains("10.77.");
        Path one = mount(1);
        Path two = mount(2);
        try {
            awaitMounted(one);
            awaitMounted(two);
            Path tree = Files.createDirectory(one.resolve("tree")); // a bucket
            Map<String, String> written = Map.of("a/1.txt", "first of a", "a/2.txt", "second of a", "b/1.txt", "first of b",
                    "b/2.txt", "second of b");
            for (var f : written.entrySet()) {
                Files.createDirectories(tree.resolve(f.getKey()).getParent());
                Files.writeString(tree.resolve(f.getKey()), f.getValue());
            }
            commit(tree.resolve("a/1.txt"));
            awaitSameEverywhere("a/ and b/ in every zone and in zone 2's mount", () -> zones.stream()
                    .allMatch(c -> files(c, "tree").equals(written)) && written.equals(mountedFiles(two.resolve("tree"))));

            Map<String, String> expected = written;
            if (namespaces) {
                // cut off from the others, zone 2 moves b into a while zone 1 moves a into b
                script("cut", dir.toString(), "zone2");
                try {
                    Files.move(tree.resolve("a"), tree.resolve("b/a"));
                    commit(tree.resolve("b/a/1.txt"));
                    Files.move(two.resolve("tree/b"), two.resolve("tree/a/b"));
                    commit(two.resolve("tree/a/b/1.txt"));
                } finally {
                    script("heal", dir.toString(), "zone2");
                }
                // each rename is a delete of every old key and a put of every new one: no key is in both, so both stand
                expected = Map.of("b/a/1.txt", "first of a", "b/a/2.txt", "second of a", "a/b/1.txt", "first of b",
                        "a/b/2.txt", "second of b");
                awaitConvergence("tree", "the crossed renames");
                assertEquals(expected, files(zones.get(0), "tree"));
            }
            Map<String, String> after = expected;
            for (Path mount : List.of(one, two)) {
                // the same names as S3, each reached once: no name twice, no cycle
                awaitSameEverywhere("the mount at " + mount + " showing what S3 shows", () -> after.equals(mountedFiles(mount.resolve("tree"))));
            }

            // a hard link's second name travels as an object of its own; a chmod as the file's mode
            String first = after.keySet().stream().sorted().findFirst().orElseThrow();
            String second = after.keySet().stream().sorted().skip(1).findFirst().orElseThrow();
            Files.createLink(tree.resolve("linked.txt"), tree.resolve(first));
            Files.setPosixFilePermissions(tree.resolve(second), PosixFilePermissions.fromString("rw-------"));
            commit(tree.resolve(second));
            awaitSameEverywhere("the hard link and the mode in zone 2's mount", () -> {
                try {
                    return after.get(first).equals(Files.readString(two.resolve("tree/linked.txt")))
                            && "rw-------".equals(PosixFilePermissions.toString(Files.getPosixFilePermissions(two.resolve("tree").resolve(second))));
                } catch (IOException e) {
                    return false;
                }
            });
            assertEquals(after.get(first), zones.get(1).getObjectAsBytes(b -> b.bucket("tree").key("linked.txt")).asUtf8String());
        } finally {
            unmountAll();
        }
    }

    /**
     * Starts {@code mooseng mount} of zone {@code k} as its own process: in the zone's network namespace when there is one
     * (its network only: the mount point stays in this mount namespace), with a mount certificate of the zones' CA.
     *
     * @return the mount point, to {@link #awaitMounted}
     */
    private static Path mount(int k) throws Exception {
        Assumptions.assumeTrue(Files.exists(Path.of("/dev/fuse")), "no /dev/fuse here");
        Path tls = dir.resolve("mount" + k + "-tls");
        assertEquals(0, io.mooseng.cli.Main.commandLine().execute("admin", "cert", "issue", "--ca", dir.resolve("ca").toString(),
                "--role", "mount", "--name", "mount" + k, "--out", tls.toString()));
        Path point = Files.createDirectories(dir.resolve("mnt" + k));
        List<String> command = new ArrayList<>();
        if (addresses.get("ZONE1_S3").contains("10.77.")) {
            command.addAll(List.of("nsenter", "--net=/run/netns/mooseng-z" + k));
        }
        command.addAll(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx256m", "-XX:+UseSerialGC",
                "-cp", System.getProperty("java.class.path"), "io.mooseng.cli.Main", "mount", "--masters", addresses.get("ZONE" + k + "_MASTERS"),
                "--tls-dir", tls.toString(), "--staging-dir", dir.resolve("staging" + k).toString(), point.toString()));
        Path log = point.resolveSibling(point.getFileName() + ".log");
        Process p = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
        mounts.put(point, p);
        return point;
    }

    private static void awaitMounted(Path point) throws Exception {
        Process p = mounts.get(point);
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (!Files.readString(Path.of("/proc/mounts")).contains(" " + point + " ")) {
            assertTrue(p.isAlive() && System.nanoTime() < deadline, point + " did not come up:\n"
                    + Files.readString(point.resolveSibling(point.getFileName() + ".log")));
            Thread.sleep(100);
        }
    }

    private static void unmountAll() throws Exception {
        for (var m : mounts.entrySet()) {
            m.getValue().destroy(); // its shutdown hook unmounts
            if (!m.getValue().waitFor(30, java.util.concurrent.TimeUnit.SECONDS)) {
                m.getValue().destroyForcibly();
            }
            if (Files.readString(Path.of("/proc/mounts")).contains(" " + m.getKey() + " ")) {
                new ProcessBuilder("fusermount", "-u", "-z", m.getKey().toString()).inheritIO().start().waitFor(30, java.util.concurrent.TimeUnit.SECONDS);
            }
        }
        mounts.clear();
    }

    /** fsync: the mount's changes under its directory leases are committed in its zone by now. */
    private static void commit(Path file) throws IOException {
        try (java.nio.channels.FileChannel ch = java.nio.channels.FileChannel.open(file)) {
            ch.force(true);
        }
    }

    /** The files under a mounted bucket: path -> content ("another name of ..." for an inode reached before), empty while unreadable. */
    private static Map<String, String> mountedFiles(Path bucket) {
        Map<String, String> out = new TreeMap<>();
        Map<Object, String> inodes = new HashMap<>();
        // bounded depth: a cycle would show as deeper and deeper names, not hang the walk
        try (var walk = Files.walk(bucket, 8)) {
            for (Path f : walk.filter(Files::isRegularFile).toList()) {
                String rel = bucket.relativize(f).toString();
                String earlier = inodes.putIfAbsent(Files.readAttributes(f, java.nio.file.attribute.BasicFileAttributes.class).fileKey(), rel);
                out.put(rel, earlier != null ? "another name of " + earlier : Files.readString(f));
            }
        } catch (IOException | java.io.UncheckedIOException e) {
            return Map.of(); // not there yet (the mount's cache still has an old name)
        }
        return out;
    }

    /** A zone's files of {@code bucket} over S3, directory markers left out: key -> content. */
    private static Map<String, String> files(S3Client c, String bucket) {
        Map<String, String> out = new TreeMap<>();
        for (S3Object o : c.listObjectsV2Paginator(b -> b.bucket(bucket)).contents()) {
            if (!o.key().endsWith("/")) {
                out.put(o.key(), c.getObjectAsBytes(b -> b.bucket(bucket).key(o.key())).asUtf8String());
            }
        }
        return out;
    }

    /** Waits until every zone lists the same keys of {@code bucket} with the same ETags and version stamps; @return key -> stamp. */
    private static Map<String, String> awaitConvergence(String bucket, String after) throws Exception {
        long deadline = System.nanoTime() + CONVERGE.toNanos();
        List<Map<String, String>> last = List.of();
        while (System.nanoTime() < deadline) {
            try {
                List<Map<String, String>> views = new ArrayList<>();
                for (S3Client c : zones) {
                    views.add(view(c, bucket));
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
    private static Map<String, String> view(S3Client c, String bucket) {
        Map<String, String> out = new TreeMap<>();
        for (S3Object o : c.listObjectsV2Paginator(b -> b.bucket(bucket)).contents()) {
            var got = c.getObjectAsBytes(b -> b.bucket(bucket).key(o.key()));
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
