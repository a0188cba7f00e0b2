package io.mooseng.s3compat;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.s3.S3Client;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static io.mooseng.s3compat.TestData.MiB;
import static io.mooseng.s3compat.TestData.sha256;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The README's quick tour, black box: the server started by the {@code mooseng} launcher
 * script, driven by Debian's awscli (or boto3 where awscli is missing).
 */
@Timeout(value = 300, unit = TimeUnit.SECONDS)
class AwsCliTest {
    private static final Pattern OBJECT_LINE = Pattern.compile("^\\d{4}-\\d{2}-\\d{2} \\d{2}:\\d{2}:\\d{2}\\s+(\\d+) (.*)$");
    private static final Pattern PREFIX_LINE = Pattern.compile("^\\s*PRE (.*)$");

    @TempDir
    static Path tmp;

    private static ServerProcess server;
    private static S3Cli cli;

    @BeforeAll
    static void startServerWithLauncher() throws Exception {
        Optional<S3Cli.Kind> kind = S3Cli.available();
        assumeTrue(kind.isPresent(), "neither Debian's awscli (/usr/bin/aws) nor python3-boto3 is installed;"
                + " `./mooseng test` installs them (apt-get install awscli python3-boto3)");
        // the launcher rebuilds first if sources are newer than its jar: allow for a build
        server = ServerProcess.Spec.launcher(RepoRoot.find().resolve("mooseng"), tmp.resolve("data"), S3Keys.random(),
                Duration.ofMinutes(4), "-Xmx512m").start();
        cli = new S3Cli(kind.get(), server, Files.createDirectories(tmp.resolve("cli")));
        System.out.println("AwsCliTest: driving the server with " + kind.get());
    }

    @AfterAll
    static void stopServer() throws InterruptedException {
        if (server != null) {
            try {
                server.stop();
            } finally {
                server.close();
            }
        }
    }

    @Test
    void mbCreatesABucketThatLsShowsAndRbRemoves() throws Exception {
        cli.ok("mb", "s3://cli-mb");
        assertTrue(bucketNames().contains("cli-mb"));

        cli.ok("rb", "s3://cli-mb");
        assertFalse(bucketNames().contains("cli-mb"));
    }

    @Test
    void cpUploadsAndDownloadsByteIdenticalFiles() throws Exception {
        Path dir = Files.createDirectories(tmp.resolve("cp"));
        Path small = Files.writeString(dir.resolve("small.txt"), "hello from awscli\n".repeat(60));
        Path big = TestData.file(dir, "20MiB.bin", 20, 20L * MiB);
        cli.ok("mb", "s3://cli-cp");

        cli.ok("cp", small.toString(), "s3://cli-cp/small.txt");
        cli.ok("cp", big.toString(), "s3://cli-cp/nested/20MiB.bin");
        cli.ok("cp", "s3://cli-cp/small.txt", dir.resolve("small.copy").toString());
        cli.ok("cp", "s3://cli-cp/nested/20MiB.bin", dir.resolve("20MiB.copy").toString());

        assertEquals(sha256(small), sha256(dir.resolve("small.copy")));
        assertEquals(sha256(big), sha256(dir.resolve("20MiB.copy")));
        try (S3Client s3 = server.newClient()) {
            // awscli sends anything over 8 MiB as a multipart upload of 8 MiB parts
            assertTrue(s3.headObject(b -> b.bucket("cli-cp").key("nested/20MiB.bin")).eTag().endsWith("-3\""));
        }
    }

    @Test
    void lsShowsFoldersAsPrefixesAndRecursiveShowsEveryKey() throws Exception {
        Path dir = Files.createDirectories(tmp.resolve("ls"));
        Path file = Files.writeString(dir.resolve("f.txt"), "12345");
        cli.ok("mb", "s3://cli-ls");
        for (String key : List.of("top.txt", "dir/a.txt", "dir/sub/b.txt")) {
            cli.ok("cp", file.toString(), "s3://cli-ls/" + key);
        }

        Listing top = listing(cli.ok("ls", "s3://cli-ls/"));
        Listing inDir = listing(cli.ok("ls", "s3://cli-ls/dir/"));
        Listing all = listing(cli.ok("ls", "--recursive", "s3://cli-ls"));

        assertEquals(new Listing(List.of("dir/"), Map.of("top.txt", 5L)), top);
        assertEquals(new Listing(List.of("sub/"), Map.of("a.txt", 5L)), inDir);
        assertEquals(new Listing(List.of(), Map.of("top.txt", 5L, "dir/a.txt", 5L, "dir/sub/b.txt", 5L)), all);
    }

    @Test
    void syncedTreeMatchesRecursiveListingThenRmRecursiveAndRbRemoveIt() throws Exception {
        Path tree = Files.createDirectories(tmp.resolve("album"));
        Map<String, Long> expected = new TreeMap<>();
        for (int i = 0; i < 20; i++) {
            String rel = switch (i % 4) {
                case 0 -> "photo-" + i + ".jpg";
                case 1 -> "2024/summer/img " + i + ".jpg";
                case 2 -> "2024/winter/deep/nested/" + i + ".raw";
                default -> "notes/ünïcode-" + i + ".txt";
            };
            Path f = tree.resolve(rel);
            Files.createDirectories(f.getParent());
            byte[] data = TestData.bytes(i, 1000 * i + 1);
            Files.write(f, data);
            expected.put("album/" + rel, (long) data.length);
        }
        cli.ok("mb", "s3://cli-sync");

        cli.ok("sync", tree.toString(), "s3://cli-sync/album");
        Listing listed = listing(cli.ok("ls", "--recursive", "s3://cli-sync/album/"));
        S3Cli.Result again = cli.ok("sync", tree.toString(), "s3://cli-sync/album");

        assertEquals(new Listing(List.of(), expected), listed);
        assertEquals(List.of(), again.lines(), "a second sync finds everything up to date");

        cli.ok("rm", "--recursive", "s3://cli-sync/album");
        assertEquals(new Listing(List.of(), Map.of()), listing(cli.run("ls", "--recursive", "s3://cli-sync/")));
        cli.ok("rb", "s3://cli-sync");
        assertFalse(bucketNames().contains("cli-sync"));
    }

    /**
     * {@code aws s3api}: versioning, versions by id, a delete marker removed by its id, and a lifecycle configuration
     * with noncurrent version rules, as the S3 API reference's examples run them.
     */
    @Test
    void s3apiKeepsVersionsAndLifecycleRules() throws Exception {
        assumeTrue(cli.kind() == S3Cli.Kind.AWSCLI, "aws s3api needs Debian's awscli");
        Path dir = Files.createDirectories(tmp.resolve("versions"));
        Path one = Files.writeString(dir.resolve("one.txt"), "version one");
        Path two = Files.writeString(dir.resolve("two.txt"), "version two");
        cli.ok("mb", "s3://cli-versions");
        cli.api("put-bucket-versioning", "--bucket", "cli-versions", "--versioning-configuration", "Status=Enabled");
        assertEquals("Enabled", field(cli.api("get-bucket-versioning", "--bucket", "cli-versions"), "Status"));
        String id1 = field(cli.api("put-object", "--bucket", "cli-versions", "--key", "doc.txt", "--body", one.toString()), "VersionId");
        String id2 = field(cli.api("put-object", "--bucket", "cli-versions", "--key", "doc.txt", "--body", two.toString()), "VersionId");
        assertFalse(id1.equals(id2));

        String listed = cli.api("list-object-versions", "--bucket", "cli-versions").stdout();
        assertEquals(List.of(id2, id1), all(listed, "VersionId"), listed);
        assertEquals(List.of("true", "false"), all(listed, "IsLatest"), listed);
        Path got = dir.resolve("got.txt");
        cli.api("get-object", "--bucket", "cli-versions", "--key", "doc.txt", "--version-id", id1, got.toString());
        assertEquals("version one", Files.readString(got));

        S3Cli.Result deleted = cli.api("delete-object", "--bucket", "cli-versions", "--key", "doc.txt");
        assertEquals("true", field(deleted, "DeleteMarker"));
        String marker = field(deleted, "VersionId");
        S3Cli.Result hidden = cli.apiRun("get-object", "--bucket", "cli-versions", "--key", "doc.txt", got.toString());
        assertTrue(hidden.exitCode() != 0 && hidden.stderr().contains("NoSuchKey"), hidden.toString());
        String withMarker = cli.api("list-object-versions", "--bucket", "cli-versions").stdout();
        assertTrue(withMarker.contains("\"DeleteMarkers\"") && withMarker.contains(marker), withMarker);
        cli.api("delete-object", "--bucket", "cli-versions", "--key", "doc.txt", "--version-id", marker);
        cli.api("get-object", "--bucket", "cli-versions", "--key", "doc.txt", got.toString());
        assertEquals("version two", Files.readString(got));

        Path rules = Files.writeString(dir.resolve("lifecycle.json"), """
                {"Rules": [{"ID": "old-versions", "Status": "Enabled", "Filter": {"Prefix": "logs/"},
                  "NoncurrentVersionTransitions": [{"NoncurrentDays": 7, "StorageClass": "GLACIER"}],
                  "NoncurrentVersionExpiration": {"NoncurrentDays": 30, "NewerNoncurrentVersions": 2}}]}
                """);
        cli.api("put-bucket-lifecycle-configuration", "--bucket", "cli-versions", "--lifecycle-configuration", "file://" + rules);
        String answered = cli.api("get-bucket-lifecycle-configuration", "--bucket", "cli-versions").stdout();
        assertEquals("old-versions", field(answered, "ID"));
        assertEquals(List.of("7", "30"), all(answered, "NoncurrentDays"), answered);
        assertEquals("EC_8_4", field(answered, "StorageClass"), "GLACIER is answered as the MooseNG class it maps to");
        assertEquals("2", field(answered, "NewerNoncurrentVersions"));
    }

    private static String field(S3Cli.Result json, String name) {
        return field(json.stdout(), name);
    }

    /** The first value of a JSON field (a string, number or boolean) in awscli's output. */
    private static String field(String json, String name) {
        List<String> values = all(json, name);
        if (values.isEmpty()) {
            throw new AssertionError("no " + name + " in " + json);
        }
        return values.getFirst();
    }

    private static List<String> all(String json, String name) {
        Matcher m = Pattern.compile("\"" + name + "\":\\s*\"?([^\",}\\s]+)").matcher(json);
        List<String> out = new ArrayList<>();
        while (m.find()) {
            out.add(m.group(1));
        }
        return out;
    }

    /** What {@code aws s3 ls} printed: common prefixes ("PRE x/") and objects with their sizes. */
    record Listing(List<String> prefixes, Map<String, Long> objects) {
        Listing {
            objects = new TreeMap<>(objects);
        }
    }

    private static Listing listing(S3Cli.Result result) {
        List<String> prefixes = new ArrayList<>();
        Map<String, Long> objects = new TreeMap<>();
        for (String line : result.lines()) {
            Matcher pre = PREFIX_LINE.matcher(line);
            Matcher obj = OBJECT_LINE.matcher(line);
            if (pre.matches()) {
                prefixes.add(pre.group(1));
            } else if (obj.matches()) {
                objects.put(obj.group(2), Long.parseLong(obj.group(1)));
            } else {
                throw new AssertionError("unexpected ls line '" + line + "' in " + result);
            }
        }
        return new Listing(prefixes, objects);
    }

    private static List<String> bucketNames() throws IOException, InterruptedException {
        return cli.ok("ls").lines().stream().map(l -> l.substring(l.lastIndexOf(' ') + 1)).toList();
    }
}
