package io.mooseng.s3compat;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.BucketVersioningStatus;
import software.amazon.awssdk.services.s3.model.DeleteObjectResponse;
import software.amazon.awssdk.services.s3.model.DeleteObjectsResponse;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;
import software.amazon.awssdk.services.s3.model.ObjectIdentifier;
import software.amazon.awssdk.services.s3.model.ObjectLockConfiguration;
import software.amazon.awssdk.services.s3.model.ObjectLockEnabled;
import software.amazon.awssdk.services.s3.model.ObjectLockLegalHoldStatus;
import software.amazon.awssdk.services.s3.model.ObjectLockMode;
import software.amazon.awssdk.services.s3.model.ObjectLockRetention;
import software.amazon.awssdk.services.s3.model.ObjectLockRetentionMode;
import software.amazon.awssdk.services.s3.model.PutObjectRequest;
import software.amazon.awssdk.services.s3.model.Tag;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Base64;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

import static io.mooseng.s3compat.S3Assertions.assertS3Error;
import static io.mooseng.s3compat.S3Assertions.assertS3Status;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * S3 Object Lock: buckets created with it, default retention, GOVERNANCE (bypass with the permission), COMPLIANCE (nobody, the
 * admin included), legal holds, and what a write with lock headers must carry. One cluster for all.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class ObjectLockTest {
    @RegisterExtension
    static final ClusterExtension cluster = new ClusterExtension();

    private static final byte[] DATA = "locked content".getBytes(StandardCharsets.UTF_8);
    private static S3Client s3;

    @BeforeAll
    static void setUp() {
        s3 = cluster.client();
    }

    private static String lockedBucket(String hint) {
        String name = hint + "-" + System.nanoTime() % 1_000_000;
        s3.createBucket(b -> b.bucket(name).objectLockEnabledForBucket(true));
        return name;
    }

    private static String put(S3Client client, String bucket, String key, Consumer<PutObjectRequest.Builder> lock) {
        return client.putObject(b -> {
            b.bucket(bucket).key(key);
            lock.accept(b);
        }, RequestBody.fromBytes(DATA)).versionId();
    }

    private static Instant inAnHour() {
        return Instant.now().plus(Duration.ofHours(1)).truncatedTo(ChronoUnit.SECONDS);
    }

    @Test
    void aBucketCreatedWithObjectLockIsVersionedForGoodAndOthersHaveNoLock() throws Exception {
        String bucket = lockedBucket("lock-setting");
        assertEquals(BucketVersioningStatus.ENABLED, s3.getBucketVersioning(b -> b.bucket(bucket)).status());
        ObjectLockConfiguration config = s3.getObjectLockConfiguration(b -> b.bucket(bucket)).objectLockConfiguration();
        assertEquals(ObjectLockEnabled.ENABLED, config.objectLockEnabled());
        assertNull(config.rule());
        assertS3Error(409, "InvalidBucketState", () -> s3.putBucketVersioning(b -> b.bucket(bucket)
                .versioningConfiguration(c -> c.status(BucketVersioningStatus.SUSPENDED))));

        SignedHttp http = new SignedHttp(cluster);
        byte[] noPeriod = ("<ObjectLockConfiguration><ObjectLockEnabled>Enabled</ObjectLockEnabled><Rule><DefaultRetention>"
                + "<Mode>GOVERNANCE</Mode></DefaultRetention></Rule></ObjectLockConfiguration>").getBytes(StandardCharsets.UTF_8);
        SignedHttp.Response malformed = http.send("PUT", "/" + bucket + "?object-lock", Map.of("Content-MD5", md5(noPeriod)), noPeriod);
        assertEquals(400, malformed.status(), malformed.toString());
        assertEquals("MalformedXML", malformed.errorCode());

        String plain = cluster.newBucket("no-lock");
        assertS3Error(404, "ObjectLockConfigurationNotFoundError", () -> s3.getObjectLockConfiguration(b -> b.bucket(plain)));
        assertS3Error(400, "InvalidRequest", () -> s3.putObjectLockConfiguration(b -> b.bucket(plain).objectLockConfiguration(c -> c
                .objectLockEnabled(ObjectLockEnabled.ENABLED))));
        s3.putObject(b -> b.bucket(plain).key("k"), RequestBody.fromBytes(DATA));
        assertS3Error(400, "InvalidRequest", () -> s3.putObjectRetention(b -> b.bucket(plain).key("k").retention(r -> r
                .mode(ObjectLockRetentionMode.GOVERNANCE).retainUntilDate(inAnHour()))));
        assertS3Error(400, "InvalidRequest", () -> put(s3, plain, "held", b -> b.objectLockLegalHoldStatus(ObjectLockLegalHoldStatus.ON)));
    }

    @Test
    void theDefaultRetentionLocksNewVersionsWhileADeleteWithoutVersionIdMakesAMarker() {
        String bucket = lockedBucket("lock-default");
        s3.putObjectLockConfiguration(b -> b.bucket(bucket).objectLockConfiguration(c -> c.objectLockEnabled(ObjectLockEnabled.ENABLED)
                .rule(r -> r.defaultRetention(d -> d.mode(ObjectLockRetentionMode.GOVERNANCE).days(1)))));
        assertEquals(1, s3.getObjectLockConfiguration(b -> b.bucket(bucket)).objectLockConfiguration().rule().defaultRetention().days());
        Instant before = Instant.now();
        String version = put(s3, bucket, "doc", b -> { });
        HeadObjectResponse head = s3.headObject(b -> b.bucket(bucket).key("doc"));
        assertEquals(ObjectLockMode.GOVERNANCE, head.objectLockMode());
        Instant until = head.objectLockRetainUntilDate();
        assertTrue(!until.isBefore(before.plus(Duration.ofDays(1)).minusSeconds(1)) && until.isBefore(Instant.now().plus(Duration.ofDays(1))),
                "retained a day from the write: " + until);
        assertEquals(ObjectLockRetentionMode.GOVERNANCE, s3.getObjectRetention(b -> b.bucket(bucket).key("doc").versionId(version))
                .retention().mode());

        assertS3Error(403, "AccessDenied", () -> s3.deleteObject(b -> b.bucket(bucket).key("doc").versionId(version)));
        DeleteObjectsResponse batch = s3.deleteObjects(b -> b.bucket(bucket).delete(d -> d.objects(
                ObjectIdentifier.builder().key("doc").versionId(version).build())));
        assertEquals("AccessDenied", batch.errors().getFirst().code());

        // as S3: a delete without a version id hides the key behind a marker; the locked version stays
        DeleteObjectResponse marked = s3.deleteObject(b -> b.bucket(bucket).key("doc"));
        assertTrue(marked.deleteMarker());
        assertArrayEquals(DATA, s3.getObjectAsBytes(b -> b.bucket(bucket).key("doc").versionId(version)).asByteArray());
        s3.deleteObject(b -> b.bucket(bucket).key("doc").versionId(marked.versionId()));
        assertArrayEquals(DATA, s3.getObjectAsBytes(b -> b.bucket(bucket).key("doc")).asByteArray());
        // the admin's key carries every permission, the bypass included
        s3.deleteObject(b -> b.bucket(bucket).key("doc").versionId(version).bypassGovernanceRetention(true));
    }

    @Test
    void governanceIsBypassedOnlyWithThePermission() {
        String bucket = lockedBucket("lock-governance");
        String actions = "\"s3:GetObject\",\"s3:GetObjectVersion\",\"s3:PutObject\",\"s3:DeleteObject\",\"s3:DeleteObjectVersion\","
                + "\"s3:PutObjectRetention\",\"s3:GetObjectRetention\"";
        S3Keys plainKeys = cluster.addUser("lock-plain", policy(bucket, actions));
        S3Keys bypassKeys = cluster.addUser("lock-bypass", policy(bucket, actions + ",\"s3:BypassGovernanceRetention\""));
        String version = put(s3, bucket, "gov", b -> b.objectLockMode(ObjectLockMode.GOVERNANCE).objectLockRetainUntilDate(inAnHour()));
        Instant sooner = Instant.now().plus(Duration.ofMinutes(5)).truncatedTo(ChronoUnit.SECONDS);
        try (S3Client plain = S3Clients.sync(cluster.endpoint(), plainKeys); S3Client bypass = S3Clients.sync(cluster.endpoint(), bypassKeys)) {
            assertS3Error(403, "AccessDenied", () -> plain.deleteObject(b -> b.bucket(bucket).key("gov").versionId(version)
                    .bypassGovernanceRetention(true)));
            assertS3Error(403, "AccessDenied", () -> plain.putObjectRetention(b -> b.bucket(bucket).key("gov").versionId(version)
                    .bypassGovernanceRetention(true).retention(r -> r.mode(ObjectLockRetentionMode.GOVERNANCE).retainUntilDate(sooner))));
            assertS3Error(403, "AccessDenied", () -> bypass.deleteObject(b -> b.bucket(bucket).key("gov").versionId(version)));

            bypass.putObjectRetention(b -> b.bucket(bucket).key("gov").versionId(version).bypassGovernanceRetention(true)
                    .retention(r -> r.mode(ObjectLockRetentionMode.GOVERNANCE).retainUntilDate(sooner)));
            assertEquals(sooner, s3.getObjectRetention(b -> b.bucket(bucket).key("gov").versionId(version)).retention().retainUntilDate());
            bypass.deleteObject(b -> b.bucket(bucket).key("gov").versionId(version).bypassGovernanceRetention(true));
        }
        assertS3Status(404, () -> s3.headObject(b -> b.bucket(bucket).key("gov").versionId(version)));
    }

    @Test
    void complianceIsNeverShortenedNorDeletedEvenByTheAdmin() {
        String bucket = lockedBucket("lock-compliance");
        Instant until = inAnHour();
        String version = put(s3, bucket, "law", b -> b.objectLockMode(ObjectLockMode.COMPLIANCE).objectLockRetainUntilDate(until));
        assertEquals(ObjectLockMode.COMPLIANCE, s3.headObject(b -> b.bucket(bucket).key("law")).objectLockMode());
        assertS3Error(403, "AccessDenied", () -> s3.deleteObject(b -> b.bucket(bucket).key("law").versionId(version)
                .bypassGovernanceRetention(true)));
        assertS3Error(403, "AccessDenied", () -> s3.putObjectRetention(b -> b.bucket(bucket).key("law").versionId(version)
                .bypassGovernanceRetention(true).retention(r -> r.mode(ObjectLockRetentionMode.COMPLIANCE).retainUntilDate(until.minusSeconds(60)))));
        assertS3Error(403, "AccessDenied", () -> s3.putObjectRetention(b -> b.bucket(bucket).key("law").versionId(version)
                .bypassGovernanceRetention(true).retention(r -> r.mode(ObjectLockRetentionMode.GOVERNANCE).retainUntilDate(until))));

        Instant later = until.plus(Duration.ofHours(1));
        s3.putObjectRetention(b -> b.bucket(bucket).key("law").versionId(version)
                .retention(ObjectLockRetention.builder().mode(ObjectLockRetentionMode.COMPLIANCE).retainUntilDate(later).build()));
        assertEquals(later, s3.getObjectRetention(b -> b.bucket(bucket).key("law").versionId(version)).retention().retainUntilDate());
        // a copy takes the lock its request names, never its source's
        s3.copyObject(b -> b.sourceBucket(bucket).sourceKey("law").sourceVersionId(version).destinationBucket(bucket).destinationKey("copy"));
        assertNull(s3.headObject(b -> b.bucket(bucket).key("copy")).objectLockMode());
        s3.copyObject(b -> b.sourceBucket(bucket).sourceKey("law").destinationBucket(bucket).destinationKey("held-copy")
                .objectLockLegalHoldStatus(ObjectLockLegalHoldStatus.ON));
        assertEquals(ObjectLockLegalHoldStatus.ON, s3.headObject(b -> b.bucket(bucket).key("held-copy")).objectLockLegalHoldStatus());
        // an overwrite is a new version: the locked one stays as it was
        put(s3, bucket, "law", b -> { });
        assertArrayEquals(DATA, s3.getObjectAsBytes(b -> b.bucket(bucket).key("law").versionId(version)).asByteArray());
        assertNull(s3.headObject(b -> b.bucket(bucket).key("law")).objectLockMode());
    }

    @Test
    void aLegalHoldBlocksDeletionUntilLifted() {
        String bucket = lockedBucket("lock-hold");
        String version = put(s3, bucket, "held", b -> b.objectLockLegalHoldStatus(ObjectLockLegalHoldStatus.ON));
        assertEquals(ObjectLockLegalHoldStatus.ON, s3.headObject(b -> b.bucket(bucket).key("held")).objectLockLegalHoldStatus());
        assertS3Error(404, "NoSuchObjectLockConfiguration", () -> s3.getObjectRetention(b -> b.bucket(bucket).key("held")));
        assertS3Error(403, "AccessDenied", () -> s3.deleteObject(b -> b.bucket(bucket).key("held").versionId(version)
                .bypassGovernanceRetention(true)));
        // a tag change rewrites the manifest, never the lock
        s3.putObjectTagging(b -> b.bucket(bucket).key("held").tagging(t -> t.tagSet(Tag.builder().key("case").value("42").build())));
        assertEquals(ObjectLockLegalHoldStatus.ON, s3.headObject(b -> b.bucket(bucket).key("held")).objectLockLegalHoldStatus());
        s3.putObjectLegalHold(b -> b.bucket(bucket).key("held").versionId(version).legalHold(h -> h.status(ObjectLockLegalHoldStatus.OFF)));
        assertEquals(ObjectLockLegalHoldStatus.OFF, s3.getObjectLegalHold(b -> b.bucket(bucket).key("held").versionId(version))
                .legalHold().status());
        s3.deleteObject(b -> b.bucket(bucket).key("held").versionId(version));
        assertS3Status(404, () -> s3.headObject(b -> b.bucket(bucket).key("held")));

        String upload = s3.createMultipartUpload(b -> b.bucket(bucket).key("parts").objectLockMode(ObjectLockMode.GOVERNANCE)
                .objectLockRetainUntilDate(inAnHour())).uploadId();
        String etag = s3.uploadPart(b -> b.bucket(bucket).key("parts").uploadId(upload).partNumber(1), RequestBody.fromBytes(DATA)).eTag();
        String parts = s3.completeMultipartUpload(b -> b.bucket(bucket).key("parts").uploadId(upload)
                .multipartUpload(m -> m.parts(p -> p.partNumber(1).eTag(etag)))).versionId();
        assertEquals(ObjectLockMode.GOVERNANCE, s3.headObject(b -> b.bucket(bucket).key("parts")).objectLockMode());
        assertS3Error(403, "AccessDenied", () -> s3.deleteObject(b -> b.bucket(bucket).key("parts").versionId(parts)));
    }

    @Test
    void aWriteWithLockHeadersNeedsContentMd5OrAChecksum() throws Exception {
        String bucket = lockedBucket("lock-integrity");
        SignedHttp http = new SignedHttp(cluster);
        Map<String, String> hold = Map.of("x-amz-object-lock-legal-hold", "ON");
        SignedHttp.Response bare = http.send("PUT", "/" + bucket + "/bare", hold, DATA);
        assertEquals(400, bare.status(), bare.toString());
        assertEquals("InvalidRequest", bare.errorCode());
        assertTrue(bare.text().contains("Content-MD5 OR x-amz-checksum- HTTP header is required"), bare.text());
        SignedHttp.Response withMd5 = http.send("PUT", "/" + bucket + "/md5", Map.of("x-amz-object-lock-legal-hold", "ON",
                "Content-MD5", md5(DATA)), DATA);
        assertEquals(200, withMd5.status(), withMd5.toString());
        SignedHttp.Response halfRetention = http.send("PUT", "/" + bucket + "/half", Map.of("x-amz-object-lock-mode", "GOVERNANCE",
                "Content-MD5", md5(DATA)), DATA);
        assertEquals(400, halfRetention.status(), halfRetention.toString());
        assertEquals("InvalidArgument", halfRetention.errorCode());
    }

    private static String policy(String bucket, String actions) {
        return "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Action\":[" + actions
                + "],\"Resource\":[\"arn:aws:s3:::" + bucket + "/*\"]}]}";
    }

    private static String md5(byte[] body) throws Exception {
        return Base64.getEncoder().encodeToString(MessageDigest.getInstance("MD5").digest(body));
    }
}
