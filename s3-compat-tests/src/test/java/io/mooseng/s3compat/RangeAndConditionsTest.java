package io.mooseng.s3compat;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import software.amazon.awssdk.core.ResponseBytes;
import software.amazon.awssdk.core.ResponseInputStream;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.GetObjectRequest;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;
import software.amazon.awssdk.services.s3.model.HeadObjectRequest;

import java.time.Instant;
import java.util.Arrays;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;

import static io.mooseng.s3compat.S3Assertions.assertS3Error;
import static io.mooseng.s3compat.S3Assertions.assertS3Status;
import static io.mooseng.s3compat.TestData.MiB;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Range GETs (RFC 9110 byte ranges as S3 serves them) on empty, inline and multi-block
 * objects, and the conditional request headers of GET and HEAD; the gateway reads over the
 * shard transport (as separate processes do), where GETs also release what it lends them.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class RangeAndConditionsTest {
    /** 9 MiB + a little: three 4 MiB blocks, the last one short. */
    private static final int LARGE = 9 * MiB + 123;

    @RegisterExtension
    static final ClusterExtension cluster = new ClusterExtension().overShardTransport();

    private static S3Client s3;
    private static String bucket;
    private static byte[] large;
    private static byte[] small;
    private static String largeETag;
    private static Instant largeModified;

    @BeforeAll
    static void putObjects() {
        s3 = cluster.client();
        bucket = cluster.newBucket("ranges");
        large = TestData.bytes(9, LARGE);
        small = TestData.bytes(10, 1000);
        s3.putObject(b -> b.bucket(bucket).key("large"), RequestBody.fromBytes(large));
        s3.putObject(b -> b.bucket(bucket).key("small"), RequestBody.fromBytes(small));
        s3.putObject(b -> b.bucket(bucket).key("empty"), RequestBody.empty());
        var head = s3.headObject(b -> b.bucket(bucket).key("large"));
        largeETag = head.eTag();
        largeModified = head.lastModified();
    }

    /** Each row: range header; first and last byte served (inclusive), computed on a 9 MiB + 123 B object. */
    @ParameterizedTest(name = "{0}")
    @CsvSource({
            "bytes=0-0,                  0,       0",
            "bytes=0-99,                 0,       99",
            "bytes=1048566-1048586,      1048566, 1048586",   // crosses 1 MiB
            "bytes=4194303-4194304,      4194303, 4194304",   // last byte of block 1, first of block 2
            "bytes=4194204-8388708,      4194204, 8388708",   // spans a whole block and both boundaries
            "bytes=8388600-,             8388600, 9437306",   // open end, from inside block 2 into block 3
            "bytes=-1000,                9436307, 9437306",   // suffix
            "bytes=-20000000,            0,       9437306",   // suffix longer than the object: all of it
            "bytes=9437000-99999999,     9437000, 9437306",   // end beyond the object: clamped
            "bytes=9437306-9437306,      9437306, 9437306",   // the very last byte
    })
    void rangeOfMultiBlockObjectServesExactlyThoseBytes(String range, int first, int last) {
        ResponseBytes<GetObjectResponse> got = s3.getObjectAsBytes(b -> b.bucket(bucket).key("large").range(range));

        assertEquals("bytes " + first + "-" + last + "/" + LARGE, got.response().contentRange());
        assertEquals(last - first + 1L, got.response().contentLength());
        assertArrayEquals(Arrays.copyOfRange(large, first, last + 1), got.asByteArray());
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({"bytes=10-19, 10, 19", "bytes=990-, 990, 999", "bytes=-1, 999, 999"})
    void rangeOfInlineObjectServesExactlyThoseBytes(String range, int first, int last) {
        ResponseBytes<GetObjectResponse> got = s3.getObjectAsBytes(b -> b.bucket(bucket).key("small").range(range));

        assertEquals("bytes " + first + "-" + last + "/1000", got.response().contentRange());
        assertArrayEquals(Arrays.copyOfRange(small, first, last + 1), got.asByteArray());
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"bytes=9437307-", "bytes=9437307-9437400", "bytes=20000000-20000001"})
    void rangeStartingBeyondTheEndIs416InvalidRange(String range) {
        assertS3Error(416, "InvalidRange", () -> s3.getObjectAsBytes(b -> b.bucket(bucket).key("large").range(range)));
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"bytes=0-0", "bytes=0-", "bytes=5-10"})
    void anyRangeOfEmptyObjectIs416InvalidRange(String range) {
        assertS3Error(416, "InvalidRange", () -> s3.getObjectAsBytes(b -> b.bucket(bucket).key("empty").range(range)));
    }

    @Test
    void ifMatchServesOnMatchAndFails412Otherwise() {
        assertArrayEquals(large, get(r -> r.ifMatch(largeETag)));
        assertS3Error(412, "PreconditionFailed", () -> get(r -> r.ifMatch("\"0123456789abcdef0123456789abcdef\"")));
        assertS3Status(412, () -> head(r -> r.ifMatch("\"0123456789abcdef0123456789abcdef\"")));
    }

    @Test
    void ifNoneMatchAnswers304OnMatchAndServesOtherwise() {
        assertS3Status(304, () -> get(r -> r.ifNoneMatch(largeETag)));
        assertS3Status(304, () -> head(r -> r.ifNoneMatch(largeETag)));
        assertArrayEquals(large, get(r -> r.ifNoneMatch("\"0123456789abcdef0123456789abcdef\"")));
    }

    @Test
    void ifModifiedSinceAnswers304UnlessModifiedAfterTheDate() {
        assertS3Status(304, () -> get(r -> r.ifModifiedSince(largeModified)));
        assertS3Status(304, () -> get(r -> r.ifModifiedSince(largeModified.plusSeconds(3600))));
        assertArrayEquals(large, get(r -> r.ifModifiedSince(largeModified.minusSeconds(3600))));
    }

    @Test
    void ifUnmodifiedSinceFails412WhenModifiedAfterTheDate() {
        assertS3Error(412, "PreconditionFailed", () -> get(r -> r.ifUnmodifiedSince(largeModified.minusSeconds(3600))));
        assertArrayEquals(large, get(r -> r.ifUnmodifiedSince(largeModified)));
        assertArrayEquals(large, get(r -> r.ifUnmodifiedSince(largeModified.plusSeconds(3600))));
    }

    /** RFC 7232 section 6 as S3 applies it: a true If-Match overrides a false If-Unmodified-Since, etc. */
    @Test
    void etagConditionsTakePrecedenceOverDateConditions() {
        assertArrayEquals(large, get(r -> r.ifMatch(largeETag).ifUnmodifiedSince(largeModified.minusSeconds(3600))));
        assertS3Status(304, () -> get(r -> r.ifNoneMatch(largeETag).ifModifiedSince(largeModified.minusSeconds(3600))));
    }

    @Test
    void conditionsApplyToRangeRequests() {
        byte[] got = get(r -> r.ifMatch(largeETag).range("bytes=4194304-4194403"));
        assertArrayEquals(Arrays.copyOfRange(large, 4194304, 4194404), got);
    }

    /**
     * Shard bytes reach the client in pooled memory lent by the shard transport: every GET
     * gives all of it back, whole, ranged, or abandoned by its client halfway.
     */
    @Test
    void everyGetGivesBackTheShardMemoryItWasLent() throws Exception {
        assertArrayEquals(large, get(r -> r));
        assertArrayEquals(Arrays.copyOfRange(large, 5, 8388709), get(r -> r.range("bytes=5-8388708")));
        try (ResponseInputStream<GetObjectResponse> in = s3.getObject(b -> b.bucket(bucket).key("large"))) {
            assertArrayEquals(Arrays.copyOf(large, MiB), in.readNBytes(MiB));
            in.abort();
        }
        ClusterExtension.assertNothingLent("after a whole, a ranged and an abandoned GET");
    }

    private static byte[] get(UnaryOperator<GetObjectRequest.Builder> conditions) {
        return s3.getObjectAsBytes(conditions.apply(GetObjectRequest.builder().bucket(bucket).key("large")).build()).asByteArray();
    }

    private static void head(UnaryOperator<HeadObjectRequest.Builder> conditions) {
        s3.headObject(conditions.apply(HeadObjectRequest.builder().bucket(bucket).key("large")).build());
    }
}
