package io.mooseng.s3.auth;

import io.mooseng.s3.error.S3Error;
import io.mooseng.s3.error.S3Exception;
import io.vertx.core.MultiMap;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Against the examples of the AWS S3 Signature Version 4 documentation. */
class SigV4AuthenticatorTest {
    static final String ACCESS_KEY = "AKIAIOSFODNN7EXAMPLE";
    static final String SECRET = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY";
    static final Instant DOC_TIME = Instant.parse("2013-05-24T00:00:00Z");
    static final String SCOPE = "20130524/us-east-1/s3/aws4_request";

    private final SigV4Authenticator auth = authenticatorAt(DOC_TIME);

    static SigV4Authenticator authenticatorAt(Instant now) {
        return new SigV4Authenticator(Credentials.single(ACCESS_KEY, SECRET), "us-east-1", Clock.fixed(now, ZoneOffset.UTC));
    }

    static MultiMap headers(String... nameValues) {
        MultiMap h = MultiMap.caseInsensitiveMultiMap();
        for (int i = 0; i < nameValues.length; i += 2) {
            h.add(nameValues[i], nameValues[i + 1]);
        }
        return h;
    }

    static String authorization(String signedHeaders, String signature) {
        return "AWS4-HMAC-SHA256 Credential=" + ACCESS_KEY + "/" + SCOPE + ",SignedHeaders=" + signedHeaders + ",Signature=" + signature;
    }

    private static MultiMap getObjectHeaders(String signature) {
        return headers("Host", "examplebucket.s3.amazonaws.com", "Range", "bytes=0-9",
                "x-amz-content-sha256", Digests.EMPTY_SHA256, "x-amz-date", "20130524T000000Z",
                "Authorization", authorization("host;range;x-amz-content-sha256;x-amz-date", signature));
    }

    @Test
    void getObjectExampleCanonicalRequestAndStringToSign() {
        String canonical = CanonicalRequest.build("GET", "/test.txt", QueryString.parse(null), null,
                getObjectHeaders("x"), List.of("host", "range", "x-amz-content-sha256", "x-amz-date"), Digests.EMPTY_SHA256);
        assertEquals("GET\n/test.txt\n\nhost:examplebucket.s3.amazonaws.com\nrange:bytes=0-9\n"
                + "x-amz-content-sha256:" + Digests.EMPTY_SHA256 + "\nx-amz-date:20130524T000000Z\n\n"
                + "host;range;x-amz-content-sha256;x-amz-date\n" + Digests.EMPTY_SHA256, canonical);
        assertEquals("AWS4-HMAC-SHA256\n20130524T000000Z\n" + SCOPE
                        + "\n7344ae5b7ee6c3e7e6b0fe0640412a37625d1fbfff95c48bbb2dc43964946972",
                CanonicalRequest.stringToSign("20130524T000000Z", SCOPE, canonical));
    }

    @Test
    void getObjectExampleVerifies() {
        SignedRequest r = auth.authenticate("GET", "/test.txt", QueryString.parse(null),
                getObjectHeaders("f0e8bdb87c964420e857bd35b5d6ed310bd44f0170aba48dd91039c6036bdb41"));
        assertEquals(ACCESS_KEY, r.accessKey());
        assertEquals(SCOPE, r.scope());
        assertEquals(Digests.EMPTY_SHA256, r.payloadHash());
    }

    @Test
    void putObjectExampleEncodesThePathOnce() {
        MultiMap h = headers("Host", "examplebucket.s3.amazonaws.com", "Date", "Fri, 24 May 2013 00:00:00 GMT",
                "x-amz-date", "20130524T000000Z", "x-amz-storage-class", "REDUCED_REDUNDANCY",
                "x-amz-content-sha256", "44ce7dd67c959e0d3524ffac1771dfbba87d2b6b4b4e99e42034a8b803f8b072",
                "Authorization", authorization("date;host;x-amz-content-sha256;x-amz-date;x-amz-storage-class",
                        "98ad721746da40c64f1a55b78f14c238d841ea1380cd77a1b5971af0ece108bd"));
        auth.authenticate("PUT", "/test%24file.text", QueryString.parse(null), h);
    }

    @Test
    void listObjectsExampleSortsTheQuery() {
        MultiMap h = headers("Host", "examplebucket.s3.amazonaws.com", "x-amz-content-sha256", Digests.EMPTY_SHA256,
                "x-amz-date", "20130524T000000Z", "Authorization", authorization("host;x-amz-content-sha256;x-amz-date",
                        "34b48302e7b5fa45bde8084f4b7868a86f0a534bc59db6670ed5711ef69dc6f7"));
        auth.authenticate("GET", "/", QueryString.parse("prefix=J&max-keys=2"), h);
        auth.authenticate("GET", "/", QueryString.parse("max-keys=2&prefix=%4A"), h);
        S3Exception e = assertThrows(S3Exception.class, () -> auth.authenticate("GET", "/", QueryString.parse("prefix=K&max-keys=2"), h));
        assertEquals(S3Error.SIGNATURE_DOES_NOT_MATCH, e.error());
    }

    @Test
    void lifecycleExampleSignsAValuelessSubresource() {
        MultiMap h = headers("Host", "examplebucket.s3.amazonaws.com", "x-amz-content-sha256", Digests.EMPTY_SHA256,
                "x-amz-date", "20130524T000000Z", "Authorization", authorization("host;x-amz-content-sha256;x-amz-date",
                        "fea454ca298b7da1c68078a5d1bdbfbbe0d65c699e0f91ac7a200a0136783543"));
        auth.authenticate("GET", "/", QueryString.parse("lifecycle"), h);
    }

    @Test
    void chunkedUploadSeedSignaturesVerify() {
        MultiMap h = headers("Host", "s3.amazonaws.com", "x-amz-date", "20130524T000000Z",
                "x-amz-storage-class", "REDUCED_REDUNDANCY", "x-amz-content-sha256", PayloadStream.STREAMING_SIGNED,
                "Content-Encoding", "aws-chunked", "x-amz-decoded-content-length", "66560", "Content-Length", "66824",
                "Authorization", authorization("content-encoding;content-length;host;x-amz-content-sha256;x-amz-date;"
                        + "x-amz-decoded-content-length;x-amz-storage-class", AwsChunkedDecoderTest.SEED));
        SignedRequest r = auth.authenticate("PUT", "/examplebucket/chunkObject.txt", QueryString.parse(null), h);
        assertEquals(AwsChunkedDecoderTest.SEED, r.signature());

        MultiMap t = headers("Host", "s3.amazonaws.com", "x-amz-date", "20130524T000000Z",
                "x-amz-storage-class", "REDUCED_REDUNDANCY", "x-amz-content-sha256", PayloadStream.STREAMING_SIGNED_TRAILER,
                "Content-Encoding", "aws-chunked", "x-amz-decoded-content-length", "66560",
                "x-amz-trailer", "x-amz-checksum-crc32c",
                "Authorization", authorization("content-encoding;host;x-amz-content-sha256;x-amz-date;"
                        + "x-amz-decoded-content-length;x-amz-storage-class;x-amz-trailer", AwsChunkedDecoderTest.TRAILER_SEED));
        auth.authenticate("PUT", "/examplebucket/chunkObject.txt", QueryString.parse(null), t);
    }

    private static final String PRESIGNED = "X-Amz-Algorithm=AWS4-HMAC-SHA256"
            + "&X-Amz-Credential=AKIAIOSFODNN7EXAMPLE%2F20130524%2Fus-east-1%2Fs3%2Faws4_request"
            + "&X-Amz-Date=20130524T000000Z&X-Amz-Expires=86400&X-Amz-SignedHeaders=host"
            + "&X-Amz-Signature=aeeed9bbccd4d02ee5c0109b86d86835f995330da4c265957d157751f604d404";

    @Test
    void presignedExampleVerifiesUntilItExpires() {
        MultiMap h = headers("Host", "examplebucket.s3.amazonaws.com");
        SignedRequest r = auth.authenticate("GET", "/test.txt", QueryString.parse(PRESIGNED), h);
        assertTrue(r.presigned());
        assertEquals(SigV4Authenticator.UNSIGNED_PAYLOAD, r.payloadHash());
        authenticatorAt(DOC_TIME.plusSeconds(86400)).authenticate("GET", "/test.txt", QueryString.parse(PRESIGNED), h);

        S3Exception e = assertThrows(S3Exception.class, () -> authenticatorAt(DOC_TIME.plusSeconds(86401))
                .authenticate("GET", "/test.txt", QueryString.parse(PRESIGNED), h));
        assertEquals(S3Error.ACCESS_DENIED, e.error());
        assertEquals("Request has expired", e.getMessage());
    }

    @Test
    void presignedLifetimeIsANumberOfSecondsUpToAWeek() {
        for (String expires : List.of("604801", "-1", "abc", "", "99999999999999999999")) {
            String query = PRESIGNED.replace("X-Amz-Expires=86400", "X-Amz-Expires=" + expires);
            S3Exception e = assertThrows(S3Exception.class, () -> auth.authenticate("GET", "/test.txt",
                    QueryString.parse(query), headers("Host", "examplebucket.s3.amazonaws.com")));
            assertEquals(S3Error.AUTHORIZATION_QUERY_PARAMETERS_ERROR, e.error(), expires);
        }
    }

    @Test
    void withoutAConfiguredRegionTheSignedRegionIsTaken() {
        String scope = "20130524/US/s3/aws4_request";
        MultiMap h = headers("Host", "examplebucket.s3.amazonaws.com", "x-amz-content-sha256", Digests.EMPTY_SHA256,
                "x-amz-date", "20130524T000000Z");
        List<String> signed = List.of("host", "x-amz-content-sha256", "x-amz-date");
        String canonical = CanonicalRequest.build("GET", "/test.txt", QueryString.parse(null), null, h, signed, Digests.EMPTY_SHA256);
        byte[] key = new SigningKeys().key(ACCESS_KEY, SECRET, "20130524", "US", "s3");
        String signature = Digests.hex(Digests.hmacSha256(key, CanonicalRequest.stringToSign("20130524T000000Z", scope, canonical)));
        h.add("Authorization", "AWS4-HMAC-SHA256 Credential=" + ACCESS_KEY + "/" + scope
                + ",SignedHeaders=host;x-amz-content-sha256;x-amz-date,Signature=" + signature);
        SigV4Authenticator anyRegion = new SigV4Authenticator(Credentials.single(ACCESS_KEY, SECRET), null,
                Clock.fixed(DOC_TIME, ZoneOffset.UTC));

        assertEquals(scope, anyRegion.authenticate("GET", "/test.txt", QueryString.parse(null), h).scope());
        assertEquals("us-east-1", assertRefused(S3Error.AUTHORIZATION_HEADER_MALFORMED, auth, h).region(), "the expected region is named");
    }

    /** SDKs sign the text's UTF-8; clients send it as UTF-8 bytes or (Apache's) one ISO-8859-1 byte per char. */
    @Test
    void nonAsciiHeaderValuesAreSignedAsTheirText() {
        String utf8OnTheWire = new String("grün 日本".getBytes(StandardCharsets.UTF_8), StandardCharsets.ISO_8859_1);
        assertEquals("grün 日本", CanonicalRequest.canonicalHeaderValue(List.of(utf8OnTheWire)));
        assertEquals("grün", CanonicalRequest.canonicalHeaderValue(List.of("grün")), "ISO-8859-1 on the wire");
    }

    @Test
    void refusals() {
        String good = "f0e8bdb87c964420e857bd35b5d6ed310bd44f0170aba48dd91039c6036bdb41";
        assertRefused(S3Error.SIGNATURE_DOES_NOT_MATCH, auth, getObjectHeaders(good.replace('f', 'e')));
        MultiMap unknownKey = getObjectHeaders(good);
        unknownKey.set("Authorization", authorization("host;range;x-amz-content-sha256;x-amz-date", good).replace(ACCESS_KEY, "AKIDOTHER"));
        assertRefused(S3Error.INVALID_ACCESS_KEY_ID, auth, unknownKey);
        assertRefused(S3Error.REQUEST_TIME_TOO_SKEWED, authenticatorAt(DOC_TIME.plusSeconds(15 * 60 + 1)), getObjectHeaders(good));
        MultiMap otherRegion = getObjectHeaders(good);
        otherRegion.set("Authorization", authorization("host;range;x-amz-content-sha256;x-amz-date", good).replace("us-east-1", "eu-west-1"));
        assertRefused(S3Error.AUTHORIZATION_HEADER_MALFORMED, auth, otherRegion);
        MultiMap unsignedAmzHeader = getObjectHeaders(good);
        unsignedAmzHeader.add("x-amz-meta-late", "added in transit");
        assertRefused(S3Error.ACCESS_DENIED, auth, unsignedAmzHeader);
        assertTrue(auth.authenticate("GET", "/test.txt", QueryString.parse(null), headers("Host", "examplebucket.s3.amazonaws.com"))
                .isAnonymous(), "no signature at all: anonymous, for the bucket's policy to decide");
    }

    private static S3Exception assertRefused(S3Error expected, SigV4Authenticator a, MultiMap h) {
        S3Exception e = assertThrows(S3Exception.class, () -> a.authenticate("GET", "/test.txt", QueryString.parse(null), h));
        assertEquals(expected, e.error(), e.getMessage());
        return e;
    }
}
