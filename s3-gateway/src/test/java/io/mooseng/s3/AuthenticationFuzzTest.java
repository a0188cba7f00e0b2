package io.mooseng.s3;

import io.mooseng.core.fuzz.Fuzz;
import io.mooseng.core.fuzz.Mutations;
import io.mooseng.s3.auth.Credentials;
import io.mooseng.s3.auth.Digests;
import io.mooseng.s3.auth.Presigner;
import io.mooseng.s3.auth.QueryString;
import io.mooseng.s3.auth.SigV4Authenticator;
import io.mooseng.s3.auth.SignedRequest;
import io.mooseng.s3.auth.UriEncoding;
import io.vertx.core.MultiMap;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

import static io.mooseng.s3.error.ParserOutcomes.resultOrClientError;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * What an attacker controls before authentication: the query string, the path, the headers
 * and the Authorization header or presigned parameters (Signature Version 4 and 2). Properties:
 * parsing answers a result or an S3 4xx, never another exception; encoding then parsing is
 * the identity; a request signed as an SDK signs it is accepted; any change to it is accepted
 * or refused with a 4xx.
 */
class AuthenticationFuzzTest {
    /** Characters a key or query may hold, the troublesome ones over-represented. */
    private static final String TEXT = "ab/Z09-_.~ %+&=?#;:,'\"\\\u0000\t\r\né€\uD83D\uDE00\u00FF";
    private static final String RAW_QUERY = "aZ09%+&=-_.~!*'()/?%zz%0%C3%A9%ED%A0%80%FF";
    private static final List<String> DICTIONARY = List.of("AWS4-HMAC-SHA256", " Credential=", ",SignedHeaders=", ",Signature=",
            "/aws4_request", "/s3/", "us-east-1", "20250101", "T000000Z", "host;", ";x-amz-date", "AWS ", ":", ",", "=", "/", "%",
            "%2F", "%00", "X-Amz-Signature=", "X-Amz-Expires=", "&X-Amz-Credential=", "Signature=", "AWSAccessKeyId=", "Expires=");

    private final SigV4Authenticator authenticator =
            new SigV4Authenticator(Credentials.single(TestSigner.ACCESS_KEY, TestSigner.SECRET), null, Clock.systemUTC());
    private final Presigner presigner = new Presigner(URI.create("http://127.0.0.1:9000"), TestSigner.ACCESS_KEY, TestSigner.SECRET,
            "us-east-1");

    @Test
    void rawQueryStringsParseOrAreInvalidUri() {
        Fuzz.check("query parse", 3000, r -> resultOrClientError(() -> QueryString.parse(Mutations.randomText(r, RAW_QUERY, 60))));
    }

    @Test
    void encodedParametersParseBackToThemselves() {
        Fuzz.check("query round trip", 2000, r -> {
            List<Map.Entry<String, String>> params = new ArrayList<>();
            StringBuilder raw = new StringBuilder();
            for (int n = r.nextInt(6); n > 0; n--) {
                String name = text(r, 10);
                String value = text(r, 20);
                if (name.isEmpty() && value.isEmpty()) {
                    continue; // "=" alone is a parameter named "", but an empty pair is none
                }
                params.add(Map.entry(name, value));
                raw.append(raw.isEmpty() ? "" : "&").append(UriEncoding.encode(name, false)).append('=').append(UriEncoding.encode(value, false));
            }
            assertEquals(params, QueryString.parse(raw.toString()).entries());
            String path = "/" + text(r, 30);
            assertEquals(path, UriEncoding.decodePath(UriEncoding.encode(path, true)));
        });
    }

    @Test
    void signedRequestsAreAcceptedAndChangedOnesAcceptedOrRefusedWith4xx() {
        Fuzz.check("sigv4 header", 1500, r -> {
            String rawPath = "/bucket/" + UriEncoding.encode(text(r, 20), true);
            String rawQuery = r.nextBoolean() ? null : UriEncoding.encode(text(r, 8), false) + "=" + UriEncoding.encode(text(r, 8), false);
            Map<String, String> headers = new LinkedHashMap<>();
            headers.put("Host", "127.0.0.1:9000");
            if (r.nextBoolean()) {
                headers.put("x-amz-meta-" + (char) ('a' + r.nextInt(26)), Mutations.randomText(r, "ab  c\t,;=", 12).trim());
            }
            TestSigner.sign("PUT", rawPath, rawQuery, headers, r.nextBoolean() ? Digests.EMPTY_SHA256 : SigV4Authenticator.UNSIGNED_PAYLOAD);
            SignedRequest accepted = authenticate("PUT", rawPath, rawQuery, headers);
            assertEquals(TestSigner.ACCESS_KEY, accepted.accessKey());

            String name = new ArrayList<>(headers.keySet()).get(r.nextInt(headers.size()));
            switch (r.nextInt(3)) {
                case 0 -> headers.put(name, Mutations.mutate(r, headers.get(name), DICTIONARY));
                case 1 -> rawPath = Mutations.mutate(r, rawPath, DICTIONARY);
                default -> rawQuery = Mutations.mutate(r, rawQuery == null ? "" : rawQuery, DICTIONARY);
            }
            String path = rawPath;
            String query = rawQuery;
            resultOrClientError(() -> authenticate("PUT", path, query, headers));
        });
    }

    @Test
    void presignedUrlsAreAcceptedAndChangedOnesAcceptedOrRefusedWith4xx() {
        Fuzz.check("sigv4 presigned", 1500, r -> {
            URI url = URI.create(presigner.presign("GET", "bucket", text(r, 20), r.nextInt(604_801)));
            Map<String, String> headers = Map.of("Host", "127.0.0.1:9000");
            assertEquals(TestSigner.ACCESS_KEY, authenticate("GET", url.getRawPath(), url.getRawQuery(), headers).accessKey());

            String query = Mutations.mutate(r, url.getRawQuery(), DICTIONARY);
            resultOrClientError(() -> authenticate("GET", url.getRawPath(), query, headers));
        });
    }

    @Test
    void signatureVersion2HeadersAndUrlsAreAcceptedOrRefusedWith4xx() {
        Fuzz.check("sigv2", 1500, r -> {
            String signature = Mutations.randomText(r, "ABCDEFabcdef0123456789+/=", 28);
            Map<String, String> headers = new LinkedHashMap<>();
            headers.put("Host", "127.0.0.1:9000");
            headers.put("Date", r.nextBoolean() ? "Thu, 01 Jan 1970 00:00:00 GMT" : Mutations.randomText(r, "ThuJan, 0123456789:GMT", 30));
            if (r.nextBoolean()) {
                headers.put("Authorization", Mutations.mutate(r, "AWS " + TestSigner.ACCESS_KEY + ":" + signature, DICTIONARY));
                resultOrClientError(() -> authenticate("GET", "/bucket/key", null, headers));
            } else {
                String query = Mutations.mutate(r, "AWSAccessKeyId=" + TestSigner.ACCESS_KEY + "&Expires=" + r.nextLong()
                        + "&Signature=" + UriEncoding.encode(signature, false), DICTIONARY);
                resultOrClientError(() -> authenticate("GET", "/bucket/key", query, headers));
            }
        });
    }

    @Test
    void randomAuthorizationHeadersAreRefusedWith4xx() {
        Fuzz.check("authorization random", 2000, r -> {
            Map<String, String> headers = new LinkedHashMap<>();
            headers.put("Host", "h");
            headers.put("x-amz-date", r.nextBoolean() ? "20250101T000000Z" : Mutations.randomText(r, "20251T0Z", 18));
            headers.put("x-amz-content-sha256", r.nextBoolean() ? Digests.EMPTY_SHA256 : Mutations.randomText(r, "STREAMING-UNSIGNED-PAYLOAD0f", 70));
            StringBuilder auth = new StringBuilder();
            for (int n = r.nextInt(8); n > 0; n--) {
                auth.append(DICTIONARY.get(r.nextInt(DICTIONARY.size()))).append(Mutations.randomText(r, "abc/;,= ", 6));
            }
            headers.put("Authorization", auth.toString());
            resultOrClientError(() -> authenticate("GET", "/", null, headers));
        });
    }

    private SignedRequest authenticate(String method, String rawPath, String rawQuery, Map<String, String> headers) {
        MultiMap multi = MultiMap.caseInsensitiveMultiMap();
        headers.forEach(multi::add);
        return authenticator.authenticate(method, rawPath, QueryString.parse(rawQuery), multi);
    }

    /** Text of whole code points (a lone surrogate has no UTF-8 form, so it cannot round trip). */
    private static String text(SplittableRandom r, int max) {
        String s = Mutations.randomText(r, TEXT, max);
        return s.replaceAll("[\\uD800-\\uDBFF](?![\\uDC00-\\uDFFF])|(?<![\\uD800-\\uDBFF])[\\uDC00-\\uDFFF]", "");
    }
}
