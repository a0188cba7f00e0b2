package io.mooseng.s3compat;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.auth.credentials.AwsSessionCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.presigner.S3Presigner;
import software.amazon.awssdk.services.sts.StsClient;
import software.amazon.awssdk.services.sts.model.AssumeRoleRequest;
import software.amazon.awssdk.services.sts.model.Credentials;
import software.amazon.awssdk.services.sts.model.StsException;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;

import static io.mooseng.s3compat.S3Assertions.assertS3Error;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Temporary credentials through the AWS SDK's own STS client against a gateway: AssumeRole with
 * and without a session policy, the credentials signing S3 requests (headers and presigned URLs),
 * GetCallerIdentity, and every way a session is refused: tampered tokens, a revoked parent key,
 * out-of-range parameters, role chaining, an explicit deny of sts:AssumeRole.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class StsTest {
    private static final String ROLE = "arn:aws:iam::000000000000:role/any";

    @RegisterExtension
    static final ClusterExtension cluster = new ClusterExtension();

    private static String bucket;
    private static S3Keys writer;
    private static StsClient writerSts;

    @BeforeAll
    static void setUp() {
        bucket = cluster.newBucket("sts");
        cluster.client().putObject(b -> b.bucket(bucket).key("a.txt"), RequestBody.fromString("data of a.txt"));
        writer = cluster.addUser("sts-writer", "readwrite");
        writerSts = sts(writer.accessKey(), writer.secretKey(), null);
    }

    @AfterAll
    static void tearDown() {
        writerSts.close();
    }

    private static StsClient sts(String accessKey, String secretKey, String token) {
        return StsClient.builder().endpointOverride(cluster.endpoint()).region(S3Clients.REGION)
                .credentialsProvider(StaticCredentialsProvider.create(token == null
                        ? software.amazon.awssdk.auth.credentials.AwsBasicCredentials.create(accessKey, secretKey)
                        : AwsSessionCredentials.create(accessKey, secretKey, token)))
                .build();
    }

    private static Credentials assume(StsClient client, UnaryOperator<AssumeRoleRequest.Builder> request) {
        return client.assumeRole(b -> request.apply(b.roleArn(ROLE).roleSessionName("test-session"))).credentials();
    }

    private static AwsSessionCredentials session(Credentials c) {
        return AwsSessionCredentials.create(c.accessKeyId(), c.secretAccessKey(), c.sessionToken());
    }

    private static String readOnly(String bucketName) {
        return "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Action\":[\"s3:GetObject\"],"
                + "\"Resource\":[\"arn:aws:s3:::" + bucketName + "/*\"]}]}";
    }

    @Test
    void aSessionPolicyNarrowsTheUsersRights() throws Exception {
        Instant before = Instant.now();
        Credentials c = assume(writerSts, b -> b.durationSeconds(900).policy(readOnly(bucket)));
        assertTrue(c.accessKeyId().startsWith("ASIA"), c.accessKeyId());
        assertTrue(!c.expiration().isBefore(before.plusSeconds(899)) && c.expiration().isBefore(Instant.now().plusSeconds(901)),
                () -> "expires " + c.expiration());
        try (S3Client s3 = S3Clients.sync(cluster.endpoint(), session(c));
             S3Presigner presigner = S3Clients.presigner(cluster.endpoint(), StaticCredentialsProvider.create(session(c)));
             StsClient asSession = sts(c.accessKeyId(), c.secretAccessKey(), c.sessionToken())) {
            assertEquals("data of a.txt", s3.getObjectAsBytes(b -> b.bucket(bucket).key("a.txt")).asUtf8String());
            // the user may write; the session policy may not
            assertS3Error(403, "AccessDenied", () -> s3.putObject(b -> b.bucket(bucket).key("b.txt"), RequestBody.fromString("x")));
            assertS3Error(403, "AccessDenied", () -> s3.listObjectsV2(b -> b.bucket(bucket)));

            URI url = presigner.presignGetObject(p -> p.signatureDuration(Duration.ofMinutes(5))
                    .getObjectRequest(g -> g.bucket(bucket).key("a.txt"))).url().toURI();
            assertTrue(url.getRawQuery().contains("X-Amz-Security-Token="), url.toString());
            // the JDK's client as it comes: it first asks to upgrade to HTTP/2 (h2c), which the gateway declines
            try (HttpClient http = HttpClient.newHttpClient()) {
                HttpResponse<String> got = http.send(HttpRequest.newBuilder(url).build(), HttpResponse.BodyHandlers.ofString());
                assertEquals(200, got.statusCode(), got.body());
                assertEquals("data of a.txt", got.body());
            }

            assertEquals("arn:aws:sts:::assumed-role/sts-writer/test-session", asSession.getCallerIdentity().arn());
            StsException chained = assertThrows(StsException.class, () -> assume(asSession, b -> b));
            assertEquals("AccessDenied", chained.awsErrorDetails().errorCode());
        }
    }

    @Test
    void withoutAPolicyASessionHasTheUsersRightsUntilItsKeyIsRevoked() throws Exception {
        S3Keys own = cluster.newKey("sts-writer");
        Credentials c;
        try (StsClient client = sts(own.accessKey(), own.secretKey(), null)) {
            c = assume(client, b -> b);
        }
        try (S3Client s3 = S3Clients.sync(cluster.endpoint(), session(c))) {
            s3.putObject(b -> b.bucket(bucket).key("by-session.txt"), RequestBody.fromString("written by a session"));
            assertEquals("written by a session", s3.getObjectAsBytes(b -> b.bucket(bucket).key("by-session.txt")).asUtf8String());

            cluster.admin("key", "revoke", own.accessKey());
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (true) {
                try {
                    s3.headObject(b -> b.bucket(bucket).key("by-session.txt"));
                } catch (software.amazon.awssdk.services.s3.model.S3Exception e) {
                    assertEquals(400, e.statusCode(), e.getMessage());
                    break;
                }
                assertTrue(System.nanoTime() < deadline, "the session outlived its revoked key by 10 s");
                Thread.sleep(100);
            }
            assertS3Error(400, "InvalidToken", () -> s3.getObject(b -> b.bucket(bucket).key("by-session.txt")));
        }
    }

    @Test
    void aTamperedOrBorrowedTokenIsRefused() {
        Credentials c = assume(writerSts, b -> b.policy(readOnly(bucket)));
        String token = c.sessionToken();
        char last = token.charAt(token.length() - 2);
        String tampered = token.substring(0, token.length() - 2) + (last == 'A' ? 'B' : 'A') + token.charAt(token.length() - 1);
        try (S3Client s3 = S3Clients.sync(cluster.endpoint(), AwsSessionCredentials.create(c.accessKeyId(), c.secretAccessKey(), tampered))) {
            assertS3Error(400, "InvalidToken", () -> s3.getObject(b -> b.bucket(bucket).key("a.txt")));
        }
        // another session's token with this one's key id (a token is bound to its key)
        Credentials other = assume(writerSts, b -> b);
        try (S3Client s3 = S3Clients.sync(cluster.endpoint(),
                AwsSessionCredentials.create(c.accessKeyId(), c.secretAccessKey(), other.sessionToken()))) {
            assertS3Error(400, "InvalidToken", () -> s3.getObject(b -> b.bucket(bucket).key("a.txt")));
        }
        // the right token, the wrong secret
        try (S3Client s3 = S3Clients.sync(cluster.endpoint(),
                AwsSessionCredentials.create(c.accessKeyId(), other.secretAccessKey(), c.sessionToken()))) {
            assertS3Error(403, "SignatureDoesNotMatch", () -> s3.getObject(b -> b.bucket(bucket).key("a.txt")));
        }
    }

    @Test
    void badParametersAndDeniedCallersGetStsErrors() {
        assertEquals("ValidationError", stsError(() -> assume(writerSts, b -> b.durationSeconds(100))));
        assertEquals("ValidationError", stsError(() -> assume(writerSts, b -> b.durationSeconds(43_201))));
        assertEquals("MalformedPolicyDocument", stsError(() -> assume(writerSts, b -> b.policy("{\"Statement\":"))));
        assertEquals("PackedPolicyTooLarge", stsError(() -> assume(writerSts, b -> b.policy(readOnly("x".repeat(2100))))));
        assertEquals("SignatureDoesNotMatch", stsError(() -> {
            try (StsClient wrong = sts(writer.accessKey(), "not-the-secret", null)) {
                assume(wrong, b -> b);
            }
        }));
        S3Keys denied = cluster.addUser("sts-denied", "readwrite",
                "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Deny\",\"Action\":\"sts:AssumeRole\",\"Resource\":\"*\"}]}");
        try (StsClient client = sts(denied.accessKey(), denied.secretKey(), null)) {
            assertEquals("AccessDenied", stsError(() -> assume(client, b -> b)));
            assertEquals("arn:aws:iam:::user/sts-denied", client.getCallerIdentity().arn());
        }
    }

    private static String stsError(org.junit.jupiter.api.function.Executable call) {
        StsException e = assertThrows(StsException.class, call);
        return e.awsErrorDetails().errorCode();
    }
}
