package io.mooseng.s3compat;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.Bucket;
import software.amazon.awssdk.services.s3.presigner.S3Presigner;

import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import static io.mooseng.s3compat.S3Assertions.allKeys;
import static io.mooseng.s3compat.S3Assertions.assertObjectAbsent;
import static io.mooseng.s3compat.S3Assertions.assertS3Error;
import static io.mooseng.s3compat.S3Assertions.assertS3Status;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Every malformed or refused request gets the S3 error a real S3 gives (status and code), and changes nothing. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class ErrorsTest {
    @RegisterExtension
    static final ClusterExtension cluster = new ClusterExtension();

    private static S3Client s3;
    private static SignedHttp http;
    private static String bucket;

    @BeforeAll
    static void setUp() {
        s3 = cluster.client();
        http = new SignedHttp(cluster);
        bucket = cluster.newBucket("errors");
    }

    @Test
    void wrongSecretIs403SignatureDoesNotMatchAndStoresNothing() {
        try (S3Client wrong = S3Clients.sync(cluster.endpoint(), new S3Keys(cluster.keys().accessKey(), "not-the-secret"))) {
            assertS3Error(403, "SignatureDoesNotMatch", wrong::listBuckets);
            assertS3Error(403, "SignatureDoesNotMatch",
                    () -> wrong.putObject(b -> b.bucket(bucket).key("auth/wrong-secret"), RequestBody.fromString("x")));
        }
        assertObjectAbsent(s3, bucket, "auth/wrong-secret");
    }

    @Test
    void unknownAccessKeyIs403InvalidAccessKeyIdAndStoresNothing() {
        try (S3Client unknown = S3Clients.sync(cluster.endpoint(), S3Keys.random())) {
            assertS3Error(403, "InvalidAccessKeyId", unknown::listBuckets);
            assertS3Error(403, "InvalidAccessKeyId",
                    () -> unknown.putObject(b -> b.bucket(bucket).key("auth/unknown-key"), RequestBody.fromString("x")));
        }
        assertObjectAbsent(s3, bucket, "auth/unknown-key");
    }

    @Test
    void missingBucketIs404NoSuchBucket() {
        assertS3Error(404, "NoSuchBucket", () -> s3.getObjectAsBytes(b -> b.bucket("no-such-bucket").key("k")));
        assertS3Error(404, "NoSuchBucket", () -> s3.listObjectsV2(b -> b.bucket("no-such-bucket")));
        assertS3Error(404, "NoSuchBucket", () -> s3.putObject(b -> b.bucket("no-such-bucket").key("k"), RequestBody.fromString("x")));
        assertS3Error(404, "NoSuchBucket", () -> s3.deleteBucket(b -> b.bucket("no-such-bucket")));
        assertS3Status(404, () -> s3.headBucket(b -> b.bucket("no-such-bucket")));
    }

    @Test
    void missingKeyIs404NoSuchKey() {
        assertS3Error(404, "NoSuchKey", () -> s3.getObjectAsBytes(b -> b.bucket(bucket).key("no/such/key")));
        assertS3Status(404, () -> s3.headObject(b -> b.bucket(bucket).key("no/such/key")));
    }

    @Test
    void deletingNonEmptyBucketIs409BucketNotEmptyAndKeepsEverything() {
        String full = cluster.newBucket("full");
        s3.putObject(b -> b.bucket(full).key("deep/keep"), RequestBody.fromString("kept"));

        assertS3Error(409, "BucketNotEmpty", () -> s3.deleteBucket(b -> b.bucket(full)));

        assertEquals("kept", s3.getObjectAsBytes(b -> b.bucket(full).key("deep/keep")).asUtf8String());
    }

    @Test
    void creatingExistingBucketIs409BucketAlreadyOwnedByYou() {
        s3.putObject(b -> b.bucket(bucket).key("survives-recreate"), RequestBody.fromString("x"));

        assertS3Error(409, "BucketAlreadyOwnedByYou", () -> s3.createBucket(b -> b.bucket(bucket)));

        assertEquals("x", s3.getObjectAsBytes(b -> b.bucket(bucket).key("survives-recreate")).asUtf8String());
    }

    /** Sent signed but bypassing the SDK, which validates some names itself. */
    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"ab", "UPPERCASE", "under_score", "-leading-dash", "trailing-dash-", "double..dot",
            "192.168.10.1", "sixty-four-characters-is-one-too-many-for-a-bucket-name-xxxxxxxx"})
    void invalidBucketNameIs400InvalidBucketName(String name) throws Exception {
        SignedHttp.Response res = http.send("PUT", "/" + name, Map.of(), new byte[0]);

        assertEquals("400 InvalidBucketName", res.status() + " " + res.errorCode(), res::toString);
        assertTrue(s3.listBuckets().buckets().stream().map(Bucket::name).noneMatch(name::equals));
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"<Delete><Object><Key>xml/a</Key></Object>", "not xml at all", "<Delete></Delete>",
            "<Delete><Object><Key>xml/a</Key></Object></Delete><Delete>"})
    void malformedDeleteObjectsXmlIs400MalformedXmlAndDeletesNothing(String body) throws Exception {
        s3.putObject(b -> b.bucket(bucket).key("xml/a"), RequestBody.fromString("a"));
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);

        SignedHttp.Response res = http.send("POST", "/" + bucket + "?delete",
                Map.of("Content-MD5", Base64.getEncoder().encodeToString(TestData.md5(bytes)), "Content-Type", "application/xml"), bytes);

        assertEquals("400 MalformedXML", res.status() + " " + res.errorCode(), res::toString);
        assertEquals("a", s3.getObjectAsBytes(b -> b.bucket(bucket).key("xml/a")).asUtf8String());
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"<CompleteMultipartUpload><Part><PartNumber>1</PartNumber>", "{\"parts\": [1]}",
            "<CompleteMultipartUpload><Part><PartNumber>one</PartNumber><ETag>x</ETag></Part></CompleteMultipartUpload>"})
    void malformedCompleteMultipartUploadXmlIs400MalformedXmlAndStoresNothing(String body) throws Exception {
        String key = "xml/multipart";
        String uploadId = s3.createMultipartUpload(b -> b.bucket(bucket).key(key)).uploadId();
        try {
            s3.uploadPart(b -> b.bucket(bucket).key(key).uploadId(uploadId).partNumber(1), RequestBody.fromString("part"));

            SignedHttp.Response res = http.send("POST", "/" + bucket + "/" + key + "?uploadId=" + URLEncoder.encode(uploadId, StandardCharsets.UTF_8),
                    Map.of("Content-Type", "application/xml"), body.getBytes(StandardCharsets.UTF_8));

            assertEquals("400 MalformedXML", res.status() + " " + res.errorCode(), res::toString);
            assertObjectAbsent(s3, bucket, key);
            assertEquals(1, s3.listParts(b -> b.bucket(bucket).key(key).uploadId(uploadId)).parts().size(), "upload still open");
        } finally {
            s3.abortMultipartUpload(b -> b.bucket(bucket).key(key).uploadId(uploadId));
        }
    }

    /**
     * The namespace is a tree, so keys that are not clean paths are refused (as MinIO does)
     * rather than silently normalised; MooseNG answers them InvalidArgument.
     */
    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"a/../b", "../b", "a/..", "a/./b", "./a", "a/.", "a//b", "a\u0000b", "nul\u0000/x",
            "LONG_SEGMENT", "d/LONG_SEGMENT/f"})
    void keyThatIsNotACleanPathIs400AndNothingIsListed(String template) throws Exception {
        String target = cluster.newBucket("badkey");
        String key = template.replace("LONG_SEGMENT", "s".repeat(256));

        SignedHttp.Response res = http.send("PUT", "/" + target + "/" + encodePath(key), Map.of(), "x".getBytes(StandardCharsets.UTF_8));

        assertEquals("400 InvalidArgument", res.status() + " " + res.errorCode(), res::toString);
        assertEquals(List.of(), allKeys(s3, target));
    }

    /** The client promises 1,000 bytes, sends 10 and closes its side: the object must not appear, not even in part. */
    @Test
    void bodyShorterThanContentLengthStoresNothing() throws Exception {
        String key = "short/body";
        URI url;
        try (S3Presigner presigner = S3Clients.presigner(cluster.endpoint(), cluster.keys())) {
            url = presigner.presignPutObject(p -> p.signatureDuration(Duration.ofMinutes(5))
                    .putObjectRequest(r -> r.bucket(bucket).key(key))).url().toURI();
        }
        String head = "PUT " + url.getRawPath() + "?" + url.getRawQuery() + " HTTP/1.1\r\n"
                + "Host: 127.0.0.1:" + cluster.port() + "\r\n"
                + "Content-Length: 1000\r\n\r\n";

        RawHttp.Response res = RawHttp.exchange(cluster.port(), concat(head.getBytes(StandardCharsets.US_ASCII), new byte[10]),
                true, Duration.ofSeconds(30));

        assertTrue(res.status() == -1 || res.status() == 400, () -> "expected no answer or 400 IncompleteBody, got " + res);
        assertObjectAbsent(s3, bucket, key);
        assertTrue(allKeys(s3, bucket).stream().noneMatch(k -> k.startsWith("short/")));
    }

    /** A chunked transfer without Content-Length is streamed; its hash is checked at the end, before anything is stored. */
    @Test
    void chunkedBodyNotMatchingItsSignedHashIs400AndStoresNothing() throws Exception {
        SignedHttp http = new SignedHttp(cluster);
        byte[] data = TestData.bytes(41, 1024 * 1024 + 3);
        byte[] good = http.signedRaw("PUT", "/" + bucket + "/chunked/good", Map.of(), data, 16 * 1024);
        var signedForData = http.sign("PUT", "/" + bucket + "/chunked/bad", Map.of(), data);
        byte[] bad = RawHttp.request("PUT", signedForData.getUri().getRawPath(), cluster.port(), signedForData.headers(),
                TestData.bytes(42, data.length), 16 * 1024);

        RawHttp.Response stored = RawHttp.exchange(cluster.port(), good, false, Duration.ofSeconds(30));
        RawHttp.Response refused = RawHttp.exchange(cluster.port(), bad, false, Duration.ofSeconds(30));

        assertEquals(200, stored.status(), stored::toString);
        assertEquals(data.length, s3.headObject(b -> b.bucket(bucket).key("chunked/good")).contentLength());
        assertEquals(400, refused.status(), refused::toString);
        assertTrue(refused.text().contains("<Code>XAmzContentSHA256Mismatch</Code>"), refused::toString);
        assertObjectAbsent(s3, bucket, "chunked/bad");
    }

    @Test
    void oversizeRequestHeaderIs4xxNotAHang() throws Exception {
        String request = "GET /" + bucket + "/anything HTTP/1.1\r\nHost: 127.0.0.1:" + cluster.port() + "\r\n"
                + "X-Oversize: " + "a".repeat(64 * 1024) + "\r\n\r\n";

        RawHttp.Response res = RawHttp.exchange(cluster.port(), request.getBytes(StandardCharsets.US_ASCII), false, Duration.ofSeconds(20));

        assertTrue(res.status() >= 400 && res.status() < 500, () -> "expected 4xx, got " + res);
    }

    @Test
    void oversizeRequestLineIs4xxNotAHang() throws Exception {
        String request = "GET /" + bucket + "/" + "k".repeat(64 * 1024) + " HTTP/1.1\r\nHost: 127.0.0.1:" + cluster.port() + "\r\n\r\n";

        RawHttp.Response res = RawHttp.exchange(cluster.port(), request.getBytes(StandardCharsets.US_ASCII), false, Duration.ofSeconds(20));

        assertTrue(res.status() >= 400 && res.status() < 500, () -> "expected 4xx, got " + res);
    }

    /** An object may also be a directory of other keys, as in S3: no ObjectPathConflict (README, "How S3 keys map to paths"). */
    @Test
    void objectUnderAnExistingObjectIsStoredBesideIt() {
        s3.putObject(b -> b.bucket(bucket).key("conflict/a"), RequestBody.fromString("file a"));
        s3.putObject(b -> b.bucket(bucket).key("conflict/a/b"), RequestBody.fromString("under a"));

        assertEquals("file a", s3.getObjectAsBytes(b -> b.bucket(bucket).key("conflict/a")).asUtf8String());
        assertEquals(List.of("conflict/a", "conflict/a/b"), allKeys(s3, bucket).stream().filter(k -> k.startsWith("conflict/")).toList());
    }

    @Test
    void objectNamedLikeAnExistingDirectoryIsStoredBesideIt() {
        s3.putObject(b -> b.bucket(bucket).key("reverse/a/b"), RequestBody.fromString("under a"));
        s3.putObject(b -> b.bucket(bucket).key("reverse/a"), RequestBody.fromString("file a"));

        assertEquals(List.of("reverse/a", "reverse/a/b"), allKeys(s3, bucket).stream().filter(k -> k.startsWith("reverse/")).toList());
    }

    /** A key ending in '/' is a directory marker and holds no content: README's ObjectPathConflict, 409. */
    @Test
    void markerWithABodyIs409ObjectPathConflict() {
        assertS3Error(409, "ObjectPathConflict",
                () -> s3.putObject(b -> b.bucket(bucket).key("marker-body/"), RequestBody.fromString("content")));
    }

    /** Each segment percent-encoded as the SDK would, but "." and ".." kept, which the SDK's HTTP stack may normalise away. */
    private static String encodePath(String key) {
        return Arrays.stream(key.split("/", -1))
                .map(s -> URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20"))
                .collect(Collectors.joining("/"));
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] out = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }
}
