package io.mooseng.s3compat;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static io.mooseng.s3compat.S3Assertions.assertObjectAbsent;
import static io.mooseng.s3compat.S3Assertions.assertS3Error;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The README's limits table, each limit over a real socket: just under it is served, just over
 * it is S3's error, and nothing is stored. Header-count and hostile XML requests go out raw or
 * signed by hand, since the SDK would not send them.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class LimitsTest {
    private static final int MAX_HEADER_LINES = 256;
    private static final String TAGGING = "<Tagging><TagSet><Tag><Key>k</Key><Value>v</Value></Tag></TagSet></Tagging>";

    @RegisterExtension
    static final ClusterExtension cluster = new ClusterExtension();

    private static S3Client s3;
    private static SignedHttp http;
    private static String bucket;

    @BeforeAll
    static void setUp() {
        s3 = cluster.client();
        http = new SignedHttp(cluster);
        bucket = cluster.newBucket("limits");
    }

    @Test
    void moreThan256HeaderLinesIs400RequestHeaderSectionTooLarge() throws Exception {
        StringBuilder request = new StringBuilder("GET /" + bucket + " HTTP/1.1\r\nHost: 127.0.0.1:" + cluster.port() + "\r\n");
        for (int i = 0; i < MAX_HEADER_LINES; i++) {
            request.append("X-Same: ").append(i).append("\r\n"); // one name repeated still counts line by line
        }
        request.append("\r\n");

        RawHttp.Response res = RawHttp.exchange(cluster.port(), request.toString().getBytes(StandardCharsets.US_ASCII), false,
                Duration.ofSeconds(20));

        assertEquals(400, res.status(), res::toString);
        assertTrue(res.text().contains("<Code>RequestHeaderSectionTooLarge</Code>"), res::toString);
    }

    @Test
    void aSignedRequestWithManyHeaderLinesUnderTheLimitIsServed() throws Exception {
        Map<String, String> headers = new LinkedHashMap<>();
        for (int i = 0; headers.size() < MAX_HEADER_LINES - 20; i++) {
            headers.put("X-Pad-" + i, "v");
        }

        SignedHttp.Response res = http.send("PUT", "/" + bucket + "/many-headers", headers, "x".getBytes(StandardCharsets.UTF_8));

        assertEquals(200, res.status(), res::toString);
    }

    @Test
    void keyOf1024BytesIsStoredAndOf1025Is400KeyTooLongError() {
        String longest = ("s".repeat(254) + "/").repeat(4) + "é".repeat(2); // 4 x 255 + 4 bytes
        assertEquals(1024, longest.getBytes(StandardCharsets.UTF_8).length);
        s3.putObject(b -> b.bucket(bucket).key(longest), RequestBody.fromString("x"));
        assertEquals(1, s3.headObject(b -> b.bucket(bucket).key(longest)).contentLength());

        String tooLong = longest + "s";
        assertS3Error(400, "KeyTooLongError", () -> s3.putObject(b -> b.bucket(bucket).key(tooLong), RequestBody.fromString("x")));
        assertS3Error(400, "KeyTooLongError", () -> s3.createMultipartUpload(b -> b.bucket(bucket).key(tooLong)));
    }

    @Test
    void userMetadataOf2KiBIsStoredAndOneByteMoreIs400MetadataTooLarge() {
        // names (without x-amz-meta-) and values in UTF-8 count: 2 x (1 + 1023) bytes
        Map<String, String> full = Map.of("a", "v".repeat(1023), "b", "w".repeat(1023));
        s3.putObject(b -> b.bucket(bucket).key("meta/full").metadata(full), RequestBody.fromString("x"));
        assertEquals(full, s3.headObject(b -> b.bucket(bucket).key("meta/full")).metadata());

        Map<String, String> over = Map.of("a", "v".repeat(1023), "b", "w".repeat(1024));
        assertS3Error(400, "MetadataTooLarge",
                () -> s3.putObject(b -> b.bucket(bucket).key("meta/over").metadata(over), RequestBody.fromString("x")));
        assertObjectAbsent(s3, bucket, "meta/over");
    }

    @Test
    void xmlBodyOverItsCapIs400MaxMessageLengthExceeded() throws Exception {
        // half a MiB: most of it still on its way when the gateway answers, which it reads and drops before closing
        // (closing with unread bytes resets the connection, and the client may lose the answer)
        String padded = TAGGING.replace("</Tagging>", "<!--" + "p".repeat(512 * 1024) + "--></Tagging>");

        SignedHttp.Response res = http.send("PUT", "/" + bucket + "?tagging", Map.of(), padded.getBytes(StandardCharsets.UTF_8));

        assertEquals("400 MaxMessageLengthExceeded", res.status() + " " + res.errorCode(), res::toString);
        assertS3Error(404, "NoSuchTagSet", () -> s3.getBucketTagging(b -> b.bucket(bucket)));
    }

    @Test
    void xmlNestedDeeperThan16IsMalformedXmlAndUpTo16IsParsed() throws Exception {
        String deepest = TAGGING.replace("</TagSet>", "</TagSet>" + "<X>".repeat(15) + "</X>".repeat(15));
        String tooDeep = TAGGING.replace("</TagSet>", "</TagSet>" + "<X>".repeat(16) + "</X>".repeat(16));
        String tagged = cluster.newBucket("deep");

        SignedHttp.Response refused = http.send("PUT", "/" + tagged + "?tagging", Map.of(), tooDeep.getBytes(StandardCharsets.UTF_8));
        assertEquals("400 MalformedXML", refused.status() + " " + refused.errorCode(), refused::toString);
        assertS3Error(404, "NoSuchTagSet", () -> s3.getBucketTagging(b -> b.bucket(tagged)));

        SignedHttp.Response stored = http.send("PUT", "/" + tagged + "?tagging", Map.of(), deepest.getBytes(StandardCharsets.UTF_8));
        assertEquals(204, stored.status(), stored::toString);
    }

    /** A DOCTYPE of any kind is refused before entities could be read or expanded: XXE and billion laughs. */
    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {
            "<!DOCTYPE Tagging>TAGGING",
            "<!DOCTYPE Tagging [<!ENTITY x SYSTEM \"file:///etc/passwd\">]>TAGGING_WITH_X",
            "<!DOCTYPE Tagging [<!ENTITY x SYSTEM \"http://127.0.0.1:1/\">]>TAGGING_WITH_X",
            "<!DOCTYPE Tagging [<!ENTITY a \"lol\"><!ENTITY b \"&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;\"><!ENTITY x \"&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;\">]>TAGGING_WITH_X"})
    void doctypeIs400MalformedXmlAndChangesNothing(String template) throws Exception {
        String body = template.replace("TAGGING_WITH_X", TAGGING.replace("<Value>v</Value>", "<Value>&x;</Value>"))
                .replace("TAGGING", TAGGING);
        String tagged = cluster.newBucket("doctype");

        SignedHttp.Response res = http.send("PUT", "/" + tagged + "?tagging", Map.of(), body.getBytes(StandardCharsets.UTF_8));

        assertEquals("400 MalformedXML", res.status() + " " + res.errorCode(), res::toString);
        assertS3Error(404, "NoSuchTagSet", () -> s3.getBucketTagging(b -> b.bucket(tagged)));
    }
}
