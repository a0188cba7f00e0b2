package io.mooseng.s3compat;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.s3.model.S3Object;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * rclone (Debian's package) as a black-box client, configured as its users configure an S3
 * remote of another provider with path-style addressing: copy, ls, sync with deletes, check,
 * and a file large enough for rclone's multipart upload.
 */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class RcloneTest {
    private static final Path RCLONE = Path.of("/usr/bin/rclone");

    @RegisterExtension
    static final ClusterExtension cluster = new ClusterExtension();

    @TempDir
    static Path work;

    private static Path config;
    private static String bucket;

    /** What an rclone run printed. */
    record Run(int exitCode, String stdout, String stderr) {
        @Override
        public String toString() {
            return "exit " + exitCode + "\n--- stdout ---\n" + stdout + "\n--- stderr ---\n" + stderr;
        }
    }

    @BeforeAll
    static void setUp() throws IOException {
        assumeTrue(Files.isExecutable(RCLONE), "rclone is not installed (scripts/install-deps.sh test)");
        config = work.resolve("rclone.conf");
        Files.writeString(config, """
                [moose]
                type = s3
                provider = Other
                access_key_id = %s
                secret_access_key = %s
                endpoint = %s
                region = us-east-1
                force_path_style = true
                """.formatted(cluster.keys().accessKey(), cluster.keys().secretKey(), cluster.endpoint()));
        bucket = cluster.newBucket("rclone");
    }

    private static Run rclone(String... args) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of(RCLONE.toString(), "--config", config.toString(), "--retries", "1",
                "--low-level-retries", "2"));
        cmd.addAll(List.of(args));
        Path out = Files.createTempFile(work, "rclone", ".out");
        Path err = Files.createTempFile(work, "rclone", ".err");
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectOutput(out.toFile()).redirectError(err.toFile());
        pb.environment().keySet().removeIf(k -> k.startsWith("RCLONE_") || k.startsWith("AWS_"));
        pb.environment().put("HOME", Files.createDirectories(work.resolve("home")).toString());
        Process p = pb.start();
        if (!p.waitFor(120, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("rclone " + String.join(" ", args) + " did not finish within 120 s");
        }
        return new Run(p.exitValue(), Files.readString(out), Files.readString(err));
    }

    private static Run ok(String... args) throws IOException, InterruptedException {
        Run r = rclone(args);
        assertEquals(0, r.exitCode(), "rclone " + String.join(" ", args) + ": " + r);
        return r;
    }

    private static Path tree(String name) throws IOException {
        Path root = Files.createDirectories(work.resolve(name));
        Random random = new Random(name.hashCode());
        Map<String, Integer> files = Map.of("a.txt", 10, "dir/b.txt", 2000, "dir/sub/c.bin", 150_000, "with space.txt", 1,
                "dir/é ü.txt", 42, "empty", 0);
        for (Map.Entry<String, Integer> f : files.entrySet()) {
            byte[] data = new byte[f.getValue()];
            random.nextBytes(data);
            Files.write(Files.createDirectories(root.resolve(f.getKey()).getParent()).resolve(root.resolve(f.getKey()).getFileName()), data);
        }
        return root;
    }

    /** path -> size of every file under root, as rclone ls prints them. */
    private static Map<String, Long> localFiles(Path root) throws IOException {
        try (Stream<Path> walk = Files.walk(root)) {
            Map<String, Long> out = new TreeMap<>();
            for (Path p : walk.filter(Files::isRegularFile).toList()) {
                out.put(root.relativize(p).toString(), Files.size(p));
            }
            return out;
        }
    }

    private static Map<String, Long> listed(Run ls) {
        Map<String, Long> out = new TreeMap<>();
        for (String line : ls.stdout().lines().filter(l -> !l.isBlank()).toList()) {
            String trimmed = line.trim();
            int space = trimmed.indexOf(' ');
            out.put(trimmed.substring(space + 1), Long.parseLong(trimmed.substring(0, space)));
        }
        return out;
    }

    private static Set<String> keys(String prefix) {
        return cluster.client().listObjectsV2Paginator(b -> b.bucket(bucket).prefix(prefix)).contents().stream().map(S3Object::key)
                .map(k -> k.substring(prefix.length())).collect(Collectors.toCollection(java.util.TreeSet::new));
    }

    @Test
    void copyListAndCheck() throws Exception {
        Path local = tree("copy-source");
        ok("copy", local.toString(), "moose:" + bucket + "/copy");
        assertEquals(localFiles(local), listed(ok("ls", "moose:" + bucket + "/copy")));
        ok("check", local.toString(), "moose:" + bucket + "/copy");
        assertEquals(localFiles(local).keySet(), keys("copy/"));
        Files.writeString(local.resolve("a.txt"), "changed after the copy");
        assertTrue(rclone("check", local.toString(), "moose:" + bucket + "/copy").exitCode() != 0, "check sees the difference");
    }

    @Test
    void syncDeletesWhatTheSourceNoLongerHas() throws Exception {
        Path local = tree("sync-source");
        ok("sync", local.toString(), "moose:" + bucket + "/sync");
        Files.delete(local.resolve("a.txt"));
        Files.delete(local.resolve("dir/sub/c.bin"));
        Files.writeString(local.resolve("dir/b.txt"), "new content of b");
        Files.writeString(local.resolve("new.txt"), "added");
        ok("sync", local.toString(), "moose:" + bucket + "/sync");
        ok("check", local.toString(), "moose:" + bucket + "/sync");
        assertEquals(localFiles(local).keySet(), keys("sync/"), "deleted files are gone, new ones there");
        assertEquals("new content of b", cluster.client().getObjectAsBytes(b -> b.bucket(bucket).key("sync/dir/b.txt")).asUtf8String());
    }

    @Test
    void largeFileGoesUpInParts() throws Exception {
        Path big = Files.createDirectories(work.resolve("big")).resolve("video.bin");
        byte[] block = new byte[1 << 20];
        new Random(5).nextBytes(block);
        try (var out = Files.newOutputStream(big)) {
            for (int i = 0; i < 22; i++) {
                block[0] = (byte) i;
                out.write(block);
            }
        }
        ok("copy", "--s3-upload-cutoff", "5M", "--s3-chunk-size", "5M", big.getParent().toString(), "moose:" + bucket + "/big");
        String etag = cluster.client().headObject(b -> b.bucket(bucket).key("big/video.bin")).eTag();
        assertTrue(etag.endsWith("-5\""), "uploaded in 5 parts: " + etag);
        ok("check", big.getParent().toString(), "moose:" + bucket + "/big");
        ok("check", "--download", big.getParent().toString(), "moose:" + bucket + "/big");
    }
}
