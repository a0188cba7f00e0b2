package io.mooseng.s3compat;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.presigner.S3Presigner;

import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static io.mooseng.s3compat.S3Assertions.assertObjectAbsent;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Presigned URLs made by the SDK's S3Presigner, followed by a plain HTTP client that knows nothing of S3. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class PresignedTest {
    @RegisterExtension
    static final ClusterExtension cluster = new ClusterExtension();

    private static S3Client s3;
    private static S3Presigner presigner;
    private static SignedHttp http;
    private static String bucket;

    @BeforeAll
    static void setUp() {
        s3 = cluster.client();
        presigner = S3Clients.presigner(cluster.endpoint(), cluster.keys());
        http = new SignedHttp(cluster);
        bucket = cluster.newBucket("presigned");
    }

    @AfterAll
    static void closePresigner() {
        presigner.close();
    }

    @Test
    void presignedPutStoresAndPresignedGetReadsBack() throws Exception {
        byte[] data = TestData.bytes(21, 300_000);
        URI put = presignPut("via-url/object.bin");
        URI get = presignGet("via-url/object.bin");

        SignedHttp.Response stored = http.sendUnsigned("PUT", put, data);
        SignedHttp.Response read = http.sendUnsigned("GET", get, new byte[0]);

        assertEquals(200, stored.status(), stored::toString);
        assertEquals(200, read.status(), read::toString);
        assertArrayEquals(data, read.body());
        assertEquals(TestData.etag(data), s3.headObject(b -> b.bucket(bucket).key("via-url/object.bin")).eTag());
    }

    @Test
    void presignedGetOfKeyNeedingEncodingReadsBack() throws Exception {
        String key = "spaced name/ünïcode + plus.txt";
        s3.putObject(b -> b.bucket(bucket).key(key), RequestBody.fromString("encoded"));

        SignedHttp.Response read = http.sendUnsigned("GET", presignGet(key), new byte[0]);

        assertEquals(200, read.status(), read::toString);
        assertEquals("encoded", read.text());
    }

    /** Signed an hour ago for 60 s: the SDK signer with a fixed clock, so no test waits for expiry. */
    @Test
    void expiredPresignedUrlsAre403AndStoreNothing() throws Exception {
        s3.putObject(b -> b.bucket(bucket).key("expired/existing"), RequestBody.fromString("x"));
        Instant anHourAgo = Instant.now().minusSeconds(3600);

        SignedHttp.Response get = http.sendUnsigned("GET",
                http.presign("GET", "/" + bucket + "/expired/existing", anHourAgo, Duration.ofSeconds(60)), new byte[0]);
        SignedHttp.Response put = http.sendUnsigned("PUT",
                http.presign("PUT", "/" + bucket + "/expired/new", anHourAgo, Duration.ofSeconds(60)), new byte[] {1, 2, 3});

        assertEquals("403 AccessDenied", get.status() + " " + get.errorCode(), get::toString);
        assertEquals("403 AccessDenied", put.status() + " " + put.errorCode(), put::toString);
        assertObjectAbsent(s3, bucket, "expired/new");
    }

    /** Each row: what is tampered with; every change keeps the URL unexpired, so only the signature can object. */
    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"signature", "expiry", "date", "key"})
    void tamperedPresignedUrlIs403SignatureDoesNotMatch(String what) throws Exception {
        s3.putObject(b -> b.bucket(bucket).key("tamper/a"), RequestBody.fromString("a"));
        s3.putObject(b -> b.bucket(bucket).key("tamper/b"), RequestBody.fromString("b"));
        String url = presignGet("tamper/a").toString();

        String tampered = switch (what) {
            case "signature" -> changeLastChar(url, "X-Amz-Signature=[0-9a-f]+");
            case "expiry" -> url.replaceFirst("X-Amz-Expires=300", "X-Amz-Expires=301");
            case "date" -> changeLastChar(url, "X-Amz-Date=\\d{8}T\\d{5}");
            default -> url.replace("/tamper/a?", "/tamper/b?");
        };
        assertNotEquals(url, tampered, "tampering changed nothing");

        SignedHttp.Response res = http.sendUnsigned("GET", URI.create(tampered), new byte[0]);

        assertEquals("403 SignatureDoesNotMatch", res.status() + " " + res.errorCode(), () -> what + " tampered: " + res);
    }

    /** AWS checks the lifetime before the signature: a bad one is a malformed URL (400), not a refusal (403). */
    @ParameterizedTest(name = "X-Amz-Expires={0}")
    @ValueSource(strings = {"-1", "abc", "604801", "99999999999999999999"})
    void presignedLifetimeOutOfRangeIs400AuthorizationQueryParametersError(String expires) throws Exception {
        String url = presignGet("tamper/a").toString().replaceFirst("X-Amz-Expires=300", "X-Amz-Expires=" + expires);

        SignedHttp.Response res = http.sendUnsigned("GET", URI.create(url), new byte[0]);

        assertEquals("400 AuthorizationQueryParametersError", res.status() + " " + res.errorCode(), res::toString);
    }

    /** Transfer-Encoding: chunked and no Content-Length, as curl -T - sends a pipe: streamed, any length. */
    @Test
    void presignedPutWithChunkedTransferAndNoLengthStores() throws Exception {
        byte[] data = TestData.bytes(22, 3 * 1024 * 1024 + 17);
        URI put = presignPut("chunked/object.bin");

        RawHttp.Response res = RawHttp.exchange(cluster.port(),
                RawHttp.request("PUT", put.getRawPath() + "?" + put.getRawQuery(), cluster.port(), Map.of(), data, 64 * 1024),
                false, Duration.ofSeconds(30));

        assertEquals(200, res.status(), res::toString);
        assertArrayEquals(data, s3.getObjectAsBytes(b -> b.bucket(bucket).key("chunked/object.bin")).asByteArray());
    }

    /** The URL with the last character matched by {@code regex} (a digit) changed to another digit. */
    private static String changeLastChar(String url, String regex) {
        Matcher m = Pattern.compile(regex).matcher(url);
        assertTrue(m.find(), () -> regex + " not in " + url);
        char c = url.charAt(m.end() - 1);
        return url.substring(0, m.end() - 1) + (c == '1' ? '2' : '1') + url.substring(m.end());
    }

    private static URI presignGet(String key) throws Exception {
        return presigner.presignGetObject(p -> p.signatureDuration(Duration.ofMinutes(5))
                .getObjectRequest(g -> g.bucket(bucket).key(key))).url().toURI();
    }

    private static URI presignPut(String key) throws Exception {
        return presigner.presignPutObject(p -> p.signatureDuration(Duration.ofMinutes(5))
                .putObjectRequest(g -> g.bucket(bucket).key(key))).url().toURI();
    }
}
