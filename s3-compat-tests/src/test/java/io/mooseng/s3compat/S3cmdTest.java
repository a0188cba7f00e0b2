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
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Debian's s3cmd in its default-like configuration ({@link S3cmd}) against a gateway without a configured region. */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class S3cmdTest {
    @RegisterExtension
    static final ClusterExtension cluster = new ClusterExtension();

    @TempDir
    static Path tmp;
    private static S3cmd s3cmd;
    private static S3cmd s3cmdV2;

    @BeforeAll
    static void configure() throws IOException {
        s3cmd = S3cmd.configured(cluster, tmp, "s3cfg");
        s3cmdV2 = S3cmd.configured(cluster, tmp, "s3cfg-v2", "signature_v2 = True");
    }

    @Test
    void mbPutLsGetDelRbWithTheDefaultConfiguration() throws Exception {
        byte[] data = TestData.bytes(31, 200_000);
        Path file = Files.write(tmp.resolve("upload.bin"), data);
        Path back = tmp.resolve("download.bin");

        s3cmd.ok("mb", "s3://s3cmd-basic");
        s3cmd.ok("put", file.toString(), "s3://s3cmd-basic/dir/upload.bin");
        String listed = s3cmd.ok("ls", "s3://s3cmd-basic/dir/");
        s3cmd.ok("get", "s3://s3cmd-basic/dir/upload.bin", back.toString());
        s3cmd.ok("del", "s3://s3cmd-basic/dir/upload.bin");
        String empty = s3cmd.ok("ls", "s3://s3cmd-basic/dir/");
        s3cmd.ok("rb", "s3://s3cmd-basic");

        assertTrue(listed.contains("200000") && listed.contains("s3://s3cmd-basic/dir/upload.bin"), listed);
        assertArrayEquals(data, Files.readAllBytes(back));
        assertTrue(empty.isBlank(), empty);
        assertTrue(cluster.client().listBuckets().buckets().stream().noneMatch(b -> b.name().equals("s3cmd-basic")));
    }

    @Test
    void infoAndSetaclPrivateWorkAndPublicIsRefused() throws Exception {
        Path file = Files.writeString(tmp.resolve("acl.txt"), "acl");
        s3cmd.ok("mb", "s3://s3cmd-acl");
        s3cmd.ok("put", file.toString(), "s3://s3cmd-acl/acl.txt");

        String objectInfo = s3cmd.ok("info", "s3://s3cmd-acl/acl.txt");
        String bucketInfo = s3cmd.ok("info", "s3://s3cmd-acl");
        s3cmd.ok("setacl", "--acl-private", "s3://s3cmd-acl/acl.txt");
        S3cmd.Result publicAcl = s3cmd.run("setacl", "--acl-public", "s3://s3cmd-acl/acl.txt");

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

        s3cmdV2.ok("mb", "s3://s3cmd-v2");
        s3cmdV2.ok("put", file.toString(), "s3://s3cmd-v2/v2 dir/v2.bin");
        String listed = s3cmdV2.ok("ls", "s3://s3cmd-v2/v2 dir/");
        s3cmdV2.ok("get", "s3://s3cmd-v2/v2 dir/v2.bin", back.toString());
        URI signed = URI.create(s3cmdV2.ok("signurl", "s3://s3cmd-v2/v2 dir/v2.bin", "+300").trim());
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
