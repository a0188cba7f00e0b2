package io.mooseng.s3compat;

import io.mooseng.core.checksum.Crc64Nvme;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.checksums.DefaultChecksumAlgorithm;
import software.amazon.awssdk.core.ResponseBytes;
import software.amazon.awssdk.core.checksums.RequestChecksumCalculation;
import software.amazon.awssdk.core.checksums.ResponseChecksumValidation;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.ChecksumAlgorithm;
import software.amazon.awssdk.services.s3.model.ChecksumMode;
import software.amazon.awssdk.services.s3.model.ChecksumType;
import software.amazon.awssdk.services.s3.model.CompleteMultipartUploadResponse;
import software.amazon.awssdk.services.s3.model.CompletedPart;
import software.amazon.awssdk.services.s3.model.CopyObjectResponse;
import software.amazon.awssdk.services.s3.model.GetObjectAttributesResponse;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;
import software.amazon.awssdk.services.s3.model.ListPartsResponse;
import software.amazon.awssdk.services.s3.model.ObjectAttributes;
import software.amazon.awssdk.services.s3.model.PutObjectResponse;
import software.amazon.awssdk.services.s3.model.UploadPartResponse;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.zip.CRC32;
import java.util.zip.CRC32C;

import static io.mooseng.s3compat.S3Assertions.assertS3Error;
import static io.mooseng.s3compat.S3Assertions.assertS3Status;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * S3's additional checksums through the AWS SDK v2 (which computes and verifies them itself) and raw
 * requests: verified on PUT and parts (header and trailer), kept with the object, answered on request,
 * made whole from parts, carried or recomputed by copies, and listed by GetObjectAttributes.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class ChecksumsTest {
    @RegisterExtension
    static final ClusterExtension cluster = new ClusterExtension();
    private static final int PART = 5 << 20;

    private static S3Client s3;
    /** Sends checksums only when given, and checks none on answers: what goes over the wire is the test's. */
    private static S3Client plain;
    private static SignedHttp http;
    private static String bucket;

    @BeforeAll
    static void setUp() {
        s3 = cluster.client();
        plain = S3Client.builder().endpointOverride(cluster.endpoint()).region(S3Clients.REGION).forcePathStyle(true)
                .credentialsProvider(S3Clients.credentials(cluster.keys()))
                .requestChecksumCalculation(RequestChecksumCalculation.WHEN_REQUIRED)
                .responseChecksumValidation(ResponseChecksumValidation.WHEN_REQUIRED).build();
        http = new SignedHttp(cluster);
        bucket = cluster.newBucket("sums");
    }

    @AfterAll
    static void tearDown() {
        plain.close();
    }

    private static String b64(byte[] value) {
        return Base64.getEncoder().encodeToString(value);
    }

    private static String crc32(byte[] data) {
        CRC32 c = new CRC32();
        c.update(data);
        return b64(ByteBuffer.allocate(4).putInt((int) c.getValue()).array());
    }

    private static String crc32c(byte[] data) {
        CRC32C c = new CRC32C();
        c.update(data);
        return b64(ByteBuffer.allocate(4).putInt((int) c.getValue()).array());
    }

    private static String crc64nvme(byte[] data) {
        Crc64Nvme c = new Crc64Nvme();
        c.update(ByteBuffer.wrap(data));
        return b64(ByteBuffer.allocate(8).putLong(c.value()).array());
    }

    private static String digest(String algorithm, byte[] data) {
        return b64(TestData.digest(algorithm).digest(data));
    }

    @Test
    void theSdksDefaultTrailingChecksumIsVerifiedKeptAndAnsweredWhenAsked() {
        byte[] data = TestData.bytes(1, 300_000);
        // the SDK's default for PutObject: CRC32 in a trailer of an aws-chunked body
        PutObjectResponse put = s3.putObject(b -> b.bucket(bucket).key("default"), RequestBody.fromBytes(data));
        assertEquals(crc32(data), put.checksumCRC32());
        assertEquals(ChecksumType.FULL_OBJECT, put.checksumType());

        HeadObjectResponse head = s3.headObject(b -> b.bucket(bucket).key("default").checksumMode(ChecksumMode.ENABLED));
        assertEquals(crc32(data), head.checksumCRC32());
        assertEquals(ChecksumType.FULL_OBJECT, head.checksumType());
        assertNull(plain.headObject(b -> b.bucket(bucket).key("default")).checksumCRC32(), "only when asked for");
        // the SDK validates the body against the checksum it asked for
        ResponseBytes<GetObjectResponse> got = s3.getObjectAsBytes(b -> b.bucket(bucket).key("default").checksumMode(ChecksumMode.ENABLED));
        assertArrayEquals(data, got.asByteArray());
        assertEquals(crc32(data), got.response().checksumCRC32());
        // not for a range, as S3
        assertNull(s3.getObjectAsBytes(b -> b.bucket(bucket).key("default").range("bytes=0-99").checksumMode(ChecksumMode.ENABLED))
                .response().checksumCRC32());
    }

    @Test
    void everyAlgorithmIsVerifiedAndKept() {
        byte[] data = TestData.bytes(2, 70_000);
        Map<ChecksumAlgorithm, String> expected = Map.of(ChecksumAlgorithm.CRC32, crc32(data), ChecksumAlgorithm.CRC32_C, crc32c(data),
                ChecksumAlgorithm.SHA1, digest("SHA-1", data), ChecksumAlgorithm.SHA256, digest("SHA-256", data));
        for (var e : expected.entrySet()) {
            String key = "alg-" + e.getKey();
            // the SDK computes the checksum itself (trailer), the server verifies it
            s3.putObject(b -> b.bucket(bucket).key(key).checksumAlgorithm(e.getKey()), RequestBody.fromBytes(data));
            HeadObjectResponse head = s3.headObject(b -> b.bucket(bucket).key(key).checksumMode(ChecksumMode.ENABLED));
            String answered = switch (e.getKey()) {
                case CRC32 -> head.checksumCRC32();
                case CRC32_C -> head.checksumCRC32C();
                case SHA1 -> head.checksumSHA1();
                default -> head.checksumSHA256();
            };
            assertEquals(e.getValue(), answered, key);
        }
        // the SDK computes CRC64NVME only with the CRT: sent here as a header the test computed
        PutObjectResponse put = plain.putObject(b -> b.bucket(bucket).key("alg-crc64").checksumCRC64NVME(crc64nvme(data)),
                RequestBody.fromBytes(data));
        assertEquals(crc64nvme(data), put.checksumCRC64NVME());
        assertEquals(crc64nvme(data), plain.headObject(b -> b.bucket(bucket).key("alg-crc64").checksumMode(ChecksumMode.ENABLED))
                .checksumCRC64NVME());
        // a client validating answers by default, without the CRT's CRC64NVME, still reads such an object
        assertArrayEquals(data, s3.getObjectAsBytes(b -> b.bucket(bucket).key("alg-crc64")).asByteArray());
        // a checksum in a header, not a trailer
        plain.putObject(b -> b.bucket(bucket).key("header-sha1").checksumSHA1(digest("SHA-1", data)), RequestBody.fromBytes(data));
    }

    @Test
    void aWrongChecksumIsBadDigestAndStoresNothing() throws Exception {
        byte[] data = "the content".getBytes(StandardCharsets.UTF_8);
        String wrong = crc32c("other content".getBytes(StandardCharsets.UTF_8));
        assertS3Error(400, "BadDigest", () -> plain.putObject(b -> b.bucket(bucket).key("bad-sdk").checksumCRC32C(wrong),
                RequestBody.fromBytes(data)));
        assertS3Status(404, () -> plain.headObject(b -> b.bucket(bucket).key("bad-sdk")));

        SignedHttp.Response header = http.send("PUT", "/" + bucket + "/bad-header", Map.of("x-amz-checksum-sha256",
                digest("SHA-256", "x".getBytes(StandardCharsets.UTF_8))), data);
        assertEquals(400, header.status(), header::toString);
        assertEquals("BadDigest", header.errorCode());
        assertTrue(header.text().contains("The x-amz-checksum-sha256 you specified did not match the calculated checksum."), header::toString);
        assertS3Status(404, () -> plain.headObject(b -> b.bucket(bucket).key("bad-header")));

        // trailers: signed chunks and trailer (as the SDK's signer sends them over HTTP), then unsigned with a wrong value
        byte[] body = TestData.bytes(3, 100_000);
        SignedHttp.Response good = http.sendWithTrailer("PUT", "/" + bucket + "/trailer", body, DefaultChecksumAlgorithm.CRC32);
        assertEquals(200, good.status(), good::toString);
        assertEquals(crc32(body), good.headers().get("x-amz-checksum-crc32").getFirst());
        SignedHttp.Response unsigned = http.sendUnsignedTrailer("PUT", "/" + bucket + "/unsigned-trailer", body, "x-amz-checksum-crc32c",
                crc32c(body));
        assertEquals(200, unsigned.status(), unsigned::toString);
        assertEquals(crc32c(body), plain.headObject(b -> b.bucket(bucket).key("unsigned-trailer").checksumMode(ChecksumMode.ENABLED))
                .checksumCRC32C());
        SignedHttp.Response bad = http.sendUnsignedTrailer("PUT", "/" + bucket + "/bad-trailer", body, "x-amz-checksum-crc32c",
                crc32c(data));
        assertEquals(400, bad.status(), bad::toString);
        assertEquals("BadDigest", bad.errorCode());
        assertS3Status(404, () -> plain.headObject(b -> b.bucket(bucket).key("bad-trailer")));
    }

    @Test
    void aFullObjectMultipartChecksumIsTheWholeContentsCrc() {
        byte[] whole = TestData.bytes(4, PART + 1000);
        String key = "mp-full";
        String id = s3.createMultipartUpload(b -> b.bucket(bucket).key(key).checksumAlgorithm(ChecksumAlgorithm.CRC32_C)
                .checksumType(ChecksumType.FULL_OBJECT)).uploadId();
        List<CompletedPart> parts = new ArrayList<>();
        for (int n = 1, at = 0; at < whole.length; n++, at += PART) {
            byte[] part = Arrays.copyOfRange(whole, at, Math.min(whole.length, at + PART));
            int number = n;
            UploadPartResponse r = s3.uploadPart(b -> b.bucket(bucket).key(key).uploadId(id).partNumber(number)
                    .checksumAlgorithm(ChecksumAlgorithm.CRC32_C), RequestBody.fromBytes(part));
            assertEquals(crc32c(part), r.checksumCRC32C());
            parts.add(CompletedPart.builder().partNumber(number).eTag(r.eTag()).checksumCRC32C(r.checksumCRC32C()).build());
        }
        ListPartsResponse listed = s3.listParts(b -> b.bucket(bucket).key(key).uploadId(id));
        assertEquals(ChecksumAlgorithm.CRC32_C, listed.checksumAlgorithm());
        assertEquals(ChecksumType.FULL_OBJECT, listed.checksumType());
        assertEquals(parts.getFirst().checksumCRC32C(), listed.parts().getFirst().checksumCRC32C());

        CompleteMultipartUploadResponse done = s3.completeMultipartUpload(b -> b.bucket(bucket).key(key).uploadId(id)
                .multipartUpload(m -> m.parts(parts)));
        assertEquals(crc32c(whole), done.checksumCRC32C());
        assertEquals(ChecksumType.FULL_OBJECT, done.checksumType());
        // a full-object value is checked by the SDK on GET like a PUT's
        assertArrayEquals(whole, s3.getObjectAsBytes(b -> b.bucket(bucket).key(key).checksumMode(ChecksumMode.ENABLED)).asByteArray());
        // and a part read back answers that part's
        assertEquals(parts.get(1).checksumCRC32C(), s3.getObjectAsBytes(b -> b.bucket(bucket).key(key).partNumber(2)
                .checksumMode(ChecksumMode.ENABLED)).response().checksumCRC32C());
    }

    @Test
    void aCrc64MultipartUploadIsFullObjectAndTheServerComputesPartsSentWithout() {
        byte[] whole = TestData.bytes(5, PART + 77);
        String key = "mp-crc64";
        var created = plain.createMultipartUpload(b -> b.bucket(bucket).key(key).checksumAlgorithm(ChecksumAlgorithm.CRC64_NVME));
        assertEquals(ChecksumType.FULL_OBJECT, created.checksumType());
        List<CompletedPart> parts = new ArrayList<>();
        for (int n = 1, at = 0; at < whole.length; n++, at += PART) {
            byte[] part = Arrays.copyOfRange(whole, at, Math.min(whole.length, at + PART));
            int number = n;
            // no checksum sent: the server computes the upload's for each part
            UploadPartResponse r = plain.uploadPart(b -> b.bucket(bucket).key(key).uploadId(created.uploadId()).partNumber(number),
                    RequestBody.fromBytes(part));
            assertEquals(crc64nvme(part), r.checksumCRC64NVME());
            parts.add(CompletedPart.builder().partNumber(number).eTag(r.eTag()).build());
        }
        CompleteMultipartUploadResponse done = plain.completeMultipartUpload(b -> b.bucket(bucket).key(key).uploadId(created.uploadId())
                .checksumCRC64NVME(crc64nvme(whole)).multipartUpload(m -> m.parts(parts)));
        assertEquals(crc64nvme(whole), done.checksumCRC64NVME());
        assertS3Error(400, "InvalidRequest", () -> plain.createMultipartUpload(b -> b.bucket(bucket).key(key)
                .checksumAlgorithm(ChecksumAlgorithm.CRC64_NVME).checksumType(ChecksumType.COMPOSITE)));
        assertS3Error(400, "InvalidRequest", () -> plain.createMultipartUpload(b -> b.bucket(bucket).key(key)
                .checksumAlgorithm(ChecksumAlgorithm.SHA1).checksumType(ChecksumType.FULL_OBJECT)));
    }

    @Test
    void aCompositeChecksumAndGetObjectAttributes() {
        byte[] p1 = TestData.bytes(6, PART);
        byte[] p2 = TestData.bytes(7, 4000);
        String key = "mp-composite";
        String id = s3.createMultipartUpload(b -> b.bucket(bucket).key(key).checksumAlgorithm(ChecksumAlgorithm.SHA256)).uploadId();
        UploadPartResponse r1 = s3.uploadPart(b -> b.bucket(bucket).key(key).uploadId(id).partNumber(1)
                .checksumAlgorithm(ChecksumAlgorithm.SHA256), RequestBody.fromBytes(p1));
        // a part's checksum must be of the upload's algorithm
        assertS3Error(400, "InvalidRequest", () -> s3.uploadPart(b -> b.bucket(bucket).key(key).uploadId(id).partNumber(2)
                .checksumAlgorithm(ChecksumAlgorithm.CRC32), RequestBody.fromBytes(p2)));
        UploadPartResponse r2 = s3.uploadPart(b -> b.bucket(bucket).key(key).uploadId(id).partNumber(2)
                .checksumAlgorithm(ChecksumAlgorithm.SHA256), RequestBody.fromBytes(p2));
        CompletedPart c1 = CompletedPart.builder().partNumber(1).eTag(r1.eTag()).checksumSHA256(r1.checksumSHA256()).build();
        // a part checksum the client names must be the part's
        assertS3Error(400, "InvalidPart", () -> s3.completeMultipartUpload(b -> b.bucket(bucket).key(key).uploadId(id)
                .multipartUpload(m -> m.parts(c1, CompletedPart.builder().partNumber(2).eTag(r2.eTag()).checksumSHA256(r1.checksumSHA256()).build()))));
        CompleteMultipartUploadResponse done = s3.completeMultipartUpload(b -> b.bucket(bucket).key(key).uploadId(id)
                .multipartUpload(m -> m.parts(c1, CompletedPart.builder().partNumber(2).eTag(r2.eTag()).checksumSHA256(r2.checksumSHA256()).build())));
        byte[] both = ByteBuffer.allocate(64).put(Base64.getDecoder().decode(r1.checksumSHA256()))
                .put(Base64.getDecoder().decode(r2.checksumSHA256())).array();
        String composite = digest("SHA-256", both);
        assertEquals(composite + "-2", done.checksumSHA256());
        assertEquals(ChecksumType.COMPOSITE, done.checksumType());
        HeadObjectResponse head = s3.headObject(b -> b.bucket(bucket).key(key).checksumMode(ChecksumMode.ENABLED));
        assertEquals(composite + "-2", head.checksumSHA256());
        // the SDK skips validating a composite value; the content is the parts'
        byte[] read = s3.getObjectAsBytes(b -> b.bucket(bucket).key(key).checksumMode(ChecksumMode.ENABLED)).asByteArray();
        assertEquals(p1.length + p2.length, read.length);

        GetObjectAttributesResponse all = s3.getObjectAttributes(b -> b.bucket(bucket).key(key).objectAttributes(ObjectAttributes.E_TAG,
                ObjectAttributes.CHECKSUM, ObjectAttributes.OBJECT_PARTS, ObjectAttributes.STORAGE_CLASS, ObjectAttributes.OBJECT_SIZE));
        assertEquals(done.eTag().replace("\"", ""), all.eTag());
        assertEquals(composite, all.checksum().checksumSHA256());
        assertEquals(ChecksumType.COMPOSITE, all.checksum().checksumType());
        assertEquals(p1.length + p2.length, all.objectSize());
        assertEquals("EC_4_2", all.storageClassAsString());
        assertEquals(2, all.objectParts().totalPartsCount());
        assertEquals(List.of(1, 2), all.objectParts().parts().stream().map(p -> p.partNumber()).toList());
        assertEquals(r2.checksumSHA256(), all.objectParts().parts().get(1).checksumSHA256());
        assertEquals((long) p2.length, all.objectParts().parts().get(1).size());

        GetObjectAttributesResponse page = s3.getObjectAttributes(b -> b.bucket(bucket).key(key)
                .objectAttributes(ObjectAttributes.OBJECT_PARTS).maxParts(1));
        assertTrue(page.objectParts().isTruncated());
        assertEquals(1, page.objectParts().nextPartNumberMarker());
        assertNull(page.eTag());
        GetObjectAttributesResponse rest = s3.getObjectAttributes(b -> b.bucket(bucket).key(key)
                .objectAttributes(ObjectAttributes.OBJECT_PARTS).partNumberMarker(1));
        assertFalse(rest.objectParts().isTruncated());
        assertEquals(List.of(2), rest.objectParts().parts().stream().map(p -> p.partNumber()).toList());
    }

    @Test
    void getObjectAttributesOfASinglePartObjectAndItsErrors() throws Exception {
        byte[] data = TestData.bytes(8, 5000);
        s3.putObject(b -> b.bucket(bucket).key("attrs").checksumAlgorithm(ChecksumAlgorithm.SHA1), RequestBody.fromBytes(data));
        GetObjectAttributesResponse a = s3.getObjectAttributes(b -> b.bucket(bucket).key("attrs").objectAttributes(ObjectAttributes.E_TAG,
                ObjectAttributes.CHECKSUM, ObjectAttributes.OBJECT_PARTS, ObjectAttributes.OBJECT_SIZE));
        assertEquals(TestData.md5Hex(data), a.eTag());
        assertEquals(digest("SHA-1", data), a.checksum().checksumSHA1());
        assertEquals(ChecksumType.FULL_OBJECT, a.checksum().checksumType());
        assertNull(a.objectParts(), "an object of one part has no ObjectParts");
        assertEquals(5000L, a.objectSize());
        assertNull(a.storageClass());
        assertNotNull(a.lastModified());

        assertS3Error(404, "NoSuchKey", () -> s3.getObjectAttributes(b -> b.bucket(bucket).key("missing")
                .objectAttributes(ObjectAttributes.E_TAG)));
        SignedHttp.Response none = http.send("GET", "/" + bucket + "/attrs?attributes", Map.of(), new byte[0]);
        assertEquals(400, none.status(), none::toString);
        assertEquals("InvalidArgument", none.errorCode());
        SignedHttp.Response unknown = http.send("GET", "/" + bucket + "/attrs?attributes", Map.of("x-amz-object-attributes", "ETag,Colour"),
                new byte[0]);
        assertEquals(400, unknown.status(), unknown::toString);
        assertEquals("InvalidArgument", unknown.errorCode());
    }

    @Test
    void aCopyCarriesTheSourcesChecksumOrComputesTheOneAskedFor() {
        byte[] data = TestData.bytes(9, 200_000);
        s3.putObject(b -> b.bucket(bucket).key("copy-src").checksumAlgorithm(ChecksumAlgorithm.CRC32_C), RequestBody.fromBytes(data));
        CopyObjectResponse carried = s3.copyObject(b -> b.sourceBucket(bucket).sourceKey("copy-src").destinationBucket(bucket)
                .destinationKey("copy-carried"));
        assertEquals(crc32c(data), carried.copyObjectResult().checksumCRC32C());
        assertEquals(crc32c(data), s3.headObject(b -> b.bucket(bucket).key("copy-carried").checksumMode(ChecksumMode.ENABLED))
                .checksumCRC32C());

        CopyObjectResponse sha = s3.copyObject(b -> b.sourceBucket(bucket).sourceKey("copy-src").destinationBucket(bucket)
                .destinationKey("copy-sha").checksumAlgorithm(ChecksumAlgorithm.SHA256));
        assertEquals(digest("SHA-256", data), sha.copyObjectResult().checksumSHA256());
        assertNull(sha.copyObjectResult().checksumCRC32C());
        HeadObjectResponse head = s3.headObject(b -> b.bucket(bucket).key("copy-sha").checksumMode(ChecksumMode.ENABLED));
        assertEquals(digest("SHA-256", data), head.checksumSHA256());
        assertNull(head.checksumCRC32C());
        // a part copied into an upload with a checksum gets one computed as it is copied
        String id = s3.createMultipartUpload(b -> b.bucket(bucket).key("copy-part").checksumAlgorithm(ChecksumAlgorithm.CRC32)).uploadId();
        var copiedPart = s3.uploadPartCopy(b -> b.sourceBucket(bucket).sourceKey("copy-src").destinationBucket(bucket)
                .destinationKey("copy-part").uploadId(id).partNumber(1).copySourceRange("bytes=1000-1999"));
        assertEquals(crc32(Arrays.copyOfRange(data, 1000, 2000)), copiedPart.copyPartResult().checksumCRC32());
        assertEquals(copiedPart.copyPartResult().checksumCRC32(), s3.listParts(b -> b.bucket(bucket).key("copy-part").uploadId(id))
                .parts().getFirst().checksumCRC32());
        s3.abortMultipartUpload(b -> b.bucket(bucket).key("copy-part").uploadId(id));
        // copying onto itself with another checksum is a change S3 accepts
        s3.copyObject(b -> b.sourceBucket(bucket).sourceKey("copy-sha").destinationBucket(bucket).destinationKey("copy-sha")
                .checksumAlgorithm(ChecksumAlgorithm.SHA1));
        assertEquals(digest("SHA-1", data), s3.headObject(b -> b.bucket(bucket).key("copy-sha").checksumMode(ChecksumMode.ENABLED))
                .checksumSHA1());
    }
}
