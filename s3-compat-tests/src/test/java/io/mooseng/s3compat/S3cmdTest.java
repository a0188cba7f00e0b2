package io.mooseng.s3compat;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.URI;
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
    private static Path configV2;

    record Result(int exitCode, String output) {
    }

    @BeforeAll
    static void writeConfig() throws IOException {
        assumeTrue(Files.isExecutable(S3CMD), "s3cmd is not installed; `./mooseng test` installs it (apt-get install s3cmd)");
        String host = "127.0.0.1:" + cluster.port();
        String common = String.join("\n", "[default]",
                "access_key = " + cluster.keys().accessKey(),
                "secret_key = " + cluster.keys().secretKey(),
                "host_base = " + host,
                "host_bucket = " + host,
                "bucket_location = US",
                "use_https = False", "");
        config = Files.writeString(tmp.resolve("s3cfg"), common);
        configV2 = Files.writeString(tmp.resolve("s3cfg-v2"), common + "signature_v2 = True\n");
    }

    private static Result s3cmd(String... args) throws IOException, InterruptedException {
        return s3cmd(config, args);
    }

    private static Result s3cmd(Path configFile, String... args) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of(S3CMD.toString(), "--config", configFile.toString()));
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
        return ok(config, args);
    }

    private static String ok(Path configFile, String... args) throws IOException, InterruptedException {
        Result r = s3cmd(configFile, args);
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

    /** signature_v2 = True: every request signed with Signature Version 2; signurl makes a V2 presigned URL. */
    @Test
    void signatureVersion2RequestsAndSignedUrls() throws Exception {
        byte[] data = TestData.bytes(32, 70_000);
        Path file = Files.write(tmp.resolve("v2.bin"), data);
        Path back = tmp.resolve("v2-back.bin");

        ok(configV2, "mb", "s3://s3cmd-v2");
        ok(configV2, "put", file.toString(), "s3://s3cmd-v2/v2 dir/v2.bin");
        String listed = ok(configV2, "ls", "s3://s3cmd-v2/v2 dir/");
        ok(configV2, "get", "s3://s3cmd-v2/v2 dir/v2.bin", back.toString());
        URI signed = URI.create(ok(configV2, "signurl", "s3://s3cmd-v2/v2 dir/v2.bin", "+300").trim());
        SignedHttp http = new SignedHttp(cluster);
        SignedHttp.Response viaUrl = http.sendUnsigned("GET", signed, new byte[0]);
        SignedHttp.Response tampered = http.sendUnsigned("GET", URI.create(signed.toString().replaceFirst("Expires=\\d", "Expires=9")),
                new byte[0]);

        assertTrue(listed.contains("s3://s3cmd-v2/v2 dir/v2.bin"), listed);
        assertArrayEquals(data, Files.readAllBytes(back));
        assertEquals(200, viaUrl.status(), viaUrl::toString);
        assertArrayEquals(data, viaUrl.body());
        assertEquals("403 SignatureDoesNotMatch", tampered.status() + " " + tampered.errorCode(), tampered::toString);
    }
}
