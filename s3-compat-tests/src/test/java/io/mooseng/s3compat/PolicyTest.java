package io.mooseng.s3compat;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.DeleteObjectsResponse;
import software.amazon.awssdk.services.s3.model.ObjectIdentifier;
import software.amazon.awssdk.services.s3.model.S3Error;

import java.net.URI;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static io.mooseng.s3compat.S3Assertions.assertS3Error;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Authorization over real sockets: users with identity policies, bucket policies (Put/Get/Delete,
 * policy status, MalformedPolicy), explicit Deny, anonymous access to a public bucket, conditions.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class PolicyTest {
    @RegisterExtension
    static final ClusterExtension cluster = new ClusterExtension();

    private static S3Client admin;

    @BeforeAll
    static void setUp() {
        admin = cluster.client();
    }

    private static String policy(String... statements) {
        return "{\"Version\":\"2012-10-17\",\"Statement\":[" + String.join(",", statements) + "]}";
    }

    private static String allow(String principal, String actions, String resources) {
        return statement("Allow", principal, actions, resources, null);
    }

    /** @param principal null in an identity policy; else the Principal value as JSON */
    private static String statement(String effect, String principal, String actions, String resources, String condition) {
        return "{\"Effect\":\"" + effect + "\"" + (principal == null ? "" : ",\"Principal\":" + principal) + ",\"Action\":" + actions
                + ",\"Resource\":" + resources + (condition == null ? "" : ",\"Condition\":" + condition) + "}";
    }

    private static S3Client client(S3Keys keys) {
        return S3Clients.sync(cluster.endpoint(), keys);
    }

    private static void put(String bucket, String key) {
        admin.putObject(b -> b.bucket(bucket).key(key), RequestBody.fromString("data of " + key));
    }

    private static String get(S3Client s3, String bucket, String key) {
        return s3.getObjectAsBytes(b -> b.bucket(bucket).key(key)).asUtf8String();
    }

    @Test
    void aReadOnlyUserReadsButCannotWriteOrDelete() {
        String bucket = cluster.newBucket("readonly");
        put(bucket, "a.txt");
        S3Keys keys = cluster.addUser("reader", policy(allow(null, "[\"s3:GetObject\",\"s3:ListBucket\"]",
                "[\"arn:aws:s3:::" + bucket + "\",\"arn:aws:s3:::" + bucket + "/*\"]")));
        try (S3Client reader = client(keys)) {
            assertEquals("data of a.txt", get(reader, bucket, "a.txt"));
            assertEquals(List.of("a.txt"), S3Assertions.allKeys(reader, bucket));
            assertS3Error(403, "AccessDenied", () -> reader.putObject(b -> b.bucket(bucket).key("b.txt"), RequestBody.fromString("x")));
            assertS3Error(403, "AccessDenied", () -> reader.deleteObject(b -> b.bucket(bucket).key("a.txt")));
            assertS3Error(403, "AccessDenied", () -> reader.copyObject(b -> b.sourceBucket(bucket).sourceKey("a.txt")
                    .destinationBucket(bucket).destinationKey("copy.txt")));
            assertS3Error(403, "AccessDenied", reader::listBuckets);
            assertS3Error(403, "AccessDenied", () -> reader.getBucketPolicy(b -> b.bucket(bucket)));
        }
        assertEquals("data of a.txt", get(admin, bucket, "a.txt"));
    }

    @Test
    void aBucketPolicyGrantsAnotherUserAPrefix() {
        String bucket = cluster.newBucket("shared");
        put(bucket, "shared/report.csv");
        put(bucket, "private/diary.txt");
        S3Keys keys = cluster.addUser("bob");
        try (S3Client bob = client(keys)) {
            assertS3Error(403, "AccessDenied", () -> get(bob, bucket, "shared/report.csv"));
            admin.putBucketPolicy(b -> b.bucket(bucket).policy(policy(allow("{\"AWS\":[\"arn:aws:iam::000000000000:user/bob\"]}",
                    "\"s3:GetObject\"", "\"arn:aws:s3:::" + bucket + "/shared/*\""))));
            assertEquals("data of shared/report.csv", get(bob, bucket, "shared/report.csv"), "at once on the gateway that stored it");
            assertS3Error(403, "AccessDenied", () -> get(bob, bucket, "private/diary.txt"));
        }
    }

    @Test
    void theCannedReadOnlyPolicyListsBuckets() {
        String bucket = cluster.newBucket("canned");
        // its Resource is arn:aws:s3:::*, which IAM reads as covering the service-level s3:ListAllMyBuckets too
        try (S3Client reader = client(cluster.addUser("canned-reader", "readonly"))) {
            assertTrue(reader.listBuckets().buckets().stream().anyMatch(b -> b.name().equals(bucket)));
        }
    }

    @Test
    void anExplicitDenyInTheBucketPolicyBeatsTheUsersAllow() {
        String bucket = cluster.newBucket("deny");
        put(bucket, "secret/plan.txt");
        put(bucket, "open/notes.txt");
        S3Keys keys = cluster.addUser("power", policy(allow(null, "\"s3:*\"", "\"*\"")));
        admin.putBucketPolicy(b -> b.bucket(bucket).policy(policy(statement("Deny", "\"*\"", "\"s3:GetObject\"",
                "\"arn:aws:s3:::" + bucket + "/secret/*\"", null))));
        try (S3Client power = client(keys)) {
            assertEquals("data of open/notes.txt", get(power, bucket, "open/notes.txt"));
            assertS3Error(403, "AccessDenied", () -> get(power, bucket, "secret/plan.txt"));
            assertFalse(power.listBuckets().buckets().isEmpty(), "s3:ListAllMyBuckets lists every bucket");
        }
        assertEquals("data of secret/plan.txt", get(admin, bucket, "secret/plan.txt"), "the administrator is never denied");
    }

    @Test
    void anonymousReadsAPublicBucketOnlyAndNeverTheService() throws Exception {
        String bucket = cluster.newBucket("public");
        put(bucket, "index.html");
        SignedHttp http = new SignedHttp(cluster);
        URI object = URI.create(cluster.endpoint() + "/" + bucket + "/index.html");
        URI listing = URI.create(cluster.endpoint() + "/" + bucket);
        assertEquals("AccessDenied", http.sendUnsigned("GET", object, new byte[0]).errorCode());
        admin.putBucketPolicy(b -> b.bucket(bucket).policy(policy(allow("\"*\"", "[\"s3:GetObject\",\"s3:ListBucket\"]",
                "[\"arn:aws:s3:::" + bucket + "\",\"arn:aws:s3:::" + bucket + "/*\"]"))));
        SignedHttp.Response got = http.sendUnsigned("GET", object, new byte[0]);
        assertEquals(200, got.status(), got.toString());
        assertEquals("data of index.html", got.text());
        SignedHttp.Response listed = http.sendUnsigned("GET", listing, new byte[0]);
        assertEquals(200, listed.status(), listed.toString());
        assertTrue(listed.text().contains("<Key>index.html</Key>"), listed.text());
        assertEquals("AccessDenied", http.sendUnsigned("PUT", URI.create(object + "2"), "x".getBytes()).errorCode());
        assertEquals("AccessDenied", http.sendUnsigned("DELETE", object, new byte[0]).errorCode());
        assertEquals("AccessDenied", http.sendUnsigned("GET", URI.create(cluster.endpoint() + "/"), new byte[0]).errorCode());
        assertTrue(admin.getBucketPolicyStatus(b -> b.bucket(bucket)).policyStatus().isPublic());
    }

    @Test
    void aSourceIpConditionSeesTheCallersAddress() {
        String bucket = cluster.newBucket("sourceip");
        put(bucket, "local/a");
        put(bucket, "office/b");
        S3Keys keys = cluster.addUser("carol");
        admin.putBucketPolicy(b -> b.bucket(bucket).policy(policy(
                statement("Allow", "{\"AWS\":\"carol\"}", "\"s3:GetObject\"", "\"arn:aws:s3:::" + bucket + "/local/*\"",
                        "{\"IpAddress\":{\"aws:SourceIp\":\"127.0.0.1/32\"}}"),
                statement("Allow", "{\"AWS\":\"carol\"}", "\"s3:GetObject\"", "\"arn:aws:s3:::" + bucket + "/office/*\"",
                        "{\"IpAddress\":{\"aws:SourceIp\":[\"10.0.0.0/8\",\"192.168.0.0/16\"]}}"))));
        try (S3Client carol = client(keys)) {
            assertEquals("data of local/a", get(carol, bucket, "local/a"));
            assertS3Error(403, "AccessDenied", () -> get(carol, bucket, "office/b"));
        }
        assertFalse(admin.getBucketPolicyStatus(b -> b.bucket(bucket)).policyStatus().isPublic());
    }

    @Test
    void policiesRoundTripAndMalformedOnesAreRefused() {
        String bucket = cluster.newBucket("roundtrip");
        assertS3Error(404, "NoSuchBucketPolicy", () -> admin.getBucketPolicy(b -> b.bucket(bucket)));
        assertS3Error(404, "NoSuchBucketPolicy", () -> admin.getBucketPolicyStatus(b -> b.bucket(bucket)));
        String text = policy(allow("{\"AWS\":\"dave\"}", "\"s3:GetObject\"", "\"arn:aws:s3:::" + bucket + "/*\""));
        admin.putBucketPolicy(b -> b.bucket(bucket).policy(text));
        assertEquals(text, admin.getBucketPolicy(b -> b.bucket(bucket)).policy());
        assertFalse(admin.getBucketPolicyStatus(b -> b.bucket(bucket)).policyStatus().isPublic());
        assertS3Error(400, "MalformedPolicy", () -> admin.putBucketPolicy(b -> b.bucket(bucket).policy("{\"Statement\":[]}")));
        var wrongBucket = assertS3Error(400, "MalformedPolicy", () -> admin.putBucketPolicy(b -> b.bucket(bucket)
                .policy(policy(allow("\"*\"", "\"s3:GetObject\"", "\"arn:aws:s3:::elsewhere/*\"")))));
        assertTrue(wrongBucket.awsErrorDetails().errorMessage().contains("invalid resource"), wrongBucket.getMessage());
        assertEquals(text, admin.getBucketPolicy(b -> b.bucket(bucket)).policy(), "a refused policy changes nothing");
        admin.deleteBucketPolicy(b -> b.bucket(bucket));
        assertS3Error(404, "NoSuchBucketPolicy", () -> admin.getBucketPolicy(b -> b.bucket(bucket)));
    }

    @Test
    void deleteObjectsDeletesTheKeysAllowedAndReportsTheOthers() {
        String bucket = cluster.newBucket("deletes");
        put(bucket, "tmp/a");
        put(bucket, "keep/b");
        S3Keys keys = cluster.addUser("cleaner", policy(allow(null, "\"s3:DeleteObject\"", "\"arn:aws:s3:::" + bucket + "/tmp/*\"")));
        try (S3Client cleaner = client(keys)) {
            DeleteObjectsResponse r = cleaner.deleteObjects(b -> b.bucket(bucket).delete(d -> d.objects(
                    ObjectIdentifier.builder().key("tmp/a").build(), ObjectIdentifier.builder().key("keep/b").build())));
            assertEquals(List.of("tmp/a"), r.deleted().stream().map(d -> d.key()).toList());
            assertEquals(List.of("keep/b AccessDenied"), r.errors().stream().map((S3Error e) -> e.key() + " " + e.code()).toList());
        }
        assertEquals(List.of("keep/b"), S3Assertions.allKeys(admin, bucket));
    }
}
