package io.mooseng.s3compat;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.CompletedPart;
import software.amazon.awssdk.services.s3.model.S3Exception;

import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static io.mooseng.s3compat.S3Assertions.assertObjectAbsent;
import static io.mooseng.s3compat.S3Assertions.assertS3Error;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * If-None-Match: * and If-Match on PutObject, CompleteMultipartUpload, CopyObject and DeleteObject,
 * and CopyObject's source conditions. Conditions are checked atomically with the write.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class ConditionalWritesTest {
    @RegisterExtension
    static final ClusterExtension cluster = new ClusterExtension();

    private static S3Client s3;
    private static String bucket;

    @BeforeAll
    static void setUp() {
        s3 = cluster.client();
        bucket = cluster.newBucket("conditional");
    }

    private static String put(String key, String content) {
        return s3.putObject(b -> b.bucket(bucket).key(key), RequestBody.fromString(content)).eTag();
    }

    private static String content(String key) {
        return s3.getObjectAsBytes(b -> b.bucket(bucket).key(key)).asUtf8String();
    }

    @Test
    void ifNoneMatchStarCreatesOnlyAbsentKeys() {
        s3.putObject(b -> b.bucket(bucket).key("once").ifNoneMatch("*"), RequestBody.fromString("first"));
        assertS3Error(412, "PreconditionFailed",
                () -> s3.putObject(b -> b.bucket(bucket).key("once").ifNoneMatch("*"), RequestBody.fromString("second")));
        assertEquals("first", content("once"));
    }

    @Test
    void ofRacingCreatesOneSucceedsAndTheOthersGet412() throws Exception {
        int racers = 6;
        ExecutorService pool = Executors.newFixedThreadPool(racers);
        try {
            List<Future<Integer>> outcomes = new ArrayList<>();
            for (int i = 0; i < racers; i++) {
                String body = "racer " + i;
                outcomes.add(pool.submit(() -> {
                    try {
                        s3.putObject(b -> b.bucket(bucket).key("race").ifNoneMatch("*"), RequestBody.fromString(body));
                        return 200;
                    } catch (S3Exception e) {
                        return e.statusCode();
                    }
                }));
            }
            List<Integer> statuses = new ArrayList<>();
            for (Future<Integer> f : outcomes) {
                statuses.add(f.get());
            }
            assertEquals(1, statuses.stream().filter(s -> s == 200).count(), statuses::toString);
            assertEquals(racers - 1, statuses.stream().filter(s -> s == 412).count(), statuses::toString);
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void ifMatchReplacesOnlyTheObjectWithThatETag() {
        assertS3Error(404, "NoSuchKey",
                () -> s3.putObject(b -> b.bucket(bucket).key("swap").ifMatch("\"0123\""), RequestBody.fromString("x")));
        String v1 = put("swap", "v1");
        assertS3Error(412, "PreconditionFailed",
                () -> s3.putObject(b -> b.bucket(bucket).key("swap").ifMatch("\"0123\""), RequestBody.fromString("x")));
        s3.putObject(b -> b.bucket(bucket).key("swap").ifMatch(v1), RequestBody.fromString("v2"));
        assertEquals("v2", content("swap"));
        assertS3Error(412, "PreconditionFailed",
                () -> s3.putObject(b -> b.bucket(bucket).key("swap").ifMatch(v1), RequestBody.fromString("v3")));
    }

    @Test
    void deleteIfMatch() {
        String etag = put("del", "d");
        assertS3Error(412, "PreconditionFailed", () -> s3.deleteObject(b -> b.bucket(bucket).key("del").ifMatch("\"0123\"")));
        assertEquals("d", content("del"));
        s3.deleteObject(b -> b.bucket(bucket).key("del").ifMatch(etag));
        assertObjectAbsent(s3, bucket, "del");
        assertS3Error(404, "NoSuchKey", () -> s3.deleteObject(b -> b.bucket(bucket).key("del").ifMatch(etag)));
        s3.deleteObject(b -> b.bucket(bucket).key("del")); // unconditional: 204 for a missing key
    }

    @Test
    void completeMultipartUploadIfNoneMatchAndIfMatch() {
        String existing = put("mp", "already here");
        String id = s3.createMultipartUpload(b -> b.bucket(bucket).key("mp")).uploadId();
        String part = s3.uploadPart(b -> b.bucket(bucket).key("mp").uploadId(id).partNumber(1), RequestBody.fromString("parts")).eTag();
        CompletedPart p = CompletedPart.builder().partNumber(1).eTag(part).build();
        assertS3Error(412, "PreconditionFailed", () -> s3.completeMultipartUpload(b -> b.bucket(bucket).key("mp").uploadId(id)
                .ifNoneMatch("*").multipartUpload(m -> m.parts(p))));
        assertS3Error(412, "PreconditionFailed", () -> s3.completeMultipartUpload(b -> b.bucket(bucket).key("mp").uploadId(id)
                .ifMatch("\"0123\"").multipartUpload(m -> m.parts(p))));
        assertEquals("already here", content("mp"));
        // the upload survives a failed condition
        s3.completeMultipartUpload(b -> b.bucket(bucket).key("mp").uploadId(id).ifMatch(existing).multipartUpload(m -> m.parts(p)));
        assertEquals("parts", content("mp"));

        String fresh = s3.createMultipartUpload(b -> b.bucket(bucket).key("mp-new")).uploadId();
        String freshPart = s3.uploadPart(b -> b.bucket(bucket).key("mp-new").uploadId(fresh).partNumber(1), RequestBody.fromString("n")).eTag();
        assertS3Error(404, "NoSuchKey", () -> s3.completeMultipartUpload(b -> b.bucket(bucket).key("mp-new").uploadId(fresh)
                .ifMatch("\"0123\"").multipartUpload(m -> m.parts(CompletedPart.builder().partNumber(1).eTag(freshPart).build()))));
        s3.completeMultipartUpload(b -> b.bucket(bucket).key("mp-new").uploadId(fresh).ifNoneMatch("*")
                .multipartUpload(m -> m.parts(CompletedPart.builder().partNumber(1).eTag(freshPart).build())));
        assertEquals("n", content("mp-new"));
    }

    @Test
    void aRepeatedConditionalCompleteGetsTheSameAnswer() {
        String id = s3.createMultipartUpload(b -> b.bucket(bucket).key("mp-retry")).uploadId();
        String part = s3.uploadPart(b -> b.bucket(bucket).key("mp-retry").uploadId(id).partNumber(1), RequestBody.fromString("r")).eTag();
        CompletedPart p = CompletedPart.builder().partNumber(1).eTag(part).build();
        String first = s3.completeMultipartUpload(b -> b.bucket(bucket).key("mp-retry").uploadId(id).ifNoneMatch("*")
                .multipartUpload(m -> m.parts(p))).eTag();
        assertEquals(first, s3.completeMultipartUpload(b -> b.bucket(bucket).key("mp-retry").uploadId(id).ifNoneMatch("*")
                .multipartUpload(m -> m.parts(p))).eTag());
        assertS3Error(501, "NotImplemented", () -> s3.createMultipartUpload(b -> b.bucket(bucket).key("mp-retry")
                .overrideConfiguration(o -> o.putHeader("If-None-Match", "*"))));
    }

    @Test
    void copyObjectTakesTheDestinationsConditions() {
        put("copy-from", "source");
        String there = put("copy-onto", "there");
        assertS3Error(412, "PreconditionFailed", () -> s3.copyObject(b -> b.sourceBucket(bucket).sourceKey("copy-from")
                .destinationBucket(bucket).destinationKey("copy-onto").overrideConfiguration(o -> o.putHeader("If-None-Match", "*"))));
        assertEquals("there", content("copy-onto"));
        s3.copyObject(b -> b.sourceBucket(bucket).sourceKey("copy-from").destinationBucket(bucket).destinationKey("copy-onto")
                .overrideConfiguration(o -> o.putHeader("If-Match", there)));
        assertEquals("source", content("copy-onto"));
        s3.copyObject(b -> b.sourceBucket(bucket).sourceKey("copy-from").destinationBucket(bucket).destinationKey("copy-new")
                .overrideConfiguration(o -> o.putHeader("If-None-Match", "*")));
        assertEquals("source", content("copy-new"));
    }

    @Test
    void ifNoneMatchWithAnETagIsNotImplementedAsInS3() {
        assertS3Error(501, "NotImplemented",
                () -> s3.putObject(b -> b.bucket(bucket).key("etag-none").ifNoneMatch("\"0123\""), RequestBody.fromString("x")));
    }

    /** The object an If-Match PUT named is deleted while its body is on the way: S3's 409, to retry. */
    @Test
    void anObjectDeletedDuringAConditionalPutIsAConflict() throws Exception {
        String etag = put("vanish", "v");
        byte[] body = new byte[4096];
        Arrays.fill(body, (byte) 'x');
        byte[] request = new SignedHttp(cluster).signedRaw("PUT", "/" + bucket + "/vanish", Map.of("If-Match", etag), body, 0);
        try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), cluster.port())) {
            socket.setSoTimeout(20_000);
            OutputStream out = socket.getOutputStream();
            int held = 1000;
            out.write(request, 0, request.length - held);
            out.flush();
            Thread.sleep(500); // the gateway checked the condition and waits for the rest of the body
            s3.deleteObject(b -> b.bucket(bucket).key("vanish"));
            out.write(request, request.length - held, held);
            out.flush();
            String answer = readHead(socket.getInputStream());
            assertTrue(answer.startsWith("HTTP/1.1 409"), answer);
        }
        assertObjectAbsent(s3, bucket, "vanish");
    }

    private static String readHead(InputStream in) throws Exception {
        ByteArrayOutputStream got = new ByteArrayOutputStream();
        int b;
        while ((b = in.read()) >= 0) {
            got.write(b);
            if (got.toString(StandardCharsets.ISO_8859_1).contains("\r\n\r\n")) {
                break;
            }
        }
        return got.toString(StandardCharsets.ISO_8859_1);
    }

    @Test
    void copySourceConditions() {
        String etag = put("copy-src", "c");
        s3.copyObject(b -> b.sourceBucket(bucket).sourceKey("copy-src").destinationBucket(bucket).destinationKey("c1").copySourceIfMatch(etag));
        assertS3Error(412, "PreconditionFailed", () -> s3.copyObject(b -> b.sourceBucket(bucket).sourceKey("copy-src")
                .destinationBucket(bucket).destinationKey("c2").copySourceIfMatch("\"0123\"")));
        assertS3Error(412, "PreconditionFailed", () -> s3.copyObject(b -> b.sourceBucket(bucket).sourceKey("copy-src")
                .destinationBucket(bucket).destinationKey("c2").copySourceIfNoneMatch(etag)));
        java.time.Instant modified = s3.headObject(b -> b.bucket(bucket).key("copy-src")).lastModified();
        assertS3Error(412, "PreconditionFailed", () -> s3.copyObject(b -> b.sourceBucket(bucket).sourceKey("copy-src")
                .destinationBucket(bucket).destinationKey("c2").copySourceIfModifiedSince(modified.plusSeconds(60))));
        assertS3Error(412, "PreconditionFailed", () -> s3.copyObject(b -> b.sourceBucket(bucket).sourceKey("copy-src")
                .destinationBucket(bucket).destinationKey("c2").copySourceIfUnmodifiedSince(modified.minusSeconds(60))));
        // If-Match true beats If-Unmodified-Since false, as on GET
        s3.copyObject(b -> b.sourceBucket(bucket).sourceKey("copy-src").destinationBucket(bucket).destinationKey("c3")
                .copySourceIfMatch(etag).copySourceIfUnmodifiedSince(modified.minusSeconds(60)));
        assertObjectAbsent(s3, bucket, "c2");
    }
}
