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

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The web console end to end: Debian's Chromium driven headless by playwright-core ({@link ConsoleBrowser})
 * signs in with the administrator's key pair, uploads a file of several parts through the page's file
 * input and downloads it back, deletes an object and restores it from the Trash page, sets a
 * directory's class on the Buckets page, sees a FUSE mount the test starts appear on the Overview and
 * leave it once unmounted, and a chunkserver go LOST once the test stops it; the Multisite page says
 * the cluster belongs to no zonegroup; a user without administrator keys is offered the object
 * browser only. The same status reaches {@code admin status --json}, mounts included.
 */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class ConsoleTest {
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
        // a browser typing /console/ is sent to the console; S3 clients still reach the bucket "console"
        HttpResponse<String> typed = http.send(HttpRequest.newBuilder(URI.create(cluster.cluster.endpoint() + "/console/"))
                .header("Accept", "text/html,application/xhtml+xml").GET().build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(302, typed.statusCode());
        assertEquals("/-/console/", typed.headers().firstValue("location").orElse(""));
        assertEquals(1, cluster.s3.listObjectsV2(b -> b.bucket("console")).keyCount());
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
                2, 0, 0, MountConfig.DEFAULT_PAGE_CACHE_BYTES);
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
        Assumptions.assumeTrue(Files.exists(Path.of("/dev/fuse")), "/dev/fuse is missing");
        Path upload = Files.createDirectories(dir.resolve("upload")).resolve("big.bin");
        byte[] content = TestData.bytes(17, 18 * TestData.MiB + 12345);
        Files.write(upload, content);
        Path downloads = Files.createDirectories(dir.resolve("downloads"));
        byte[] notes = "restore me".getBytes(StandardCharsets.UTF_8);
        cluster.put(BUCKET, "notes.txt", notes);
        cluster.cluster.maintenance().runCycle();

        Map<String, String> env = new HashMap<>();
        env.put("CONSOLE_URL", cluster.cluster.endpoint() + "/-/console/?lostAfterMs=1500");
        env.put("ACCESS_KEY", cluster.keys.accessKey());
        env.put("SECRET_KEY", cluster.keys.secretKey());
        env.put("CHUNKSERVERS", String.valueOf(CHUNKSERVERS));
        env.put("BUCKET", BUCKET);
        env.put("UPLOAD_FILE", upload.toString());
        env.put("DOWNLOAD_DIR", downloads.toString());
        env.put("DELETE_KEY", "notes.txt");
        S3Keys user = AdminCli.addUser(cluster.cluster.raftAddress().toString(), "bob", "readonly");
        env.put("USER_ACCESS_KEY", user.accessKey());
        env.put("USER_SECRET_KEY", user.secretKey());
        MountNode[] mount = {null};
        try {
            ConsoleBrowser.run("console-e2e.mjs", env, (line, answer) -> {
                switch (line) {
                    case "MOUNT" -> {
                        mount[0] = mount("console");
                        answer.write("MOUNTED " + mount[0].leaseHolder() + "\n");
                    }
                    case "UNMOUNT" -> {
                        mount[0].close();
                        mount[0] = null;
                        answer.write("UNMOUNTED\n");
                    }
                    case "STOP" -> {
                        String id = cluster.cluster.chunkServers().get(CHUNKSERVERS - 1).nodeId();
                        cluster.stop(CHUNKSERVERS - 1);
                        answer.write("STOPPED " + id + "\n");
                    }
                    default -> {
                        return;
                    }
                }
                answer.flush();
            });
        } finally {
            if (mount[0] != null) {
                mount[0].close();
            }
        }
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

    private static HttpResponse<String> get(HttpClient http, String path) throws IOException, InterruptedException {
        return http.send(HttpRequest.newBuilder(URI.create(cluster.cluster.endpoint() + path)).GET().build(),
                HttpResponse.BodyHandlers.ofString());
    }
}
