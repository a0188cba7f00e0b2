package io.mooseng.s3compat;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.core.ResponseBytes;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.SequenceInputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.Base64;
import java.util.Collections;
import java.util.HexFormat;
import java.util.Random;
import java.util.concurrent.TimeUnit;

import static io.mooseng.s3compat.S3Assertions.assertObjectAbsent;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Browser form uploads (POST Object): multipart/form-data bodies built and signed as a page's
 * script signs them (Signature Version 4 over the base64 policy), sent over a real socket.
 */
@Timeout(value = 90, unit = TimeUnit.SECONDS)
class PostObjectTest {
    @RegisterExtension
    static final ClusterExtension cluster = new ClusterExtension();


    private static S3Client s3;
    private static HttpClient http;
    private static String bucket;

    @BeforeAll
    static void setUp() {
        s3 = cluster.client();
        http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).followRedirects(HttpClient.Redirect.NEVER).build();
        bucket = cluster.newBucket("forms");
    }

    @AfterAll
    static void tearDown() {
        http.close();
    }

    private static BrowserForm form() {
        return new BrowserForm(bucket);
    }

    private static HttpResponse<String> post(BrowserForm form, byte[] file) throws IOException, InterruptedException {
        return http.send(form.request(cluster.endpoint(), HttpRequest.BodyPublishers.ofByteArray(form.body("photo.jpg", file))),
                HttpResponse.BodyHandlers.ofString());
    }

    private static void assertError(int status, String code, String message, HttpResponse<String> res) {
        assertEquals(status, res.statusCode(), res.body());
        assertTrue(res.body().contains("<Code>" + code + "</Code>"), res.body());
        assertTrue(res.body().contains(message), res.body());
    }

    private static BrowserForm uploadForm(String key) {
        return form().exact("key", key).condition("[\"content-length-range\", 1, 1048576]");
    }

    @Test
    void signedFormStoresTheFileWithTheFieldsAsHeaders() throws Exception {
        BrowserForm form = form().condition("[\"starts-with\", \"$key\", \"user/eric/\"]").field("key", "user/eric/${filename}")
                .exact("Content-Type", "image/jpeg").condition("[\"starts-with\", \"$x-amz-meta-\", \"\"]")
                .condition("[\"starts-with\", \"$x-amz-meta-camera\", \"\"]").field("x-amz-meta-camera", "Zoë's")
                .exact("acl", "private").signed(cluster.keys()).field("x-ignore-tracking", "anything");
        byte[] file = "JPEG bytes\r\n--not the boundary".getBytes(StandardCharsets.US_ASCII);
        HttpResponse<String> res = post(form, file);
        assertEquals(204, res.statusCode(), res.body());
        ResponseBytes<GetObjectResponse> got = s3.getObjectAsBytes(b -> b.bucket(bucket).key("user/eric/photo.jpg"));
        assertArrayEquals(file, got.asByteArray());
        assertEquals("image/jpeg", got.response().contentType());
        assertEquals("=?UTF-8?B?Wm/Dqydz?=", got.response().metadata().get("camera"), "Zoë's, answered as S3 answers non-ASCII metadata");
        assertEquals(got.response().eTag(), res.headers().firstValue("ETag").orElseThrow());
        assertEquals(cluster.endpoint() + "/" + bucket + "/user/eric/photo.jpg", res.headers().firstValue("Location").orElseThrow());
    }

    @Test
    void successActionStatusAndRedirectShapeTheAnswer() throws Exception {
        HttpResponse<String> created = post(uploadForm("status/201.txt").exact("success_action_status", "201").signed(cluster.keys()),
                "x".getBytes(StandardCharsets.US_ASCII));
        assertEquals(201, created.statusCode(), created.body());
        assertTrue(created.body().contains("<Key>status/201.txt</Key>") && created.body().contains("<Bucket>" + bucket + "</Bucket>")
                && created.body().contains("<ETag>\"9dd4e461268c8034f5c8564e155c67a6\"</ETag>"), created.body());
        HttpResponse<String> ok = post(uploadForm("status/200.txt").exact("success_action_status", "200").signed(cluster.keys()),
                "x".getBytes(StandardCharsets.US_ASCII));
        assertEquals(200, ok.statusCode());
        HttpResponse<String> redirected = post(uploadForm("status/see other.txt")
                .exact("success_action_redirect", "https://app.example.com/done?from=form").signed(cluster.keys()),
                "x".getBytes(StandardCharsets.US_ASCII));
        assertEquals(303, redirected.statusCode(), redirected.body());
        assertEquals("https://app.example.com/done?from=form&bucket=" + bucket + "&key=status%2Fsee%20other.txt"
                + "&etag=%229dd4e461268c8034f5c8564e155c67a6%22", redirected.headers().firstValue("Location").orElseThrow());
        assertEquals(1, s3.headObject(b -> b.bucket(bucket).key("status/see other.txt")).contentLength());
    }

    @Test
    void policyViolationsAreRefusedAndStoreNothing() throws Exception {
        byte[] file = "content".getBytes(StandardCharsets.US_ASCII);
        BrowserForm expired = uploadForm("refused/expired");
        expired.expiration = Instant.now().minusSeconds(5);
        assertError(403, "AccessDenied", "Invalid according to Policy: Policy expired.", post(expired.signed(cluster.keys()), file));
        BrowserForm outside = form().condition("[\"starts-with\", \"$key\", \"user/eric/\"]").field("key", "refused/outside");
        assertError(403, "AccessDenied", "Policy Condition failed: [\"starts-with\", \"$key\", \"user/eric/\"]",
                post(outside.signed(cluster.keys()), file));
        BrowserForm extra = uploadForm("refused/extra").signed(cluster.keys()).field("x-amz-meta-sneaky", "1");
        assertError(403, "AccessDenied", "Extra input fields: x-amz-meta-sneaky", post(extra, file));
        BrowserForm forged = uploadForm("refused/forged").signed(new S3Keys(cluster.keys().accessKey(), "not-the-secret"));
        assertError(403, "SignatureDoesNotMatch", "", post(forged, file));
        assertError(400, "EntityTooLarge", "exceeds the maximum allowed size of 1048576",
                post(uploadForm("refused/large").signed(cluster.keys()), new byte[1048577]));
        assertError(400, "EntityTooSmall", "smaller than the minimum allowed size of 1",
                post(uploadForm("refused/small").signed(cluster.keys()), new byte[0]));
        BrowserForm tampered = uploadForm("refused/tampered").signed(cluster.keys());
        tampered.fields.put("policy", Base64.getEncoder().encodeToString("{\"expiration\": \"2099-01-01T00:00:00Z\", \"conditions\": []}"
                .getBytes(StandardCharsets.UTF_8)));
        assertError(403, "SignatureDoesNotMatch", "", post(tampered, file));
        assertError(400, "InvalidArgument", "must contain a field named 'key'",
                post(form().condition("[\"content-length-range\", 1, 10]").signed(cluster.keys()), file));
        for (String key : new String[]{"refused/expired", "refused/outside", "refused/extra", "refused/forged", "refused/large",
                "refused/small", "refused/tampered"}) {
            assertObjectAbsent(s3, bucket, key);
        }
    }

    @Test
    void anonymousFormsNeedABucketPolicyThatLetsEveryoneWrite() throws Exception {
        String open = cluster.newBucket("forms-open");
        byte[] file = "guest book entry".getBytes(StandardCharsets.US_ASCII);
        HttpResponse<String> denied = http.send(anonymousPost(open, "guests/1.txt", file), HttpResponse.BodyHandlers.ofString());
        assertError(403, "AccessDenied", "", denied);
        s3.putBucketPolicy(b -> b.bucket(open).policy("{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Principal\":\"*\","
                + "\"Action\":\"s3:PutObject\",\"Resource\":\"arn:aws:s3:::" + open + "/guests/*\"}]}"));
        HttpResponse<String> stored = http.send(anonymousPost(open, "guests/1.txt", file), HttpResponse.BodyHandlers.ofString());
        assertEquals(204, stored.statusCode(), stored.body());
        assertArrayEquals(file, s3.getObjectAsBytes(b -> b.bucket(open).key("guests/1.txt")).asByteArray());
        assertError(403, "AccessDenied", "", http.send(anonymousPost(open, "private/1.txt", file), HttpResponse.BodyHandlers.ofString()));
    }

    private static HttpRequest anonymousPost(String toBucket, String key, byte[] file) {
        BrowserForm form = new BrowserForm(toBucket).field("key", key);
        return form.request(cluster.endpoint(), HttpRequest.BodyPublishers.ofByteArray(form.body("entry.txt", file)));
    }

    @Test
    void largeFileStreamsThroughInPieces() throws Exception {
        byte[] block = new byte[1 << 20];
        new Random(11).nextBytes(block);
        int blocks = 12;
        BrowserForm form = form().exact("key", "large/video.bin").condition("[\"content-length-range\", 0, 104857600]")
                .signed(cluster.keys());
        MessageDigest md5 = MessageDigest.getInstance("MD5");
        for (int i = 0; i < blocks; i++) {
            md5.update(block);
        }
        HttpResponse<String> res = http.send(form.request(cluster.endpoint(), form.streamed("video.bin",
                () -> new SequenceInputStream(Collections.enumeration(Collections.nCopies(blocks, block).stream()
                        .<InputStream>map(ByteArrayInputStream::new).toList())))), HttpResponse.BodyHandlers.ofString());
        assertEquals(204, res.statusCode(), res.body());
        var head = s3.headObject(b -> b.bucket(bucket).key("large/video.bin"));
        assertEquals((long) blocks << 20, head.contentLength());
        assertEquals("\"" + HexFormat.of().formatHex(md5.digest()) + "\"", head.eTag());
    }

    @Test
    void aBucketPostThatIsNoFormIsRefusedAsOnS3() throws Exception {
        HttpResponse<String> res = http.send(HttpRequest.newBuilder(URI.create(cluster.endpoint() + "/" + bucket))
                .header("Content-Type", "text/plain").POST(HttpRequest.BodyPublishers.ofString("hello")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertError(412, "PreconditionFailed", "multipart/form-data", res);
    }
}
