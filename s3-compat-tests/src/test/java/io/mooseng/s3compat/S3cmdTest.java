package io.mooseng.s3compat;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Debian's s3cmd with the configuration its users write: keys, the gateway as host_base and
 * host_bucket, bucket_location US (so it signs for region "US", which a gateway without a
 * configured region accepts), plain HTTP.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class S3cmdTest {
    private static final Path S3CMD = Path.of("/usr/bin/s3cmd");

    @RegisterExtension
    static final ClusterExtension cluster = new ClusterExtension();

    @TempDir
    static Path tmp;
    private static Path config;

    record Result(int exitCode, String output) {
    }

    @BeforeAll
    static void writeConfig() throws IOException {
        assumeTrue(Files.isExecutable(S3CMD), "s3cmd is not installed; `./mooseng test` installs it (apt-get install s3cmd)");
        String host = "127.0.0.1:" + cluster.port();
        config = Files.writeString(tmp.resolve("s3cfg"), String.join("\n", "[default]",
                "access_key = " + cluster.keys().accessKey(),
                "secret_key = " + cluster.keys().secretKey(),
                "host_base = " + host,
                "host_bucket = " + host,
                "bucket_location = US",
                "use_https = False", ""));
    }

    private static Result s3cmd(String... args) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of(S3CMD.toString(), "--config", config.toString()));
        cmd.addAll(List.of(args));
        Path out = Files.createTempFile(tmp, "s3cmd", ".out");
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(out.toFile());
        pb.environment().put("HOME", tmp.toString());
        Process p = pb.start();
        if (!p.waitFor(60, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("s3cmd " + String.join(" ", args) + " did not finish within 60 s");
        }
        return new Result(p.exitValue(), Files.readString(out));
    }

    private static String ok(String... args) throws IOException, InterruptedException {
        Result r = s3cmd(args);
        assertEquals(0, r.exitCode(), () -> "s3cmd " + String.join(" ", args) + ":\n" + r.output());
        return r.output();
    }

    @Test
    void mbPutLsGetDelRbWithTheDefaultConfiguration() throws Exception {
        byte[] data = TestData.bytes(31, 200_000);
        Path file = Files.write(tmp.resolve("upload.bin"), data);
        Path back = tmp.resolve("download.bin");

        ok("mb", "s3://s3cmd-basic");
        ok("put", file.toString(), "s3://s3cmd-basic/dir/upload.bin");
        String listed = ok("ls", "s3://s3cmd-basic/dir/");
        ok("get", "s3://s3cmd-basic/dir/upload.bin", back.toString());
        ok("del", "s3://s3cmd-basic/dir/upload.bin");
        String empty = ok("ls", "s3://s3cmd-basic/dir/");
        ok("rb", "s3://s3cmd-basic");

        assertTrue(listed.contains("200000") && listed.contains("s3://s3cmd-basic/dir/upload.bin"), listed);
        assertArrayEquals(data, Files.readAllBytes(back));
        assertTrue(empty.isBlank(), empty);
        assertTrue(cluster.client().listBuckets().buckets().stream().noneMatch(b -> b.name().equals("s3cmd-basic")));
    }

    @Test
    void infoAndSetaclPrivateWorkAndPublicIsRefused() throws Exception {
        Path file = Files.writeString(tmp.resolve("acl.txt"), "acl");
        ok("mb", "s3://s3cmd-acl");
        ok("put", file.toString(), "s3://s3cmd-acl/acl.txt");

        String objectInfo = ok("info", "s3://s3cmd-acl/acl.txt");
        String bucketInfo = ok("info", "s3://s3cmd-acl");
        ok("setacl", "--acl-private", "s3://s3cmd-acl/acl.txt");
        Result publicAcl = s3cmd("setacl", "--acl-public", "s3://s3cmd-acl/acl.txt");

        assertTrue(objectInfo.contains("ACL:") && objectInfo.contains("FULL_CONTROL"), objectInfo);
        assertTrue(bucketInfo.contains("FULL_CONTROL"), bucketInfo);
        assertTrue(publicAcl.exitCode() != 0 && publicAcl.output().contains("NotImplemented"), publicAcl::toString);
    }
}
