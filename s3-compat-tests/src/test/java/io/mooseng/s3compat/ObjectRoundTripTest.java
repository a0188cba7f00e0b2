package io.mooseng.s3compat;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import software.amazon.awssdk.core.ResponseBytes;
import software.amazon.awssdk.core.async.AsyncRequestBody;
import software.amazon.awssdk.core.async.AsyncResponseTransformer;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.core.sync.ResponseTransformer;
import software.amazon.awssdk.services.s3.S3AsyncClient;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.CompletedPart;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;
import software.amazon.awssdk.services.s3.model.ListPartsResponse;
import software.amazon.awssdk.services.s3.model.MetadataDirective;
import software.amazon.awssdk.services.s3.model.ObjectIdentifier;
import software.amazon.awssdk.services.s3.model.Part;
import software.amazon.awssdk.services.s3.model.PutObjectResponse;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static io.mooseng.s3compat.S3Assertions.allKeys;
import static io.mooseng.s3compat.S3Assertions.assertObjectAbsent;
import static io.mooseng.s3compat.S3Assertions.assertS3Error;
import static io.mooseng.s3compat.S3Assertions.assertS3Status;
import static io.mooseng.s3compat.TestData.MiB;
import static io.mooseng.s3compat.TestData.etag;
import static io.mooseng.s3compat.TestData.sha256;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Objects in and out through aws-sdk-java-v2 with default settings: bytes, ETags, metadata, multipart, copy, delete. */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class ObjectRoundTripTest {
    @RegisterExtension
    static final ClusterExtension cluster = new ClusterExtension().overShardTransport();

    private static S3Client s3;
    private static String bucket;

    @BeforeAll
    static void createBucket() {
        s3 = cluster.client();
        bucket = cluster.newBucket("roundtrip");
    }

    @ParameterizedTest(name = "{0} bytes")
    @ValueSource(ints = {0, 1, 5 * MiB, 64 * MiB})
    void putThenGetReturnsIdenticalBytesAndMd5ETag(int size) {
        byte[] data = TestData.bytes(size, size);
        String key = "sizes/" + size;

        PutObjectResponse put = s3.putObject(b -> b.bucket(bucket).key(key), RequestBody.fromBytes(data));
        ResponseBytes<GetObjectResponse> got = s3.getObjectAsBytes(b -> b.bucket(bucket).key(key));

        assertEquals(etag(data), put.eTag());
        assertEquals(sha256(data), sha256(got.asByteArray()));
        assertEquals(etag(data), got.response().eTag());
        assertEquals(size, got.response().contentLength());
    }

    @Test
    void userMetadataAndContentHeadersComeBackOnGetAndHead() {
        Map<String, String> metadata = Map.of("color", "blue", "multi-word", "two words");
        s3.putObject(b -> b.bucket(bucket).key("headers/report.txt").metadata(metadata)
                .contentType("text/plain; charset=utf-8")
                .contentDisposition("attachment; filename=\"report.txt\"")
                .cacheControl("max-age=60, private"), RequestBody.fromString("hello"));

        GetObjectResponse get = s3.getObjectAsBytes(b -> b.bucket(bucket).key("headers/report.txt")).response();
        HeadObjectResponse head = s3.headObject(b -> b.bucket(bucket).key("headers/report.txt"));

        for (var r : List.of(
                List.of(get.metadata(), get.contentType(), get.contentDisposition(), get.cacheControl()),
                List.of(head.metadata(), head.contentType(), head.contentDisposition(), head.cacheControl()))) {
            assertEquals(List.of(metadata, "text/plain; charset=utf-8", "attachment; filename=\"report.txt\"",
                    "max-age=60, private"), r);
        }
    }

    /**
     * SDKs send non-ASCII text as one ISO-8859-1 byte per char (signing its UTF-8), curl as
     * UTF-8; both verify, and S3 answers such values as RFC 2047 encoded words.
     */
    @Test
    void nonAsciiMetadataIsAcceptedAndAnsweredAsAnEncodedWord() throws Exception {
        s3.putObject(b -> b.bucket(bucket).key("meta/latin").metadata(Map.of("city", "Zürich straße")), RequestBody.fromString("x"));
        SignedHttp http = new SignedHttp(cluster);
        RawHttp.Response utf8 = RawHttp.exchange(cluster.port(), http.signedRaw("PUT", "/" + bucket + "/meta/utf8",
                Map.of("x-amz-meta-city", "東京 Zürich"), new byte[] {1}, 0), false, Duration.ofSeconds(20));
        s3.putObject(b -> b.bucket(bucket).key("meta/encoded").metadata(Map.of("city", "=?UTF-8?B?5p2x5Lqs?=")), RequestBody.fromString("x"));

        assertEquals(200, utf8.status(), utf8::toString);
        assertEquals(Map.of("city", "=?UTF-8?B?WsO8cmljaCBzdHJhw59l?="), s3.headObject(b -> b.bucket(bucket).key("meta/latin")).metadata());
        assertEquals(Map.of("city", "=?UTF-8?B?WsO8cmljaCBzdHJhw59l?="),
                s3.getObjectAsBytes(b -> b.bucket(bucket).key("meta/latin")).response().metadata());
        assertEquals(Map.of("city", "=?UTF-8?B?5p2x5LqsIFrDvHJpY2g=?="), s3.headObject(b -> b.bucket(bucket).key("meta/utf8")).metadata());
        assertEquals(Map.of("city", "=?UTF-8?B?5p2x5Lqs?="), s3.headObject(b -> b.bucket(bucket).key("meta/encoded")).metadata());
    }

    @Test
    void nonAsciiMetadataDifferentFromWhatWasSignedIs403() throws Exception {
        SignedHttp http = new SignedHttp(cluster);
        byte[] signedForOther = http.signedRaw("PUT", "/" + bucket + "/meta/tampered", Map.of("x-amz-meta-city", "Zürich"), new byte[] {1}, 0);
        byte[] tampered = new String(signedForOther, StandardCharsets.UTF_8).replace("Zürich", "Zurich").getBytes(StandardCharsets.UTF_8);

        RawHttp.Response res = RawHttp.exchange(cluster.port(), tampered, false, Duration.ofSeconds(20));

        assertEquals(403, res.status(), res::toString);
        assertTrue(res.text().contains("<Code>SignatureDoesNotMatch</Code>"), res::toString);
        assertObjectAbsent(s3, bucket, "meta/tampered");
    }

    @Test
    void headObjectReportsLengthETagAndLastModifiedWithoutBody() {
        byte[] data = TestData.bytes(7, 10_000);
        Instant before = Instant.now().truncatedTo(ChronoUnit.SECONDS);
        s3.putObject(b -> b.bucket(bucket).key("head/object"), RequestBody.fromBytes(data));

        HeadObjectResponse head = s3.headObject(b -> b.bucket(bucket).key("head/object"));

        assertEquals(10_000L, head.contentLength());
        assertEquals(etag(data), head.eTag());
        assertTrue(!head.lastModified().isBefore(before) && head.lastModified().isBefore(Instant.now().plusSeconds(5)),
                () -> "Last-Modified " + head.lastModified() + " not around " + before);
    }

    @Test
    void asyncNettyClientRoundTripsBytes() throws Exception {
        byte[] data = TestData.bytes(11, 5 * MiB + 17);
        try (S3AsyncClient async = S3Clients.asyncNetty(cluster.endpoint(), cluster.keys())) {
            String putETag = async.putObject(b -> b.bucket(bucket).key("async/object"), AsyncRequestBody.fromBytes(data))
                    .get(60, TimeUnit.SECONDS).eTag();
            byte[] got = async.getObject(b -> b.bucket(bucket).key("async/object"), AsyncResponseTransformer.toBytes())
                    .get(60, TimeUnit.SECONDS).asByteArray();

            assertEquals(etag(data), putETag);
            assertEquals(sha256(data), sha256(got));
        }
    }

    @Test
    void multipartUploadOf100MiBFileRoundTripsWithCompositeETag(@TempDir Path dir) throws IOException {
        Path source = TestData.file(dir, "source.bin", 100, 100L * MiB);
        int partSize = 8 * MiB;
        String key = "multipart/100MiB.bin";
        String uploadId = s3.createMultipartUpload(b -> b.bucket(bucket).key(key)).uploadId();

        List<CompletedPart> parts = new ArrayList<>();
        ByteArrayOutputStream partMd5s = new ByteArrayOutputStream();
        try (RandomAccessFile in = new RandomAccessFile(source.toFile(), "r")) {
            for (int number = 1; (long) (number - 1) * partSize < in.length(); number++) {
                byte[] part = new byte[(int) Math.min(partSize, in.length() - (long) (number - 1) * partSize)];
                in.readFully(part);
                int n = number;
                String eTag = s3.uploadPart(b -> b.bucket(bucket).key(key).uploadId(uploadId).partNumber(n),
                        RequestBody.fromBytes(part)).eTag();
                assertEquals(etag(part), eTag, "part " + n);
                partMd5s.write(TestData.md5(part));
                parts.add(CompletedPart.builder().partNumber(n).eTag(eTag).build());
            }
        }

        ListPartsResponse listed = s3.listParts(b -> b.bucket(bucket).key(key).uploadId(uploadId));
        assertEquals(parts.stream().map(p -> p.partNumber() + " " + p.eTag()).toList(),
                listed.parts().stream().map(p -> p.partNumber() + " " + p.eTag()).toList());
        assertEquals(List.of(8L * MiB, 4L * MiB), List.of(listed.parts().get(0).size(), listed.parts().get(12).size()));

        String completed = s3.completeMultipartUpload(b -> b.bucket(bucket).key(key).uploadId(uploadId)
                .multipartUpload(m -> m.parts(parts))).eTag();
        Path copy = dir.resolve("downloaded.bin");
        GetObjectResponse got = s3.getObject(b -> b.bucket(bucket).key(key), ResponseTransformer.toFile(copy));

        String expected = '"' + HexFormat.of().formatHex(TestData.md5(partMd5s.toByteArray())) + "-13\"";
        assertEquals(expected, completed);
        assertEquals(expected, got.eTag());
        assertEquals(sha256(source), sha256(copy));
    }

    /** Parts of 5 MiB and 1,000 bytes, completed: the object's bytes, upload id and completed parts. */
    private record TwoParts(byte[] data, String uploadId, List<CompletedPart> parts, String etag, String location) {
        static TwoParts upload(S3Client s3, String bucket, String key) {
            byte[] data = TestData.bytes(key.hashCode(), 5 * MiB + 1000);
            String uploadId = s3.createMultipartUpload(b -> b.bucket(bucket).key(key)).uploadId();
            List<CompletedPart> parts = new ArrayList<>();
            for (int n = 1; n <= 2; n++) {
                int partNumber = n;
                byte[] part = Arrays.copyOfRange(data, n == 1 ? 0 : 5 * MiB, n == 1 ? 5 * MiB : data.length);
                String eTag = s3.uploadPart(b -> b.bucket(bucket).key(key).uploadId(uploadId).partNumber(partNumber),
                        RequestBody.fromBytes(part)).eTag();
                parts.add(CompletedPart.builder().partNumber(n).eTag(eTag).build());
            }
            var done = s3.completeMultipartUpload(b -> b.bucket(bucket).key(key).uploadId(uploadId).multipartUpload(m -> m.parts(parts)));
            return new TwoParts(data, uploadId, parts, done.eTag(), done.location());
        }
    }

    /** SDKs retry a Complete that timed out: while the object it made is current, a retry gets the first answer. */
    @Test
    void completeMultipartUploadRetriedAfterSuccessAnswersTheSameResult() {
        String key = "multipart/retried.bin";
        TwoParts first = TwoParts.upload(s3, bucket, key);

        var retry = s3.completeMultipartUpload(b -> b.bucket(bucket).key(key).uploadId(first.uploadId())
                .multipartUpload(m -> m.parts(first.parts())));

        assertEquals(first.etag(), retry.eTag());
        assertEquals(first.location(), retry.location());
        assertEquals(first.etag(), s3.headObject(b -> b.bucket(bucket).key(key)).eTag());

        s3.putObject(b -> b.bucket(bucket).key(key), RequestBody.fromString("replaced"));
        assertS3Error(404, "NoSuchUpload", () -> s3.completeMultipartUpload(b -> b.bucket(bucket).key(key)
                .uploadId(first.uploadId()).multipartUpload(m -> m.parts(first.parts()))));
        assertS3Error(404, "NoSuchUpload", () -> s3.completeMultipartUpload(b -> b.bucket(bucket).key(key)
                .uploadId("no-such-upload").multipartUpload(m -> m.parts(first.parts()))));
        assertEquals("replaced", s3.getObjectAsBytes(b -> b.bucket(bucket).key(key)).asUtf8String());
    }

    /** ?partNumber=n reads part n as a ranged read (206), naming the number of parts; a plain object is one part. */
    @Test
    void getAndHeadByPartNumberServeThatPart() {
        String key = "multipart/parts.bin";
        TwoParts object = TwoParts.upload(s3, bucket, key);
        byte[] small = TestData.bytes(9, 10);
        s3.putObject(b -> b.bucket(bucket).key("multipart/plain"), RequestBody.fromBytes(small));

        HeadObjectResponse head1 = s3.headObject(b -> b.bucket(bucket).key(key).partNumber(1));
        ResponseBytes<GetObjectResponse> part2 = s3.getObjectAsBytes(b -> b.bucket(bucket).key(key).partNumber(2));
        ResponseBytes<GetObjectResponse> plain = s3.getObjectAsBytes(b -> b.bucket(bucket).key("multipart/plain").partNumber(1));

        assertEquals(List.of(5L * MiB, 2, object.etag()), List.of(head1.contentLength(), head1.partsCount(), head1.eTag()));
        assertArrayEquals(Arrays.copyOfRange(object.data(), 5 * MiB, object.data().length), part2.asByteArray());
        assertEquals("bytes 5242880-5243879/5243880", part2.response().contentRange());
        assertEquals(2, part2.response().partsCount());
        assertArrayEquals(small, plain.asByteArray());
        assertEquals("bytes 0-9/10", plain.response().contentRange());
        assertNull(plain.response().partsCount());

        assertS3Error(416, "InvalidPartNumber", () -> s3.getObjectAsBytes(b -> b.bucket(bucket).key(key).partNumber(3)));
        assertS3Error(416, "InvalidPartNumber", () -> s3.getObjectAsBytes(b -> b.bucket(bucket).key("multipart/plain").partNumber(2)));
        assertS3Status(416, () -> s3.headObject(b -> b.bucket(bucket).key(key).partNumber(3)));
        assertS3Error(400, "InvalidArgument", () -> s3.getObjectAsBytes(b -> b.bucket(bucket).key(key).partNumber(10_001)));
    }

    @Test
    void abortedMultipartUploadLeavesNoObjectAndNoUpload() {
        String key = "multipart/aborted.bin";
        String uploadId = s3.createMultipartUpload(b -> b.bucket(bucket).key(key)).uploadId();
        s3.uploadPart(b -> b.bucket(bucket).key(key).uploadId(uploadId).partNumber(1),
                RequestBody.fromBytes(TestData.bytes(3, 5 * MiB)));
        List<Part> before = s3.listParts(b -> b.bucket(bucket).key(key).uploadId(uploadId)).parts();

        s3.abortMultipartUpload(b -> b.bucket(bucket).key(key).uploadId(uploadId));

        assertEquals(1, before.size());
        assertObjectAbsent(s3, bucket, key);
        assertS3Error(404, "NoSuchUpload", () -> s3.listParts(b -> b.bucket(bucket).key(key).uploadId(uploadId)));
        assertTrue(s3.listMultipartUploads(b -> b.bucket(bucket)).uploads().stream().noneMatch(u -> u.uploadId().equals(uploadId)));
    }

    @Test
    void copyWithinBucketKeepsContentAndMetadata() {
        byte[] data = TestData.bytes(5, 300_000);
        s3.putObject(b -> b.bucket(bucket).key("copy/source").metadata(Map.of("origin", "source")).contentType("text/csv"),
                RequestBody.fromBytes(data));

        String copyETag = s3.copyObject(b -> b.sourceBucket(bucket).sourceKey("copy/source")
                .destinationBucket(bucket).destinationKey("copy/kept").metadataDirective(MetadataDirective.COPY))
                .copyObjectResult().eTag();
        ResponseBytes<GetObjectResponse> got = s3.getObjectAsBytes(b -> b.bucket(bucket).key("copy/kept"));

        assertEquals(etag(data), copyETag);
        assertArrayEquals(data, got.asByteArray());
        assertEquals(Map.of("origin", "source"), got.response().metadata());
        assertEquals("text/csv", got.response().contentType());
    }

    @Test
    void copyAcrossBucketsWithReplaceDirectiveTakesNewMetadata() {
        String target = cluster.newBucket("copy-target");
        byte[] data = TestData.bytes(6, 2 * MiB + 1);
        s3.putObject(b -> b.bucket(bucket).key("copy/cross").metadata(Map.of("origin", "source")).contentType("text/csv"),
                RequestBody.fromBytes(data));

        s3.copyObject(b -> b.sourceBucket(bucket).sourceKey("copy/cross").destinationBucket(target).destinationKey("replaced")
                .metadataDirective(MetadataDirective.REPLACE).metadata(Map.of("origin", "replaced")).contentType("application/json"));
        ResponseBytes<GetObjectResponse> got = s3.getObjectAsBytes(b -> b.bucket(target).key("replaced"));

        assertEquals(sha256(data), sha256(got.asByteArray()));
        assertEquals(Map.of("origin", "replaced"), got.response().metadata());
        assertEquals("application/json", got.response().contentType());
        assertEquals(Map.of("origin", "source"), s3.headObject(b -> b.bucket(bucket).key("copy/cross")).metadata());
    }

    @Test
    void deleteObjectsRemovesExactlyTheNamedKeys() {
        String b = cluster.newBucket("delete-many");
        for (String key : List.of("k1", "k2", "dir/k3", "dir/k4", "k5")) {
            s3.putObject(r -> r.bucket(b).key(key), RequestBody.fromString(key));
        }
        List<ObjectIdentifier> doomed = List.of("k1", "dir/k3", "k5", "never-existed").stream()
                .map(k -> ObjectIdentifier.builder().key(k).build()).toList();

        var result = s3.deleteObjects(r -> r.bucket(b).delete(d -> d.objects(doomed)));

        assertEquals(List.of(), result.errors());
        assertEquals(List.of("dir/k3", "k1", "k5", "never-existed"),
                result.deleted().stream().map(d -> d.key()).sorted().toList());
        assertEquals(List.of("dir/k4", "k2"), allKeys(s3, b));
    }

    @Test
    void overwriteReturnsTheNewBytes() {
        byte[] first = TestData.bytes(1, 6 * MiB);
        byte[] second = TestData.bytes(2, 1000);
        s3.putObject(b -> b.bucket(bucket).key("overwrite/x"), RequestBody.fromBytes(first));

        s3.putObject(b -> b.bucket(bucket).key("overwrite/x"), RequestBody.fromBytes(second));
        ResponseBytes<GetObjectResponse> got = s3.getObjectAsBytes(b -> b.bucket(bucket).key("overwrite/x"));

        assertArrayEquals(second, got.asByteArray());
        assertEquals(etag(second), got.response().eTag());
    }
}
