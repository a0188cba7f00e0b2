package io.mooseng.s3compat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.mooseng.core.security.ClusterKey;
import io.mooseng.core.security.ClusterKeys;
import io.mooseng.metadata.client.RaftMetadataService;
import io.mooseng.s3.auth.NamespaceCredentials;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.S3Exception;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Users and keys kept in the namespace, managed with `mooseng admin user|key`, used through S3. */
class IdentityTest {
    @RegisterExtension
    static final ClusterExtension cluster = new ClusterExtension();
    private static final ObjectMapper JSON = new ObjectMapper();

    private static String admin(String... args) {
        return cluster.admin(args);
    }

    private static S3Keys newKey(String user, String... options) {
        return cluster.newKey(user, options);
    }

    private static S3Client client(S3Keys keys) {
        return S3Clients.sync(cluster.endpoint(), keys);
    }

    /** Polls until the key is refused (gateways poll for changes every second). */
    private static void assertRefusedSoon(S3Client s3, String bucket) throws InterruptedException {
        long deadline = System.nanoTime() + 5_000_000_000L;
        while (true) {
            try {
                s3.listObjectsV2(b -> b.bucket(bucket).maxKeys(1));
            } catch (S3Exception e) {
                assertEquals(403, e.statusCode(), e.getMessage());
                assertEquals("InvalidAccessKeyId", e.awsErrorDetails().errorCode(), e.getMessage());
                return;
            }
            assertTrue(System.nanoTime() < deadline, "key still accepted after 5 s");
            Thread.sleep(100);
        }
    }

    @Test
    void aNewKeyWorksAtOnceAndARevokedOneStopsWithinASecond() throws Exception {
        String bucket = cluster.newBucket("identity");
        admin("user", "add", "carol", "--policy", "readwrite");
        S3Keys key = newKey("carol");
        try (S3Client s3 = client(key)) {
            s3.headBucket(b -> b.bucket(bucket));
            String listed = admin("key", "list", "--user", "carol");
            assertTrue(listed.contains(key.accessKey()), listed);
            assertFalse(listed.contains(key.secretKey()), "key list shows no secret");
            admin("key", "revoke", key.accessKey());
            long revoked = System.nanoTime();
            assertRefusedSoon(s3, bucket);
            assertTrue(System.nanoTime() - revoked < 2_500_000_000L, "refused within the poll interval");
            S3Exception e = assertThrows(S3Exception.class, () -> s3.headBucket(b -> b.bucket(bucket)));
            assertEquals(403, e.statusCode());
        }
    }

    @Test
    void aKeyPairMadeElsewhereIsAddedWithoutItsSecretOnTheCommandLine() throws Exception {
        String bucket = cluster.newBucket("identity");
        admin("user", "add", "gina", "--policy", "readwrite");
        Path secretFile = Files.createTempFile("mooseng-secret-", "");
        try {
            S3Keys pair = new S3Keys("GINASYNCKEY0000001", "a-secret-made-in-another-zone-0123456789");
            Files.writeString(secretFile, pair.secretKey() + "\n");
            String printed = admin("key", "create", "--user", "gina", "--access-key", pair.accessKey(), "--secret-key-file", secretFile.toString());
            assertFalse(printed.contains(pair.secretKey()), "an imported secret is not printed back: " + printed);
            try (S3Client s3 = client(pair)) {
                s3.headBucket(b -> b.bucket(bucket));
            }
            Files.writeString(secretFile, "short\n");
            assertNotEquals(0, run("key", "create", "--user", "gina", "--access-key", "GINASHORT", "--secret-key-file", secretFile.toString()),
                    "a secret under 16 characters is refused");
            assertFalse(admin("key", "list", "--user", "gina").contains("GINASHORT"));
            assertNotEquals(0, run("key", "create", "--user", "gina", "--access-key", pair.accessKey(), "--secret-key-file", secretFile.toString()),
                    "a key id in use is refused");
        } finally {
            Files.deleteIfExists(secretFile);
        }
    }

    @Test
    void disablingOrRemovingAUserStopsItsKeys() throws Exception {
        String bucket = cluster.newBucket("identity");
        admin("user", "add", "dave", "--policy", "readwrite");
        S3Keys first = newKey("dave");
        S3Keys second = newKey("dave");
        try (S3Client a = client(first); S3Client b = client(second)) {
            a.headBucket(r -> r.bucket(bucket));
            b.headBucket(r -> r.bucket(bucket));
            admin("user", "disable", "dave");
            assertRefusedSoon(a, bucket);
            assertRefusedSoon(b, bucket);
            admin("user", "enable", "dave");
            Thread.sleep(1_500);
            a.headBucket(r -> r.bucket(bucket));
            admin("user", "remove", "dave");
            assertRefusedSoon(a, bucket);
            assertFalse(admin("key", "list").contains(second.accessKey()), "a removed user's keys are gone");
        }
    }

    @Test
    void aKeyStopsWorkingWhenItExpires() throws Exception {
        String bucket = cluster.newBucket("identity");
        admin("user", "add", "erin", "--policy", "readwrite");
        S3Keys key = newKey("erin", "--expires", "3s");
        try (S3Client s3 = client(key)) {
            s3.headBucket(b -> b.bucket(bucket));
            assertRefusedSoon(s3, bucket);
        }
    }

    @Test
    void usersAreListedAndBadNamesAndDuplicatesRefused() throws Exception {
        admin("user", "add", "frank", "--policy", "readwrite");
        JsonNode users = JSON.readTree(admin("user", "list", "--json"));
        boolean found = false;
        for (JsonNode u : users) {
            if (u.get("name").asText().equals("frank")) {
                found = true;
                assertEquals(1, u.get("policies").size());
            }
            if (u.get("name").asText().equals("admin")) {
                assertTrue(u.get("root").asBoolean(), "the first start's user is the administrator");
            }
        }
        assertTrue(found, users.toString());
        assertEquals(1, run("user", "add", "frank"), "a second user of one name is refused");
        assertEquals(1, run("user", "add", "no/slash"), "names follow IAM's rule");
        assertEquals(1, run("user", "add", "x", "--policy", "{not json"), "a policy that is not JSON is refused");
        assertEquals(1, run("key", "create", "--user", "nobody"), "keys belong to existing users");
    }

    @Test
    void secretsAreSealedAtRest() throws Exception {
        admin("user", "add", "grace");
        S3Keys key = newKey("grace");
        Path data = cluster.dataDir();
        // the metadata store, its log and snapshots hold the sealed form only
        try (Stream<Path> files = Files.walk(data.resolve("meta"))) {
            for (Path f : files.filter(Files::isRegularFile).toList()) {
                String text = new String(Files.readAllBytes(f), StandardCharsets.ISO_8859_1);
                assertFalse(text.contains(key.secretKey()), "secret in clear in " + f);
                assertFalse(text.contains(cluster.keys().secretKey()), "the administrator's secret in clear in " + f);
            }
        }
        // a gateway with another cluster key cannot open them, and is refused at start
        Path other = Files.createTempDirectory("mooseng-otherkey-");
        try (RaftMetadataService metadata = RaftMetadataService.connect(List.of(masters()))) {
            Exception e = assertThrows(Exception.class, () -> NamespaceCredentials.open(metadata,
                    ClusterKeys.load(other.resolve(ClusterKey.FILE)), "somekey", "somesecret", System::currentTimeMillis));
            assertTrue(String.valueOf(e.getMessage()).contains("cluster key"), String.valueOf(e));
        } finally {
            TempDirs.delete(other);
        }
    }

    private static String masters() {
        return cluster.cluster().raftAddress().toString();
    }

    private static int run(String... args) {
        return AdminCli.execute(masters(), args).status();
    }
}
