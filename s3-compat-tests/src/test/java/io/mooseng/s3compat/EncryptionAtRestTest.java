package io.mooseng.s3compat;

import io.mooseng.core.model.AccessKeyRecord;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.mooseng.cli.Main;
import io.mooseng.core.crypto.KeyRing;
import io.mooseng.core.model.ObjectKey;
import io.mooseng.core.security.ClusterKey;
import io.mooseng.core.security.ClusterKeys;
import io.mooseng.core.security.SecretBox;
import io.mooseng.metadata.client.RaftMetadataService;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.core.ResponseBytes;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.BucketVersioningStatus;
import software.amazon.awssdk.services.s3.model.CompletedPart;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;
import software.amazon.awssdk.services.s3.model.PutObjectResponse;
import software.amazon.awssdk.services.s3.model.S3Exception;
import software.amazon.awssdk.services.s3.model.ServerSideEncryption;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static io.mooseng.s3compat.S3Assertions.assertS3Error;
import static io.mooseng.s3compat.S3Assertions.assertS3Status;
import static io.mooseng.s3compat.TestData.MiB;
import static io.mooseng.s3compat.TestData.etag;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Server-side encryption through aws-sdk-java-v2: SSE-S3, SSE-C, bucket default encryption, of PUTs, copies and multipart
 * uploads, and no plaintext on disk.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class EncryptionAtRestTest {
    @RegisterExtension
    static final ClusterExtension cluster = new ClusterExtension();
    private static final int CHUNK = 64 << 10;

    private static final ObjectMapper JSON = new ObjectMapper();

    private static S3Client s3;
    private static String bucket;

    @BeforeAll
    static void createBucket() {
        s3 = cluster.client();
        bucket = cluster.newBucket("sse");
    }

    @Test
    void sseS3RoundTripsWithItsHeaderAndTheMd5ETagAndRangesReadAtChunkEdges() {
        byte[] data = TestData.bytes(11, 5 * MiB + 17);
        PutObjectResponse put = s3.putObject(b -> b.bucket(bucket).key("s3/big").serverSideEncryption(ServerSideEncryption.AES256),
                RequestBody.fromBytes(data));
        assertEquals(ServerSideEncryption.AES256, put.serverSideEncryption());
        assertEquals(etag(data), put.eTag());

        ResponseBytes<GetObjectResponse> got = s3.getObjectAsBytes(b -> b.bucket(bucket).key("s3/big"));
        assertArrayEquals(data, got.asByteArray());
        assertEquals(ServerSideEncryption.AES256, got.response().serverSideEncryption());
        assertEquals(etag(data), got.response().eTag());
        HeadObjectResponse head = s3.headObject(b -> b.bucket(bucket).key("s3/big"));
        assertEquals(ServerSideEncryption.AES256, head.serverSideEncryption());
        assertEquals(data.length, head.contentLength());

        long[][] ranges = {{0, 0}, {CHUNK - 1, CHUNK}, {CHUNK, 2 * CHUNK - 1}, {4 * MiB - 3, 4 * MiB + 3}, {data.length - 10, data.length - 1},
                {12345, 3 * MiB}};
        for (long[] r : ranges) {
            ResponseBytes<GetObjectResponse> part = s3.getObjectAsBytes(b -> b.bucket(bucket).key("s3/big").range("bytes=" + r[0] + "-" + r[1]));
            assertArrayEquals(Arrays.copyOfRange(data, (int) r[0], (int) r[1] + 1), part.asByteArray(), r[0] + "-" + r[1]);
            assertEquals("bytes " + r[0] + "-" + r[1] + "/" + data.length, part.response().contentRange());
        }
    }

    @Test
    void smallSseS3ObjectsStoredInMetadataRoundTripToo() {
        for (int size : new int[] {0, 1, 100, 4000}) {
            byte[] data = TestData.bytes(size, size);
            s3.putObject(b -> b.bucket(bucket).key("s3/small-" + size).serverSideEncryption(ServerSideEncryption.AES256),
                    RequestBody.fromBytes(data));
            ResponseBytes<GetObjectResponse> got = s3.getObjectAsBytes(b -> b.bucket(bucket).key("s3/small-" + size));
            assertArrayEquals(data, got.asByteArray());
            assertEquals(ServerSideEncryption.AES256, got.response().serverSideEncryption());
        }
    }

    @Test
    void copiesDecryptTheSourceAndEncryptAsTheRequestSays() {
        byte[] data = TestData.bytes(3, 300_000);
        s3.putObject(b -> b.bucket(bucket).key("copy/src").serverSideEncryption(ServerSideEncryption.AES256), RequestBody.fromBytes(data));
        s3.copyObject(b -> b.sourceBucket(bucket).sourceKey("copy/src").destinationBucket(bucket).destinationKey("copy/plain"));
        ResponseBytes<GetObjectResponse> plain = s3.getObjectAsBytes(b -> b.bucket(bucket).key("copy/plain"));
        assertArrayEquals(data, plain.asByteArray());
        assertNull(plain.response().serverSideEncryption());

        var copied = s3.copyObject(b -> b.sourceBucket(bucket).sourceKey("copy/plain").destinationBucket(bucket).destinationKey("copy/again")
                .serverSideEncryption(ServerSideEncryption.AES256));
        assertEquals(ServerSideEncryption.AES256, copied.serverSideEncryption());
        assertArrayEquals(data, s3.getObjectAsBytes(b -> b.bucket(bucket).key("copy/again")).asByteArray());
        // in place, to change only the encryption
        s3.copyObject(b -> b.sourceBucket(bucket).sourceKey("copy/plain").destinationBucket(bucket).destinationKey("copy/plain")
                .serverSideEncryption(ServerSideEncryption.AES256));
        assertEquals(ServerSideEncryption.AES256, s3.headObject(b -> b.bucket(bucket).key("copy/plain")).serverSideEncryption());
    }

    @Test
    void sseCNeedsTheCustomersKeyOnEveryRead() {
        CustomerKey key = CustomerKey.random();
        byte[] data = TestData.bytes(5, 200_000);
        PutObjectResponse put = s3.putObject(b -> b.bucket(bucket).key("c/obj").sseCustomerAlgorithm("AES256").sseCustomerKey(key.base64)
                .sseCustomerKeyMD5(key.md5), RequestBody.fromBytes(data));
        assertEquals("AES256", put.sseCustomerAlgorithm());
        assertEquals(key.md5, put.sseCustomerKeyMD5());
        assertNotEquals(etag(data), put.eTag(), "an SSE-C ETag is not the plaintext's MD5");

        ResponseBytes<GetObjectResponse> got = s3.getObjectAsBytes(b -> b.bucket(bucket).key("c/obj").sseCustomerAlgorithm("AES256")
                .sseCustomerKey(key.base64).sseCustomerKeyMD5(key.md5));
        assertArrayEquals(data, got.asByteArray());
        assertEquals(key.md5, got.response().sseCustomerKeyMD5());
        ResponseBytes<GetObjectResponse> range = s3.getObjectAsBytes(b -> b.bucket(bucket).key("c/obj").range("bytes=70000-140000")
                .sseCustomerAlgorithm("AES256").sseCustomerKey(key.base64).sseCustomerKeyMD5(key.md5));
        assertArrayEquals(Arrays.copyOfRange(data, 70000, 140001), range.asByteArray());
        assertEquals(key.md5, s3.headObject(b -> b.bucket(bucket).key("c/obj").sseCustomerAlgorithm("AES256")
                .sseCustomerKey(key.base64).sseCustomerKeyMD5(key.md5)).sseCustomerKeyMD5());

        assertS3Error(400, "InvalidRequest", () -> s3.getObjectAsBytes(b -> b.bucket(bucket).key("c/obj")));
        assertS3Status(400, () -> s3.headObject(b -> b.bucket(bucket).key("c/obj")));
        CustomerKey other = CustomerKey.random();
        assertS3Error(403, "AccessDenied", () -> s3.getObjectAsBytes(b -> b.bucket(bucket).key("c/obj").sseCustomerAlgorithm("AES256")
                .sseCustomerKey(other.base64).sseCustomerKeyMD5(other.md5)));
        assertS3Error(400, "InvalidArgument", () -> s3.getObjectAsBytes(b -> b.bucket(bucket).key("c/obj").sseCustomerAlgorithm("AES256")
                .sseCustomerKey(key.base64).sseCustomerKeyMD5(other.md5)));

        // copy out of SSE-C into SSE-S3, with the source's key
        s3.copyObject(b -> b.sourceBucket(bucket).sourceKey("c/obj").destinationBucket(bucket).destinationKey("c/copy")
                .copySourceSSECustomerAlgorithm("AES256").copySourceSSECustomerKey(key.base64).copySourceSSECustomerKeyMD5(key.md5)
                .serverSideEncryption(ServerSideEncryption.AES256));
        assertArrayEquals(data, s3.getObjectAsBytes(b -> b.bucket(bucket).key("c/copy")).asByteArray());
        assertS3Error(400, "InvalidRequest", () -> s3.copyObject(b -> b.sourceBucket(bucket).sourceKey("c/obj")
                .destinationBucket(bucket).destinationKey("c/copy2")));
    }

    @Test
    void bucketDefaultEncryptionAppliesToWritesWithoutTheirOwn() {
        String b2 = cluster.newBucket("sse-default");
        assertS3Error(404, "ServerSideEncryptionConfigurationNotFoundError", () -> s3.getBucketEncryption(b -> b.bucket(b2)));
        s3.putBucketEncryption(b -> b.bucket(b2).serverSideEncryptionConfiguration(c -> c.rules(r -> r.applyServerSideEncryptionByDefault(
                d -> d.sseAlgorithm(ServerSideEncryption.AES256)))));
        assertEquals(ServerSideEncryption.AES256, s3.getBucketEncryption(b -> b.bucket(b2)).serverSideEncryptionConfiguration().rules()
                .getFirst().applyServerSideEncryptionByDefault().sseAlgorithm());

        byte[] data = TestData.bytes(9, 100_000);
        assertEquals(ServerSideEncryption.AES256, s3.putObject(b -> b.bucket(b2).key("k"), RequestBody.fromBytes(data)).serverSideEncryption());
        ResponseBytes<GetObjectResponse> got = s3.getObjectAsBytes(b -> b.bucket(b2).key("k"));
        assertArrayEquals(data, got.asByteArray());
        assertEquals(ServerSideEncryption.AES256, got.response().serverSideEncryption());

        assertS3Error(501, "NotImplemented", () -> s3.putBucketEncryption(b -> b.bucket(b2).serverSideEncryptionConfiguration(
                c -> c.rules(r -> r.applyServerSideEncryptionByDefault(d -> d.sseAlgorithm(ServerSideEncryption.AWS_KMS))))));
        // a multipart upload too: the upload says so, its one (small, last) part is encrypted, and so is the object
        var mp = s3.createMultipartUpload(b -> b.bucket(b2).key("mp"));
        assertEquals(ServerSideEncryption.AES256, mp.serverSideEncryption());
        var part = s3.uploadPart(b -> b.bucket(b2).key("mp").uploadId(mp.uploadId()).partNumber(1), RequestBody.fromBytes(data));
        assertEquals(ServerSideEncryption.AES256, part.serverSideEncryption());
        assertEquals(etag(data), part.eTag(), "an SSE-S3 part's ETag is its plaintext's MD5, as a PUT's");
        assertEquals(ServerSideEncryption.AES256, s3.completeMultipartUpload(b -> b.bucket(b2).key("mp").uploadId(mp.uploadId())
                .multipartUpload(m -> m.parts(p -> p.partNumber(1).eTag(part.eTag())))).serverSideEncryption());
        ResponseBytes<GetObjectResponse> mpGot = s3.getObjectAsBytes(b -> b.bucket(b2).key("mp"));
        assertArrayEquals(data, mpGot.asByteArray());
        assertEquals(ServerSideEncryption.AES256, mpGot.response().serverSideEncryption());
        s3.deleteBucketEncryption(b -> b.bucket(b2));
        assertS3Error(404, "ServerSideEncryptionConfigurationNotFoundError", () -> s3.getBucketEncryption(b -> b.bucket(b2)));
        assertNull(s3.putObject(b -> b.bucket(b2).key("k2"), RequestBody.fromBytes(data)).serverSideEncryption());
    }

    @Test
    void kmsIsRefusedRatherThanIgnored() {
        assertS3Error(501, "NotImplemented", () -> s3.putObject(b -> b.bucket(bucket).key("kms").serverSideEncryption(ServerSideEncryption.AWS_KMS),
                RequestBody.fromString("x")));
        assertS3Error(501, "NotImplemented", () -> s3.createMultipartUpload(b -> b.bucket(bucket).key("mp")
                .serverSideEncryption(ServerSideEncryption.AWS_KMS)));
    }

    @Test
    void sseS3MultipartUploadsReadBackWholeByPartAndInRangesAcrossParts() {
        byte[] p1 = TestData.bytes(21, 5 * MiB);
        byte[] p2 = TestData.bytes(22, 5 * MiB + 3);
        byte[] p3 = TestData.bytes(23, 1000);
        byte[] data = concat(p1, p2, p3);
        var mp = s3.createMultipartUpload(b -> b.bucket(bucket).key("mp/s3").serverSideEncryption(ServerSideEncryption.AES256));
        assertEquals(ServerSideEncryption.AES256, mp.serverSideEncryption());
        List<CompletedPart> parts = new ArrayList<>();
        byte[][] pieces = {p1, p2, p3};
        for (int i = 0; i < pieces.length; i++) {
            int n = i + 1;
            byte[] piece = pieces[i];
            var up = s3.uploadPart(b -> b.bucket(bucket).key("mp/s3").uploadId(mp.uploadId()).partNumber(n), RequestBody.fromBytes(piece));
            assertEquals(ServerSideEncryption.AES256, up.serverSideEncryption());
            assertEquals(etag(piece), up.eTag());
            parts.add(CompletedPart.builder().partNumber(n).eTag(up.eTag()).build());
        }
        // part 2 again (a client's retry): the object holds the second upload's bytes
        var again = s3.uploadPart(b -> b.bucket(bucket).key("mp/s3").uploadId(mp.uploadId()).partNumber(2), RequestBody.fromBytes(p2));
        parts.set(1, CompletedPart.builder().partNumber(2).eTag(again.eTag()).build());
        var done = s3.completeMultipartUpload(b -> b.bucket(bucket).key("mp/s3").uploadId(mp.uploadId()).multipartUpload(m -> m.parts(parts)));
        assertEquals(ServerSideEncryption.AES256, done.serverSideEncryption());
        assertTrue(done.eTag().endsWith("-3\""), done.eTag());

        ResponseBytes<GetObjectResponse> got = s3.getObjectAsBytes(b -> b.bucket(bucket).key("mp/s3"));
        assertArrayEquals(data, got.asByteArray());
        assertEquals(ServerSideEncryption.AES256, got.response().serverSideEncryption());
        assertEquals(done.eTag(), got.response().eTag());
        assertEquals(ServerSideEncryption.AES256, s3.headObject(b -> b.bucket(bucket).key("mp/s3")).serverSideEncryption());
        int b1 = p1.length;
        int b2 = b1 + p2.length;
        long[][] ranges = {{b1 - 1, b1}, {b1 - CHUNK - 5, b1 + CHUNK + 5}, {b1, b1}, {b2 - 3, b2 + 500}, {b1 - 10, b2 + 10},
                {data.length - 1, data.length - 1}, {100, data.length - 1}};
        for (long[] r : ranges) {
            ResponseBytes<GetObjectResponse> part = s3.getObjectAsBytes(b -> b.bucket(bucket).key("mp/s3").range("bytes=" + r[0] + "-" + r[1]));
            assertArrayEquals(Arrays.copyOfRange(data, (int) r[0], (int) r[1] + 1), part.asByteArray(), r[0] + "-" + r[1]);
        }
        assertArrayEquals(p2, s3.getObjectAsBytes(b -> b.bucket(bucket).key("mp/s3").partNumber(2)).asByteArray());
        assertArrayEquals(p3, s3.getObjectAsBytes(b -> b.bucket(bucket).key("mp/s3").partNumber(3)).asByteArray());

        // a copy of it decrypts it
        s3.copyObject(b -> b.sourceBucket(bucket).sourceKey("mp/s3").destinationBucket(bucket).destinationKey("mp/s3-copy"));
        assertArrayEquals(data, s3.getObjectAsBytes(b -> b.bucket(bucket).key("mp/s3-copy")).asByteArray());
    }

    @Test
    void sseCMultipartUploadsNeedTheKeyOnEveryPartAndRead() {
        CustomerKey key = CustomerKey.random();
        CustomerKey other = CustomerKey.random();
        byte[] p1 = TestData.bytes(31, 5 * MiB);
        byte[] p2 = TestData.bytes(32, 70_000);
        var mp = s3.createMultipartUpload(b -> b.bucket(bucket).key("mp/c").sseCustomerAlgorithm("AES256").sseCustomerKey(key.base64)
                .sseCustomerKeyMD5(key.md5));
        assertEquals(key.md5, mp.sseCustomerKeyMD5());
        String id = mp.uploadId();
        assertS3Error(400, "InvalidRequest", () -> s3.uploadPart(b -> b.bucket(bucket).key("mp/c").uploadId(id).partNumber(1),
                RequestBody.fromBytes(p2)));
        assertS3Error(403, "AccessDenied", () -> s3.uploadPart(b -> b.bucket(bucket).key("mp/c").uploadId(id).partNumber(1)
                .sseCustomerAlgorithm("AES256").sseCustomerKey(other.base64).sseCustomerKeyMD5(other.md5), RequestBody.fromBytes(p2)));
        var up1 = s3.uploadPart(b -> b.bucket(bucket).key("mp/c").uploadId(id).partNumber(1).sseCustomerAlgorithm("AES256")
                .sseCustomerKey(key.base64).sseCustomerKeyMD5(key.md5), RequestBody.fromBytes(p1));
        assertEquals(key.md5, up1.sseCustomerKeyMD5());
        assertNotEquals(etag(p1), up1.eTag(), "an SSE-C part's ETag is not its plaintext's MD5, as a PUT's");
        var up2 = s3.uploadPart(b -> b.bucket(bucket).key("mp/c").uploadId(id).partNumber(2).sseCustomerAlgorithm("AES256")
                .sseCustomerKey(key.base64).sseCustomerKeyMD5(key.md5), RequestBody.fromBytes(p2));
        s3.completeMultipartUpload(b -> b.bucket(bucket).key("mp/c").uploadId(id).multipartUpload(m -> m.parts(
                p -> p.partNumber(1).eTag(up1.eTag()), p -> p.partNumber(2).eTag(up2.eTag()))));

        byte[] data = concat(p1, p2);
        ResponseBytes<GetObjectResponse> got = s3.getObjectAsBytes(b -> b.bucket(bucket).key("mp/c").sseCustomerAlgorithm("AES256")
                .sseCustomerKey(key.base64).sseCustomerKeyMD5(key.md5));
        assertArrayEquals(data, got.asByteArray());
        assertEquals(key.md5, got.response().sseCustomerKeyMD5());
        ResponseBytes<GetObjectResponse> across = s3.getObjectAsBytes(b -> b.bucket(bucket).key("mp/c").range("bytes=" + (p1.length - 100)
                + "-" + (p1.length + 100)).sseCustomerAlgorithm("AES256").sseCustomerKey(key.base64).sseCustomerKeyMD5(key.md5));
        assertArrayEquals(Arrays.copyOfRange(data, p1.length - 100, p1.length + 101), across.asByteArray());
        assertS3Error(400, "InvalidRequest", () -> s3.getObjectAsBytes(b -> b.bucket(bucket).key("mp/c")));
        assertS3Error(403, "AccessDenied", () -> s3.getObjectAsBytes(b -> b.bucket(bucket).key("mp/c").sseCustomerAlgorithm("AES256")
                .sseCustomerKey(other.base64).sseCustomerKeyMD5(other.md5)));
    }

    @Test
    void uploadPartCopyFillsAnEncryptedUploadFromPlainAndEncryptedSources() {
        CustomerKey sourceKey = CustomerKey.random();
        CustomerKey uploadKey = CustomerKey.random();
        byte[] plain = TestData.bytes(41, 5 * MiB + 10);
        byte[] secret = TestData.bytes(42, 300_000);
        s3.putObject(b -> b.bucket(bucket).key("upc/plain"), RequestBody.fromBytes(plain));
        s3.putObject(b -> b.bucket(bucket).key("upc/secret").sseCustomerAlgorithm("AES256").sseCustomerKey(sourceKey.base64)
                .sseCustomerKeyMD5(sourceKey.md5), RequestBody.fromBytes(secret));
        var mp = s3.createMultipartUpload(b -> b.bucket(bucket).key("upc/dst").sseCustomerAlgorithm("AES256")
                .sseCustomerKey(uploadKey.base64).sseCustomerKeyMD5(uploadKey.md5));
        String id = mp.uploadId();
        var c1 = s3.uploadPartCopy(b -> b.sourceBucket(bucket).sourceKey("upc/plain").destinationBucket(bucket).destinationKey("upc/dst")
                .uploadId(id).partNumber(1).sseCustomerAlgorithm("AES256").sseCustomerKey(uploadKey.base64).sseCustomerKeyMD5(uploadKey.md5));
        assertEquals(uploadKey.md5, c1.sseCustomerKeyMD5());
        assertS3Error(400, "InvalidRequest", () -> s3.uploadPartCopy(b -> b.sourceBucket(bucket).sourceKey("upc/secret")
                .destinationBucket(bucket).destinationKey("upc/dst").uploadId(id).partNumber(2).copySourceRange("bytes=1000-200999")
                .sseCustomerAlgorithm("AES256").sseCustomerKey(uploadKey.base64).sseCustomerKeyMD5(uploadKey.md5)));
        var c2 = s3.uploadPartCopy(b -> b.sourceBucket(bucket).sourceKey("upc/secret").destinationBucket(bucket).destinationKey("upc/dst")
                .uploadId(id).partNumber(2).copySourceRange("bytes=1000-200999")
                .copySourceSSECustomerAlgorithm("AES256").copySourceSSECustomerKey(sourceKey.base64).copySourceSSECustomerKeyMD5(sourceKey.md5)
                .sseCustomerAlgorithm("AES256").sseCustomerKey(uploadKey.base64).sseCustomerKeyMD5(uploadKey.md5));
        s3.completeMultipartUpload(b -> b.bucket(bucket).key("upc/dst").uploadId(id).multipartUpload(m -> m.parts(
                p -> p.partNumber(1).eTag(c1.copyPartResult().eTag()), p -> p.partNumber(2).eTag(c2.copyPartResult().eTag()))));
        byte[] expected = concat(plain, Arrays.copyOfRange(secret, 1000, 201_000));
        assertArrayEquals(expected, s3.getObjectAsBytes(b -> b.bucket(bucket).key("upc/dst").sseCustomerAlgorithm("AES256")
                .sseCustomerKey(uploadKey.base64).sseCustomerKeyMD5(uploadKey.md5)).asByteArray());
    }

    private static byte[] concat(byte[]... pieces) {
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        for (byte[] p : pieces) {
            out.writeBytes(p);
        }
        return out.toByteArray();
    }

    /**
     * The proof: a recognizable plaintext written with SSE-S3 and SSE-C (in blocks and inline in metadata) is found in no file of
     * the cluster's folders, while the same kind of plaintext written unencrypted is found there.
     */
    @Test
    void noPlaintextOfEncryptedObjectsIsOnDisk() throws IOException {
        CustomerKey key = CustomerKey.random();
        String b3 = cluster.newBucket("sse-grep");
        s3.putObject(b -> b.bucket(b3).key("plain"), RequestBody.fromBytes(marker("PLAIN-BLOCKS-MARKER/", MiB)));
        s3.putObject(b -> b.bucket(b3).key("plain-inline"), RequestBody.fromBytes(marker("PLAIN-INLINE-MARKER/", 2000)));
        s3.putObject(b -> b.bucket(b3).key("s3").serverSideEncryption(ServerSideEncryption.AES256),
                RequestBody.fromBytes(marker("SSE-S3-BLOCKS-MARKER/", MiB)));
        s3.putObject(b -> b.bucket(b3).key("s3-inline").serverSideEncryption(ServerSideEncryption.AES256),
                RequestBody.fromBytes(marker("SSE-S3-INLINE-MARKER/", 2000)));
        s3.putObject(b -> b.bucket(b3).key("c").sseCustomerAlgorithm("AES256").sseCustomerKey(key.base64).sseCustomerKeyMD5(key.md5),
                RequestBody.fromBytes(marker("SSE-C-BLOCKS-MARKER/", MiB)));
        s3.putObject(b -> b.bucket(b3).key("c-inline").sseCustomerAlgorithm("AES256").sseCustomerKey(key.base64).sseCustomerKeyMD5(key.md5),
                RequestBody.fromBytes(marker("SSE-C-INLINE-MARKER/", 2000)));
        var mp = s3.createMultipartUpload(b -> b.bucket(b3).key("mp").serverSideEncryption(ServerSideEncryption.AES256));
        var up1 = s3.uploadPart(b -> b.bucket(b3).key("mp").uploadId(mp.uploadId()).partNumber(1),
                RequestBody.fromBytes(marker("SSE-S3-PARTS-MARKER/", 5 * MiB)));
        var up2 = s3.uploadPart(b -> b.bucket(b3).key("mp").uploadId(mp.uploadId()).partNumber(2),
                RequestBody.fromBytes(marker("SSE-S3-PARTS-MARKER/", 3000)));
        s3.completeMultipartUpload(b -> b.bucket(b3).key("mp").uploadId(mp.uploadId()).multipartUpload(m -> m.parts(
                p -> p.partNumber(1).eTag(up1.eTag()), p -> p.partNumber(2).eTag(up2.eTag()))));

        List<String> found = markersOnDisk(cluster.dataDir(), List.of("PLAIN-BLOCKS-MARKER/", "PLAIN-INLINE-MARKER/", "SSE-S3-BLOCKS-MARKER/",
                "SSE-S3-INLINE-MARKER/", "SSE-C-BLOCKS-MARKER/", "SSE-C-INLINE-MARKER/", "SSE-S3-PARTS-MARKER/"));
        assertEquals(List.of("PLAIN-BLOCKS-MARKER/", "PLAIN-INLINE-MARKER/"), found,
                "the unencrypted markers are found (the search works), the encrypted ones are not");
    }

    /**
     * The operator's rotation, end to end: a new key installed beside the old one, `admin cluster-key rotate`, the old key removed;
     * objects (in blocks, inline, in the trash, noncurrent versions) and a user's key keep working, no shard file changes, and a second run does nothing.
     */
    @Test
    void rotatingTheClusterKeyReSealsDataKeysAndSecretsWithoutRewritingData() throws Exception {
        String b4 = cluster.newBucket("sse-rotate");
        byte[] big = TestData.bytes(21, 2 * MiB + 5);
        byte[] small = TestData.bytes(22, 300);
        byte[] trashed = TestData.bytes(23, 70_000);
        for (var o : List.of(Map.entry("big", big), Map.entry("small", small), Map.entry("trashed", trashed))) {
            s3.putObject(b -> b.bucket(b4).key(o.getKey()).serverSideEncryption(ServerSideEncryption.AES256), RequestBody.fromBytes(o.getValue()));
        }
        s3.deleteObject(b -> b.bucket(b4).key("trashed"));
        S3Keys reader = cluster.addUser("rotation-reader", "readonly");
        // an SSE-S3 multipart upload in progress across the rotation: its data key is re-sealed too
        byte[] partOne = TestData.bytes(24, 5 * MiB);
        byte[] partTwo = TestData.bytes(25, 1000);
        String uploadId = s3.createMultipartUpload(b -> b.bucket(b4).key("mp").serverSideEncryption(ServerSideEncryption.AES256)).uploadId();
        String etagOne = s3.uploadPart(b -> b.bucket(b4).key("mp").uploadId(uploadId).partNumber(1), RequestBody.fromBytes(partOne)).eTag();
        // a noncurrent version of a versioned bucket is re-sealed as well
        String versioned = cluster.newBucket("sse-rotate-versions");
        s3.putBucketVersioning(b -> b.bucket(versioned).versioningConfiguration(c -> c.status(BucketVersioningStatus.ENABLED)));
        byte[] oldVersion = TestData.bytes(26, 90_000);
        String oldVersionId = s3.putObject(b -> b.bucket(versioned).key("v").serverSideEncryption(ServerSideEncryption.AES256),
                RequestBody.fromBytes(oldVersion)).versionId();
        s3.putObject(b -> b.bucket(versioned).key("v").serverSideEncryption(ServerSideEncryption.AES256), RequestBody.fromBytes(small));
        Map<Path, byte[]> shardsBefore = chunkserverFiles();
        String masters = cluster.cluster().raftAddress().toString();
        long trashedInode;
        byte[] inlineBefore;
        try (RaftMetadataService metadata = RaftMetadataService.connect(List.of(masters))) {
            trashedInode = metadata.listTrash(b4).get(30, TimeUnit.SECONDS).getFirst().inode();
            inlineBefore = metadata.getObject(b4, ObjectKey.parse("small")).get(30, TimeUnit.SECONDS).manifest().inlineData();
        }

        // make a new key and install it beside the old one (the gateway re-reads its key files within a second)
        Path dir = cluster.dataDir();
        Path current = dir.resolve(ClusterKey.FILE);
        Path previous = dir.resolve(ClusterKeys.PREVIOUS_FILE);
        Path made = dir.resolve("new-cluster.key");
        assertEquals(0, Main.commandLine().execute("admin", "cluster-key", "create", made.toString()));
        KeyPair oldPair = ClusterKey.read(current);
        KeyPair newPair = ClusterKey.read(made);
        Files.move(current, previous);
        Files.move(made, current);

        JsonNode first = JSON.readTree(cluster.admin("cluster-key", "rotate", "--old", previous.toString(), "--new", current.toString(), "--json"));
        assertTrue(first.get("registered").asBoolean(), first.toString());
        assertTrue(first.get("objectsResealed").asLong() >= 4, "3 objects and the upload: " + first);
        assertTrue(first.get("accessKeysResealed").asInt() >= 2, "the administrator's and the reader's: " + first);
        assertEquals(0, first.get("unopenable").size(), first.toString());

        // everything is sealed to the new key now, the trashed version too, and the namespace registers it
        try (RaftMetadataService metadata = RaftMetadataService.connect(List.of(masters))) {
            KeyRing onlyNew = new KeyRing(newPair);
            for (String k : List.of("big", "small")) {
                onlyNew.open(metadata.getObject(b4, ObjectKey.parse(k)).get(30, TimeUnit.SECONDS).manifest().encryption(), null);
            }
            onlyNew.open(metadata.trashedObject(b4, trashedInode).get(30, TimeUnit.SECONDS).manifest().encryption(), null);
            var ids = metadata.identities(-1).get(30, TimeUnit.SECONDS);
            assertArrayEquals(newPair.getPublic().getEncoded(), ids.clusterKey());
            for (var k : ids.keys()) {
                SecretBox.open(newPair, k.sealedSecret(), AccessKeyRecord.sealContext(k.accessKey()));
            }
            assertArrayEquals(inlineBefore, metadata.getObject(b4, ObjectKey.parse("small")).get(30, TimeUnit.SECONDS).manifest().inlineData(),
                    "inline content is not rewritten either");
            metadata.restoreTrash(b4, trashedInode).get(30, TimeUnit.SECONDS);
        }
        assertFalse(Arrays.equals(oldPair.getPublic().getEncoded(), newPair.getPublic().getEncoded()));
        // a second run (after a crash, or to catch writes sealed by a gateway that learnt of the new key late) finds nothing left
        JsonNode again = JSON.readTree(cluster.admin("cluster-key", "rotate", "--old", previous.toString(), "--new", current.toString(), "--json"));
        assertFalse(again.get("registered").asBoolean(), again.toString());
        assertEquals(0, again.get("objectsResealed").asLong(), again.toString());
        assertEquals(0, again.get("accessKeysResealed").asInt(), again.toString());

        // a canary sealed back to the old key: the gateway opens it while it holds both pairs, and stops when the old one leaves
        s3.putObject(b -> b.bucket(b4).key("canary").serverSideEncryption(ServerSideEncryption.AES256), RequestBody.fromBytes(small));
        try (RaftMetadataService metadata = RaftMetadataService.connect(List.of(masters))) {
            var canary = metadata.getObject(b4, ObjectKey.parse("canary")).get(30, TimeUnit.SECONDS);
            var e = canary.manifest().encryption();
            assertTrue(metadata.resealObject(b4, canary.inode(), e.wrappedKey(), KeyRing.reseal(e, newPair, oldPair).orElseThrow().wrappedKey())
                    .get(30, TimeUnit.SECONDS));
        }
        assertArrayEquals(small, s3.getObjectAsBytes(b -> b.bucket(b4).key("canary")).asByteArray());

        // the old key leaves the gateway (it re-reads its key files within a second); the canary no longer opens, and reads,
        // ranged reads and the user's signature work with the new key alone
        Files.delete(previous);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (canaryOpens(b4)) {
            assertTrue(System.nanoTime() < deadline, "the gateway still opens a data key sealed to the removed key");
            Thread.sleep(200);
        }
        s3.deleteObject(b -> b.bucket(b4).key("canary"));
        String etagTwo = s3.uploadPart(b -> b.bucket(b4).key("mp").uploadId(uploadId).partNumber(2), RequestBody.fromBytes(partTwo)).eTag();
        s3.completeMultipartUpload(b -> b.bucket(b4).key("mp").uploadId(uploadId).multipartUpload(m -> m.parts(
                CompletedPart.builder().partNumber(1).eTag(etagOne).build(), CompletedPart.builder().partNumber(2).eTag(etagTwo).build())));
        byte[] whole = Arrays.copyOf(partOne, partOne.length + partTwo.length);
        System.arraycopy(partTwo, 0, whole, partOne.length, partTwo.length);
        assertArrayEquals(whole, s3.getObjectAsBytes(b -> b.bucket(b4).key("mp")).asByteArray(), "the upload completes under the new key");
        assertArrayEquals(big, s3.getObjectAsBytes(b -> b.bucket(b4).key("big")).asByteArray());
        assertArrayEquals(Arrays.copyOfRange(big, MiB - 7, 2 * MiB + 1),
                s3.getObjectAsBytes(b -> b.bucket(b4).key("big").range("bytes=" + (MiB - 7) + "-" + 2 * MiB)).asByteArray());
        assertArrayEquals(small, s3.getObjectAsBytes(b -> b.bucket(b4).key("small")).asByteArray());
        assertArrayEquals(trashed, s3.getObjectAsBytes(b -> b.bucket(b4).key("trashed")).asByteArray());
        assertArrayEquals(oldVersion, s3.getObjectAsBytes(b -> b.bucket(versioned).key("v").versionId(oldVersionId)).asByteArray());
        try (S3Client asReader = S3Clients.sync(cluster.endpoint(), reader)) {
            assertArrayEquals(Arrays.copyOfRange(small, 10, 20),
                    asReader.getObjectAsBytes(b -> b.bucket(b4).key("small").range("bytes=10-19")).asByteArray());
        }
        // new writes are sealed to the new key
        s3.putObject(b -> b.bucket(b4).key("after").serverSideEncryption(ServerSideEncryption.AES256), RequestBody.fromBytes(small));
        assertArrayEquals(small, s3.getObjectAsBytes(b -> b.bucket(b4).key("after")).asByteArray());

        // data is never rewritten: every byte of the chunkservers' segment logs is as it was (the upload's
        // second part was appended after them)
        Map<Path, byte[]> shardsAfter = chunkserverFiles();
        assertFalse(shardsBefore.isEmpty());
        for (var e : shardsBefore.entrySet()) {
            byte[] was = e.getValue();
            byte[] now = shardsAfter.get(e.getKey());
            assertTrue(now != null && now.length >= was.length && Arrays.equals(was, 0, was.length, now, 0, was.length),
                    "changed or gone: " + e.getKey());
        }

        // a rotation run before the new key reached the gateway (a step skipped): its keys stop working there until the file
        // arrives, then every secret is opened again without a restart
        Path newer = dir.resolve("newer-cluster.key");
        assertEquals(0, Main.commandLine().execute("admin", "cluster-key", "create", newer.toString()));
        AdminCli.Outcome third = AdminCli.execute(masters, "cluster-key", "rotate", "--old", current.toString(), "--new", newer.toString(),
                "--json");
        // the deleted canary, in the trash and sealed to a key nobody holds any more, is listed and left as it is
        assertEquals(1, third.status(), third.printed());
        assertEquals(List.of(b4 + "/canary"), JSON.convertValue(JSON.readTree(third.printed()).get("unopenable"), List.class));
        try (S3Client asReader = S3Clients.sync(cluster.endpoint(), reader)) {
            // the gateway drops the reader's key at its next identity poll (within a second); until then the key still signs
            // but the object's data key, re-sealed already, does not open here (500)
            long dropped = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (true) {
                S3Exception e = assertThrows(S3Exception.class, () -> asReader.getObjectAsBytes(b -> b.bucket(b4).key("small")));
                if (e.statusCode() == 403) {
                    break;
                }
                assertEquals(500, e.statusCode(), e.getMessage());
                assertTrue(System.nanoTime() < dropped, "the reader's key still works where the cluster key is missing");
                Thread.sleep(100);
            }
            Files.move(current, previous);
            Files.move(newer, current);
            long installed = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (true) {
                try {
                    assertArrayEquals(big, asReader.getObjectAsBytes(b -> b.bucket(b4).key("big")).asByteArray());
                    break;
                } catch (S3Exception e) {
                    assertEquals(403, e.statusCode(), e.getMessage());
                    assertTrue(System.nanoTime() < installed, "the reader's key does not work again after the new key was installed");
                    Thread.sleep(200);
                }
            }
        }
    }

    private static boolean canaryOpens(String b) {
        try {
            s3.headObject(r -> r.bucket(b).key("canary"));
            s3.getObjectAsBytes(r -> r.bucket(b).key("canary"));
            return true;
        } catch (S3Exception e) {
            assertEquals(500, e.statusCode(), e.getMessage());
            return false;
        }
    }

    /** The bytes of every file in the chunkservers' folders. */
    private static Map<Path, byte[]> chunkserverFiles() throws IOException {
        Map<Path, byte[]> out = new HashMap<>();
        try (Stream<Path> walk = Files.walk(cluster.dataDir())) {
            for (Path f : walk.filter(p -> Files.isRegularFile(p) && p.toString().contains("chunkserver-")).toList()) {
                out.put(f, Files.readAllBytes(f));
            }
        }
        return out;
    }

    private static byte[] marker(String marker, int size) {
        byte[] m = marker.getBytes(StandardCharsets.US_ASCII);
        byte[] out = new byte[size];
        for (int i = 0; i < size; i++) {
            out[i] = m[i % m.length];
        }
        return out;
    }

    /** The markers found in any file under {@code dir} (chunkservers' shards, the metadata's RocksDB and Raft log). */
    private static List<String> markersOnDisk(Path dir, List<String> markers) throws IOException {
        List<String> found = new ArrayList<>();
        List<Path> files;
        try (Stream<Path> walk = Files.walk(dir)) {
            files = walk.filter(Files::isRegularFile).toList();
        }
        assertTrue(files.stream().anyMatch(p -> p.toString().contains("chunkserver")), "chunkserver folders are searched: " + files.size());
        for (String marker : markers) {
            byte[] needle = marker.getBytes(StandardCharsets.US_ASCII);
            for (Path f : files) {
                byte[] content;
                try {
                    content = Files.readAllBytes(f);
                } catch (java.nio.file.NoSuchFileException e) {
                    continue; // a file the cluster just removed (a compacted log, a reclaimed segment)
                }
                if (TestData.indexOf(content, needle) >= 0) {
                    found.add(marker);
                    break;
                }
            }
        }
        return found;
    }

    /** A random SSE-C key as the headers carry it. */
    private record CustomerKey(String base64, String md5) {
        static CustomerKey random() {
            byte[] k = new byte[32];
            new SecureRandom().nextBytes(k);
            return new CustomerKey(Base64.getEncoder().encodeToString(k), Base64.getEncoder().encodeToString(TestData.md5(k)));
        }
    }
}
