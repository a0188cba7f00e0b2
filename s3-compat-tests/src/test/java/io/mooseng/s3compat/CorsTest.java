package io.mooseng.s3compat;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.http.SdkHttpResponse;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.CORSRule;
import software.amazon.awssdk.services.s3.model.S3Exception;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static io.mooseng.s3compat.S3Assertions.assertS3Error;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Put/Get/DeleteBucketCors, unsigned preflight requests, and CORS headers on answers to a matching origin, errors included. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class CorsTest {
    private static final String APP = "https://app.example.com";

    @RegisterExtension
    static final ClusterExtension cluster = new ClusterExtension();

    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static S3Client s3;

    @BeforeAll
    static void setUp() {
        s3 = cluster.client();
    }

    private static final CORSRule WEB = CORSRule.builder().id("web").allowedOrigins("https://*.example.com")
            .allowedMethods("GET", "PUT").allowedHeaders("content-type", "x-amz-*").exposeHeaders("ETag").maxAgeSeconds(600).build();

    private static String corsBucket() {
        String bucket = cluster.newBucket("cors");
        s3.putBucketCors(b -> b.bucket(bucket).corsConfiguration(c -> c.corsRules(WEB)));
        return bucket;
    }

    private static HttpResponse<String> preflight(String path, Map<String, String> headers) throws Exception {
        HttpRequest.Builder req = HttpRequest.newBuilder(URI.create(cluster.endpoint() + path)).method("OPTIONS", HttpRequest.BodyPublishers.noBody());
        headers.forEach(req::header);
        return HTTP.send(req.build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
    }

    @Test
    void configurationsRoundTripAndBreakingSRulesIsRefused() {
        String bucket = cluster.newBucket("cors-config");
        assertS3Error(404, "NoSuchCORSConfiguration", () -> s3.getBucketCors(b -> b.bucket(bucket)));
        s3.putBucketCors(b -> b.bucket(bucket).corsConfiguration(c -> c.corsRules(WEB)));
        assertEquals(List.of(WEB), s3.getBucketCors(b -> b.bucket(bucket)).corsRules());
        assertS3Error(400, "InvalidRequest", () -> s3.putBucketCors(b -> b.bucket(bucket).corsConfiguration(c -> c.corsRules(
                CORSRule.builder().allowedOrigins("*").allowedMethods("PATCH").build()))));
        assertS3Error(400, "InvalidRequest", () -> s3.putBucketCors(b -> b.bucket(bucket).corsConfiguration(c -> c.corsRules(
                CORSRule.builder().allowedOrigins("http://*.*.example.com").allowedMethods("GET").build()))));
        assertEquals(List.of(WEB), s3.getBucketCors(b -> b.bucket(bucket)).corsRules());
        s3.deleteBucketCors(b -> b.bucket(bucket));
        assertS3Error(404, "NoSuchCORSConfiguration", () -> s3.getBucketCors(b -> b.bucket(bucket)));
    }

    @Test
    void aPreflightIsAnsweredByTheMatchingRuleWithoutASignature() throws Exception {
        String bucket = corsBucket();
        HttpResponse<String> ok = preflight("/" + bucket + "/some/key", Map.of("Origin", APP,
                "Access-Control-Request-Method", "PUT", "Access-Control-Request-Headers", "content-type,x-amz-date"));
        assertEquals(200, ok.statusCode(), ok::body);
        assertEquals(APP, ok.headers().firstValue("Access-Control-Allow-Origin").orElseThrow());
        assertEquals("GET, PUT", ok.headers().firstValue("Access-Control-Allow-Methods").orElseThrow());
        assertEquals("content-type, x-amz-date", ok.headers().firstValue("Access-Control-Allow-Headers").orElseThrow());
        assertEquals("600", ok.headers().firstValue("Access-Control-Max-Age").orElseThrow());
        assertEquals("ETag", ok.headers().firstValue("Access-Control-Expose-Headers").orElseThrow());
        assertEquals("true", ok.headers().firstValue("Access-Control-Allow-Credentials").orElseThrow());
        assertTrue(ok.headers().firstValue("Vary").orElseThrow().contains("Origin"));

        for (Map<String, String> denied : List.of(
                Map.of("Origin", "https://evil.test", "Access-Control-Request-Method", "PUT"),
                Map.of("Origin", APP, "Access-Control-Request-Method", "DELETE"),
                Map.of("Origin", APP, "Access-Control-Request-Method", "PUT", "Access-Control-Request-Headers", "authorization"))) {
            HttpResponse<String> no = preflight("/" + bucket + "/some/key", denied);
            assertEquals(403, no.statusCode(), denied::toString);
            assertTrue(no.body().contains("<Code>CORSResponse</Code>"), no::body);
            assertFalse(no.headers().firstValue("Access-Control-Allow-Origin").isPresent());
        }
        assertEquals(400, preflight("/" + bucket + "/k", Map.of("Access-Control-Request-Method", "GET")).statusCode());
        String plain = cluster.newBucket("no-cors");
        assertEquals(403, preflight("/" + plain + "/k", Map.of("Origin", APP, "Access-Control-Request-Method", "GET")).statusCode());
    }

    @Test
    void answersToAMatchingOriginCarryCorsHeadersErrorsIncluded() {
        String bucket = corsBucket();
        s3.putObject(b -> b.bucket(bucket).key("k").overrideConfiguration(o -> o.putHeader("Origin", APP)), RequestBody.fromString("v"));
        SdkHttpResponse got = s3.getObject(b -> b.bucket(bucket).key("k").overrideConfiguration(o -> o.putHeader("Origin", APP)))
                .response().sdkHttpResponse();
        assertEquals(APP, got.firstMatchingHeader("Access-Control-Allow-Origin").orElseThrow());
        assertEquals("ETag", got.firstMatchingHeader("Access-Control-Expose-Headers").orElseThrow());
        assertTrue(got.firstMatchingHeader("Vary").orElseThrow().contains("Origin"));

        S3Exception missing = assertThrows(S3Exception.class,
                () -> s3.getObject(b -> b.bucket(bucket).key("missing").overrideConfiguration(o -> o.putHeader("Origin", APP))));
        assertEquals(404, missing.statusCode());
        assertEquals(APP, missing.awsErrorDetails().sdkHttpResponse().firstMatchingHeader("Access-Control-Allow-Origin").orElseThrow());

        SdkHttpResponse other = s3.getObject(b -> b.bucket(bucket).key("k").overrideConfiguration(o -> o.putHeader("Origin", "https://evil.test")))
                .response().sdkHttpResponse();
        assertFalse(other.firstMatchingHeader("Access-Control-Allow-Origin").isPresent());
        SdkHttpResponse deleteNotAllowed = s3.deleteObject(b -> b.bucket(bucket).key("k").overrideConfiguration(o -> o.putHeader("Origin", APP)))
                .sdkHttpResponse();
        assertFalse(deleteNotAllowed.firstMatchingHeader("Access-Control-Allow-Origin").isPresent());
    }
}
