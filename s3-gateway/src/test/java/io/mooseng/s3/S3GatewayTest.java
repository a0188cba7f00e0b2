package io.mooseng.s3;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.mooseng.core.model.StorageClass;
import io.mooseng.core.memory.ByteBudget;
import io.mooseng.core.object.ObjectService;
import io.mooseng.core.object.ObjectServiceConfig;
import io.mooseng.s3.auth.Credentials;
import io.mooseng.s3.auth.Digests;
import io.vertx.core.Vertx;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The gateway over real sockets, for everything answered before storage is reached:
 * health, metrics, authentication, routing, header validation, malformed HTTP. The
 * ObjectService is real but connected to nothing, and never called.
 */
class S3GatewayTest {
    private static Vertx vertx;
    private static S3Gateway gateway;
    private static SimpleMeterRegistry registry;
    private static int port;

    @BeforeAll
    static void start() throws Exception {
        vertx = Vertx.vertx();
        registry = new SimpleMeterRegistry();
        ObjectService unconnected = new ObjectService(null, null, null, null,
                ObjectServiceConfig.defaults(StorageClass.EC_4_2), Runnable::run, System::currentTimeMillis,
                new ByteBudget("test", 1 << 20));
        gateway = new S3Gateway(vertx, unconnected, Credentials.single(TestSigner.ACCESS_KEY, TestSigner.SECRET),
                S3GatewayConfig.of("127.0.0.1", 0), registry, () -> "# TYPE up gauge\nup 1\n");
        port = gateway.start().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    @AfterAll
    static void stop() throws Exception {
        gateway.stop().toCompletionStage().toCompletableFuture().get(20, TimeUnit.SECONDS);
        vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    private static Map<String, String> signed(String method, String path, String query, String... extra) {
        Map<String, String> h = new LinkedHashMap<>();
        h.put("Host", "127.0.0.1:" + port);
        for (int i = 0; i < extra.length; i += 2) {
            h.put(extra[i], extra[i + 1]);
        }
        TestSigner.sign(method, path, query, h, Digests.EMPTY_SHA256);
        return h;
    }

    private static RawHttp.Response exchange(String method, String path, String query, Map<String, String> headers) throws Exception {
        try (RawHttp http = new RawHttp(port)) {
            http.request(method, query == null ? path : path + "?" + query, headers, null);
            return http.read(method.equals("HEAD"));
        }
    }

    @Test
    void healthAndMetricsNeedNoSignature() throws Exception {
        RawHttp.Response health = exchange("GET", "/health/ready", null, Map.of("Host", "x"));
        assertEquals(200, health.status());
        assertEquals("OK", health.body());
        RawHttp.Response metrics = exchange("GET", "/metrics", null, Map.of("Host", "x"));
        assertEquals(200, metrics.status());
        assertTrue(metrics.headers().get("content-type").startsWith("text/plain; version=0.0.4"));
        assertEquals("# TYPE up gauge\nup 1\n", metrics.body());
    }

    @Test
    void anonymousServiceRequestsAreDeniedWithAnS3ErrorDocument() throws Exception {
        // an unsigned request to a bucket is decided by the bucket's policy (s3-compat PolicyTest); the service is never public
        RawHttp.Response r = exchange("GET", "/", "prefix=bucket/key", Map.of("Host", "x"));
        assertEquals(403, r.status());
        String id = r.headers().get("x-amz-request-id");
        assertEquals(16, id.length());
        assertTrue(r.body().contains("<Error><Code>AccessDenied</Code>"), r.body());
        assertTrue(r.body().contains("<Resource>/</Resource><RequestId>" + id + "</RequestId>"), r.body());
        assertEquals("application/xml", r.headers().get("content-type"));
        assertTrue(registry.find("mooseng.s3.errors").tag("code", "AccessDenied").counter().count() >= 1);
    }

    @Test
    void badSignaturesAreRefused() throws Exception {
        Map<String, String> h = signed("GET", "/bucket/key", null);
        // change the signature's first hex digit (to another digit: replacing it by a fixed one left it valid 1 time in 16)
        String auth = h.get("Authorization");
        int at = auth.indexOf("Signature=") + "Signature=".length();
        h.put("Authorization", auth.substring(0, at) + (auth.charAt(at) == '0' ? '1' : '0') + auth.substring(at + 1));
        assertTrue(exchange("GET", "/bucket/key", null, h).body().contains("SignatureDoesNotMatch"));
    }

    @Test
    void unsupportedSubresourcesAre501EvenForHead() throws Exception {
        RawHttp.Response replication = exchange("GET", "/bucket", "replication", signed("GET", "/bucket", "replication"));
        assertEquals(501, replication.status());
        assertTrue(replication.body().contains("<Code>NotImplemented</Code>"), replication.body());
        RawHttp.Response head = exchange("HEAD", "/bucket/k", "retention", signed("HEAD", "/bucket/k", "retention"));
        assertEquals(501, head.status());
        assertTrue(registry.find("mooseng.s3.errors").tag("code", "NotImplemented").counter().count() >= 2);
    }

    @Test
    void headerValidationHappensBeforeStorage() throws Exception {
        assertTrue(exchange("PUT", "/Bad_Bucket", null, signed("PUT", "/Bad_Bucket", null)).body().contains("InvalidBucketName"));
        String longKey = "k".repeat(1025);
        assertTrue(exchange("GET", "/b/" + longKey, null, signed("GET", "/b/" + longKey, null)).body().contains("KeyTooLongError"));
        assertTrue(exchange("PUT", "/b/k", null, signed("PUT", "/b/k", null, "x-amz-storage-class", "PLATINUM", "Content-Length", "0"))
                .body().contains("InvalidStorageClass"));
        assertTrue(exchange("PUT", "/b/k", null, signed("PUT", "/b/k", null, "x-amz-meta-big", "v".repeat(3000), "Content-Length", "0"))
                .body().contains("MetadataTooLarge"));
    }

    /** A chunked transfer may leave out Content-Length, but an aws-chunked body must declare its decoded length. */
    @Test
    void aPutWithoutLengthIs411AndItsUnreadBodyClosesTheConnection() throws Exception {
        try (RawHttp http = new RawHttp(port)) {
            http.request("PUT", "/b/k", signed("PUT", "/b/k", null, "Transfer-Encoding", "chunked", "Content-Encoding", "aws-chunked"), null);
            RawHttp.Response r = http.read(false);
            assertEquals(411, r.status());
            assertTrue(r.body().contains("MissingContentLength"));
            assertEquals("close", r.headers().get("connection"));
            assertTrue(http.closedByServer());
        }
    }

    @Test
    void aRefusedRequestExpectingContinueGetsNoContinue() throws Exception {
        try (RawHttp http = new RawHttp(port)) {
            http.request("PUT", "/b/k?torrent", signed("PUT", "/b/k", "torrent", "Expect", "100-continue", "Content-Length", "10"), null);
            RawHttp.Response r = http.read(false);
            assertEquals(501, r.status(), "the final answer comes at once, without 100 Continue");
            assertTrue(http.closedByServer());
        }
    }

    @Test
    void oversizeHeadersAndRequestLinesAre400AndClose() throws Exception {
        try (RawHttp http = new RawHttp(port)) {
            http.send("GET /b/k HTTP/1.1\r\nHost: x\r\nx-big: " + "v".repeat(20_000) + "\r\n\r\n");
            RawHttp.Response r = http.read(false);
            assertEquals(400, r.status());
            assertTrue(r.body().contains("RequestHeaderSectionTooLarge"), r.body());
            assertTrue(http.closedByServer());
        }
        try (RawHttp http = new RawHttp(port)) {
            http.send("GET /b/" + "k".repeat(20_000) + " HTTP/1.1\r\nHost: x\r\n\r\n");
            RawHttp.Response r = http.read(false);
            assertEquals(400, r.status());
            assertTrue(http.closedByServer());
        }
    }

    @Test
    void keepAliveServesSeveralRequestsOnOneConnection() throws Exception {
        try (RawHttp http = new RawHttp(port)) {
            for (int i = 0; i < 3; i++) {
                http.request("GET", "/bucket?replication", signed("GET", "/bucket", "replication"), null);
                assertEquals(501, http.read(false).status());
            }
        }
    }
}
