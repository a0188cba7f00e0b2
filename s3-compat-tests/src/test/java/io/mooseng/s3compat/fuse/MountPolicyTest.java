package io.mooseng.s3compat.fuse;

import io.mooseng.core.error.MooseException;
import io.mooseng.fuse.MountKey;
import io.mooseng.s3compat.AdminCli;
import io.mooseng.s3compat.S3Keys;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.core.sync.RequestBody;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A mount started with a user's access key does what that user's policies allow and nothing
 * else (EACCES), and stops within seconds when the user is disabled or the key revoked.
 */
class MountPolicyTest {
    @RegisterExtension
    static final MountedCluster cluster = new MountedCluster();

    /** Reads bucket mp-a; reads and writes mp-b under team/ only, and may list mp-b's top to get there. */
    private static final String POLICY = """
            {"Version": "2012-10-17", "Statement": [
              {"Effect": "Allow", "Action": ["s3:ListBucket", "s3:GetObject"], "Resource": ["arn:aws:s3:::mp-a", "arn:aws:s3:::mp-a/*"]},
              {"Effect": "Allow", "Action": "s3:ListBucket", "Resource": "arn:aws:s3:::mp-b",
               "Condition": {"StringLike": {"s3:prefix": ["", "team/*"]}}},
              {"Effect": "Allow", "Action": ["s3:GetObject", "s3:PutObject", "s3:DeleteObject"], "Resource": "arn:aws:s3:::mp-b/team/*"}]}""";

    private static String masters() {
        return cluster.cluster().raftAddress().toString();
    }

    private static List<String> list(Path dir) throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

    /** Polls (up to 5 s: mounts ask for identity changes every second) until the call ends with {@code errno}. */
    private static void awaitErrno(String errno, Errno.IoCall call) throws InterruptedException {
        long deadline = System.nanoTime() + 5_000_000_000L;
        String last;
        while (!(last = Errno.of(call)).equals(errno)) {
            assertTrue(System.nanoTime() < deadline, "still " + last + " after 5 s, expected " + errno);
            Thread.sleep(100);
        }
    }

    @Test
    void aMountDoesWhatItsUsersPoliciesAllowUntilTheUserIsDisabledOrTheKeyRevoked() throws Exception {
        cluster.s3().createBucket(b -> b.bucket("mp-a"));
        cluster.s3().createBucket(b -> b.bucket("mp-b"));
        cluster.s3().putObject(b -> b.bucket("mp-a").key("doc.txt"), RequestBody.fromString("readable"));
        cluster.s3().putObject(b -> b.bucket("mp-b").key("team/seed.txt"), RequestBody.fromString("seed"));
        S3Keys key = AdminCli.addUser(masters(), "mountie", POLICY);
        Path root = cluster.mountWithKey(new MountKey(key.accessKey(), key.secretKey()));
        Path a = root.resolve("mp-a");
        Path b = root.resolve("mp-b");

        assertEquals("readable", Files.readString(a.resolve("doc.txt")));
        assertEquals(List.of("doc.txt"), list(a));
        assertEquals("EACCES", Errno.of(() -> Files.writeString(a.resolve("new.txt"), "no")), "a new file in a read-only bucket");
        assertEquals("EACCES", Errno.of(() -> Files.writeString(a.resolve("doc.txt"), "no")), "a rewrite in a read-only bucket");
        assertEquals("EACCES", Errno.of(() -> Files.delete(a.resolve("doc.txt"))));
        assertEquals("readable", cluster.s3().getObjectAsBytes(r -> r.bucket("mp-a").key("doc.txt")).asUtf8String());

        Files.writeString(b.resolve("team/x.txt"), "written through the mount");
        assertEquals("written through the mount", cluster.s3().getObjectAsBytes(r -> r.bucket("mp-b").key("team/x.txt")).asUtf8String());
        assertEquals(List.of("seed.txt", "x.txt"), list(b.resolve("team")));
        assertEquals(List.of("team"), list(b));
        assertEquals("EACCES", Errno.of(() -> Files.writeString(b.resolve("other.txt"), "no")), "outside team/");
        assertEquals("EACCES", Errno.of(() -> Files.move(b.resolve("team/x.txt"), b.resolve("moved.txt"))), "a rename out of team/");
        assertEquals("EACCES", Errno.of(() -> list(root)), "listing buckets needs s3:ListAllMyBuckets");

        AdminCli.run(masters(), "user", "disable", "mountie");
        awaitErrno("EACCES", () -> Files.readString(a.resolve("doc.txt")));
        assertEquals("EACCES", Errno.of(() -> Files.writeString(b.resolve("team/y.txt"), "no")));
        AdminCli.run(masters(), "user", "enable", "mountie");
        awaitErrno(Errno.OK, () -> Files.readString(a.resolve("doc.txt")));
        AdminCli.run(masters(), "key", "revoke", key.accessKey());
        awaitErrno("EACCES", () -> Files.readString(a.resolve("doc.txt")));
    }

    @Test
    void aMountWithAWrongSecretRefusesToStart() {
        S3Keys key = AdminCli.addUser(masters(), "wrongsecret", "readonly");
        MooseException e = assertThrows(MooseException.class, () -> cluster.mountWithKey(new MountKey(key.accessKey(), key.secretKey() + "x")));
        assertTrue(e.getMessage().contains("the secret key does not match access key " + key.accessKey()), e.getMessage());
    }
}
