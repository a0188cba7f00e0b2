package io.mooseng.s3compat;

import io.mooseng.cli.Version;
import io.mooseng.cli.node.MemoryPlan;
import io.mooseng.cli.node.MountNode;
import io.mooseng.core.model.StorageClass;
import io.mooseng.core.object.ObjectServiceConfig;
import io.mooseng.fuse.MountConfig;
import io.mooseng.fuse.MountStats;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Writer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The web console end to end: Debian's Chromium driven headless by playwright-core (from npm, installed
 * under target/ on first use) signs in with the administrator's key pair, uploads a file of several
 * parts through the page's file input and downloads it back, deletes an object and restores it from
 * the Trash page, sets a directory's class on the Buckets page, and sees a chunkserver go LOST once
 * the test stops it; a user without administrator keys is offered the object browser only.
 * Screenshots of the pages land in target/console-screenshots (docs/console with
 * {@code -Dconsole.screenshots=../docs/console}). Skipped, saying why, without chromium, node or
 * the npm registry.
 */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class ConsoleTest {
    private static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    private static final int CHUNKSERVERS = 3;
    private static final String BUCKET = "photos";

    @TempDir
    static Path dir;

    private static HealingCluster cluster;

    @BeforeAll
    static void start() throws Exception {
        cluster = HealingCluster.start(dir.resolve("cluster"), CHUNKSERVERS, StorageClass.replicated(2), HealingCluster.MAINTENANCE);
        cluster.s3.createBucket(b -> b.bucket(BUCKET));
    }

    @AfterAll
    static void stop() {
        if (cluster != null) {
            cluster.close();
        }
    }

    @Test
    void consoleFilesAreServedWithoutAuthenticationAndNothingElseUnderThem() throws Exception {
        HttpClient http = HttpClient.newHttpClient();
        HttpResponse<String> index = get(http, "/-/console/");
        assertEquals(200, index.statusCode());
        assertTrue(index.headers().firstValue("content-type").orElse("").startsWith("text/html"));
        assertTrue(index.headers().firstValue("content-security-policy").orElse("").contains("default-src 'self'"));
        assertEquals("text/javascript; charset=utf-8", get(http, "/-/console/app.js").headers().firstValue("content-type").orElse(""));
        assertEquals(404, get(http, "/-/console/secrets.txt").statusCode());
        assertEquals(301, get(http, "/-/console").statusCode());
        assertEquals(405, http.send(HttpRequest.newBuilder(URI.create(cluster.cluster.endpoint() + "/-/console/"))
                .POST(HttpRequest.BodyPublishers.ofString("x")).build(), HttpResponse.BodyHandlers.ofString()).statusCode());
        // a bucket may be called "console": the console lives under "-", which no bucket name can be
        cluster.s3.createBucket(b -> b.bucket("console"));
        cluster.put("console", "index.html", "a bucket's object".getBytes(StandardCharsets.UTF_8));
        assertEquals("a bucket's object", cluster.s3.getObjectAsBytes(b -> b.bucket("console").key("index.html")).asUtf8String());
    }

    @Test
    void adminCallsAnswerTheAdministratorInJsonAndAccessDeniedToOtherUsers() throws Exception {
        SignedHttp admin = new SignedHttp(S3Server.of(URI.create(cluster.cluster.endpoint()), cluster.keys));
        SignedHttp.Response status = admin.send("GET", "/?mooseng-admin=status&lostAfterMs=60000", Map.of(), new byte[0]);
        assertEquals(200, status.status(), status::toString);
        JsonNode doc = new ObjectMapper().readTree(status.body());
        assertEquals("LEADER", doc.get("masters").get(0).get("role").asText(), status::toString);
        assertTrue(doc.get("error").isNull(), status::toString);
        assertEquals(CHUNKSERVERS, doc.get("chunkservers").size(), status::toString);
        assertEquals(1, doc.get("gateways").size(), status::toString);
        assertEquals(0, doc.get("mounts").size(), status::toString);
        JsonNode cli = new ObjectMapper().readTree(cluster.admin("status", "--json"));
        assertEquals(fieldNames(cli), fieldNames(doc), "admin status --json and the console's status are one document");
        assertEquals(fieldNames(cli.get("chunkservers").get(0)), fieldNames(doc.get("chunkservers").get(0)));

        SignedHttp.Response set = admin.send("PUT", "/" + BUCKET + "?mooseng-admin=class&class=REPLICATED_3&prefix=raw%2F", Map.of(), new byte[0]);
        assertEquals(200, set.status(), set::toString);
        JsonNode classes = new ObjectMapper().readTree(admin.send("GET", "/" + BUCKET + "?mooseng-admin=classes", Map.of(), new byte[0]).body());
        assertEquals("REPLICATED_2", classes.get("default").asText());
        assertEquals("REPLICATED_3", classes.get("directories").get("raw/").asText());
        assertEquals(400, admin.send("PUT", "/" + BUCKET + "?mooseng-admin=class&class=FAST", Map.of(), new byte[0]).status());
        assertEquals("InvalidArgument", admin.send("GET", "/" + BUCKET + "?mooseng-admin=nonsense", Map.of(), new byte[0]).errorCode());
        assertEquals("InvalidArgument", admin.send("POST", "/" + BUCKET + "?mooseng-admin=restore&inode=x", Map.of(), new byte[0]).errorCode());

        S3Keys alice = AdminCli.addUser(cluster.cluster.raftAddress().toString(), "alice", "readwrite");
        SignedHttp user = new SignedHttp(S3Server.of(URI.create(cluster.cluster.endpoint()), alice));
        assertEquals("AccessDenied", user.send("GET", "/?mooseng-admin=status", Map.of(), new byte[0]).errorCode());
        assertEquals("AccessDenied", user.send("GET", "/" + BUCKET + "?mooseng-admin=trash", Map.of(), new byte[0]).errorCode());
        assertEquals(200, user.send("GET", "/" + BUCKET + "?list-type=2", Map.of(), new byte[0]).status(), "the object browser's calls");
    }

    @Test
    void aMountShowsInAdminStatusUntilItUnmounts() throws Exception {
        Assumptions.assumeTrue(Files.exists(Path.of("/dev/fuse")), "/dev/fuse is missing");
        String id;
        Path point;
        try (MountNode mount = mount("status")) {
            point = mount.mount().mountPoint();
            id = mount.leaseHolder().toString();
            JsonNode shown = awaitMount(id, true);
            assertEquals(point.toAbsolutePath().toString(), shown.get("mountPoint").asText(), shown::toString);
            assertEquals("LIVE", shown.get("state").asText(), shown::toString);
            assertEquals(Version.NUMBER, shown.get("version").asText(), shown::toString);
            assertTrue(shown.get("lastSeenMillisAgo").asLong() < 5_000, shown::toString);
            assertTrue(cluster.admin("status").contains(point.toString()), "the text view lists the mount point");
        }
        awaitMount(id, false);
    }

    /** The mount of {@code id} in {@code admin status --json} once it shows ({@code present}) or is gone; bounded by 10 s. */
    private static JsonNode awaitMount(String id, boolean present) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (true) {
            JsonNode found = null;
            for (JsonNode m : new ObjectMapper().readTree(cluster.admin("status", "--json")).get("mounts")) {
                if (m.get("id").asText().equals(id)) {
                    found = m;
                }
            }
            if ((found != null) == present) {
                return found;
            }
            assertTrue(System.nanoTime() < deadline, () -> "mount " + id + (present ? " never showed" : " still shows") + " in admin status");
            Thread.sleep(100);
        }
    }

    /** A FUSE mount of the cluster, as {@code mooseng mount} runs it. */
    private static MountNode mount(String name) throws Exception {
        Path point = Files.createDirectories(dir.resolve("mnt-" + name));
        MountConfig config = new MountConfig(null, MountConfig.DEFAULT_CACHE_TTL_MILLIS, Files.createDirectories(dir.resolve("staging-" + name)),
                2, 0, 0);
        return MountNode.start(List.of(cluster.cluster.raftAddress().toString()), null, config,
                ObjectServiceConfig.defaults(StorageClass.replicated(2)), point, List.of(), MemoryPlan.of(0, true, false).objects(),
                MountStats.NONE, null);
    }

    @Test
    void theMultisiteCallSaysThereIsNoZonegroup() throws Exception {
        SignedHttp admin = new SignedHttp(S3Server.of(URI.create(cluster.cluster.endpoint()), cluster.keys));
        SignedHttp.Response multisite = admin.send("GET", "/?mooseng-admin=multisite", Map.of(), new byte[0]);
        assertEquals(200, multisite.status(), multisite::toString);
        JsonNode doc = new ObjectMapper().readTree(multisite.body());
        assertTrue(doc.get("zone").isNull() && doc.get("peers").isEmpty(), multisite::toString);
    }

    @Test
    void adminCallsNeedASignature() throws Exception {
        HttpResponse<String> anonymous = get(HttpClient.newHttpClient(), "/?mooseng-admin=status");
        assertEquals(403, anonymous.statusCode());
        assertTrue(anonymous.body().contains("<Code>AccessDenied</Code>"), anonymous.body());
    }

    @Test
    void signInUploadDownloadRestoreSeeAMountAndAChunkserverLost() throws Exception {
        Assumptions.assumeTrue(Files.isExecutable(CHROMIUM), "Chromium is not installed (scripts/install-deps.sh test installs it)");
        Assumptions.assumeTrue(Files.exists(Path.of("/dev/fuse")), "/dev/fuse is missing");
        Path tools = Path.of("target", "console-e2e").toAbsolutePath();
        installPlaywright(tools);
        Path script = tools.resolve("console-e2e.mjs");
        try (InputStream in = ConsoleTest.class.getResourceAsStream("/console/console-e2e.mjs")) {
            Files.write(script, in.readAllBytes());
        }
        Path upload = Files.createDirectories(dir.resolve("upload")).resolve("big.bin");
        byte[] content = TestData.bytes(17, 18 * TestData.MiB + 12345);
        Files.write(upload, content);
        Path downloads = Files.createDirectories(dir.resolve("downloads"));
        // -Dconsole.screenshots=../docs/console refreshes the README's pictures; by default they stay under target/
        Path shots = Files.createDirectories(Path.of(System.getProperty("console.screenshots", "target/console-screenshots")).toAbsolutePath());
        byte[] notes = "restore me".getBytes(StandardCharsets.UTF_8);
        cluster.put(BUCKET, "notes.txt", notes);
        cluster.cluster.maintenance().runCycle();

        ProcessBuilder pb = new ProcessBuilder("node", script.toString()).redirectErrorStream(true);
        Map<String, String> env = pb.environment();
        env.put("CHROMIUM", CHROMIUM.toString());
        env.put("CONSOLE_URL", cluster.cluster.endpoint() + "/-/console/?lostAfterMs=1500");
        env.put("ACCESS_KEY", cluster.keys.accessKey());
        env.put("SECRET_KEY", cluster.keys.secretKey());
        env.put("CHUNKSERVERS", String.valueOf(CHUNKSERVERS));
        env.put("BUCKET", BUCKET);
        env.put("UPLOAD_FILE", upload.toString());
        env.put("DOWNLOAD_DIR", downloads.toString());
        env.put("DELETE_KEY", "notes.txt");
        env.put("SHOTS", shots.toString());
        S3Keys user = AdminCli.addUser(cluster.cluster.raftAddress().toString(), "bob", "readonly");
        env.put("USER_ACCESS_KEY", user.accessKey());
        env.put("USER_SECRET_KEY", user.secretKey());
        Process node = pb.start();
        List<String> output = Collections.synchronizedList(new ArrayList<>());
        MountNode mount = null;
        try (BufferedReader out = new BufferedReader(new InputStreamReader(node.getInputStream(), StandardCharsets.UTF_8));
             Writer in = node.outputWriter(StandardCharsets.UTF_8)) {
            String line;
            while ((line = out.readLine()) != null) {
                output.add(line);
                if (line.equals("MOUNT")) {
                    mount = mount("console");
                    in.write("MOUNTED " + mount.leaseHolder() + "\n");
                    in.flush();
                } else if (line.equals("UNMOUNT")) {
                    mount.close();
                    mount = null;
                    in.write("UNMOUNTED\n");
                    in.flush();
                } else if (line.equals("STOP")) {
                    String id = cluster.cluster.chunkServers().get(CHUNKSERVERS - 1).nodeId();
                    cluster.stop(CHUNKSERVERS - 1);
                    in.write("STOPPED " + id + "\n");
                    in.flush();
                }
            }
        } finally {
            if (mount != null) {
                mount.close();
            }
            if (!node.waitFor(30, TimeUnit.SECONDS)) {
                node.destroyForcibly();
            }
        }
        assertEquals(0, node.exitValue(), () -> "the browser script failed:\n" + String.join("\n", output));
        assertTrue(output.contains("DONE"), () -> String.join("\n", output));
        assertArrayEquals(content, Files.readAllBytes(downloads.resolve("big.bin")), "downloaded bytes");
        cluster.assertContent(BUCKET, "big.bin", content);
        cluster.assertContent(BUCKET, "notes.txt", notes);
        assertEquals(StorageClass.parse("EC_2_1"),
                cluster.cluster.objects().getBucket(BUCKET).get(10, TimeUnit.SECONDS).policy().prefixClasses().get("archive/"),
                "the class set on the Buckets page");
    }

    private static List<String> fieldNames(JsonNode node) {
        List<String> names = new ArrayList<>();
        node.fieldNames().forEachRemaining(names::add);
        return names;
    }

    /** playwright-core from the npm registry into target/ (once); the test is skipped when that cannot be had. */
    private static void installPlaywright(Path tools) throws IOException, InterruptedException {
        try {
            Process node = new ProcessBuilder("node", "--version").redirectErrorStream(true).start();
            Assumptions.assumeTrue(node.waitFor(10, TimeUnit.SECONDS) && node.exitValue() == 0, "node does not run");
        } catch (IOException e) {
            Assumptions.abort("node is not installed (scripts/install-deps.sh test installs it): " + e.getMessage());
        }
        if (Files.isDirectory(tools.resolve("node_modules/playwright-core"))) {
            return;
        }
        Files.createDirectories(tools);
        Process npm;
        try {
            npm = new ProcessBuilder("npm", "install", "--no-audit", "--no-fund", "--prefix", tools.toString(), "playwright-core")
                    .redirectErrorStream(true).redirectOutput(tools.resolve("npm.log").toFile()).start();
        } catch (IOException e) {
            Assumptions.abort("npm is not installed: " + e.getMessage());
            return;
        }
        boolean done = npm.waitFor(120, TimeUnit.SECONDS);
        if (!done) {
            npm.destroyForcibly();
        }
        Assumptions.assumeTrue(done && npm.exitValue() == 0, "npm could not install playwright-core (see " + tools.resolve("npm.log") + ")");
    }

    private static HttpResponse<String> get(HttpClient http, String path) throws IOException, InterruptedException {
        return http.send(HttpRequest.newBuilder(URI.create(cluster.cluster.endpoint() + path)).GET().build(),
                HttpResponse.BodyHandlers.ofString());
    }
}
