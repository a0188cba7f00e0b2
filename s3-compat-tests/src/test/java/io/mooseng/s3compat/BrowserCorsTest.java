package io.mooseng.s3compat;

import com.sun.net.httpserver.HttpServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.CORSRule;
import software.amazon.awssdk.services.s3.presigner.S3Presigner;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A real browser (headless Chromium) on a page from another origin fetches with presigned
 * URLs: PUT and GET succeed on a bucket whose CORS rule allows the page's origin, and the
 * browser refuses to read the answer of a bucket without one. The page reports back to its
 * own server, so the test needs no browser driver.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class BrowserCorsTest {
    private static final String PAGE = """
            <!doctype html><html><body><script>
            async function attempt(run) {
              try { return await run(); } catch (e) { return 'blocked'; }
            }
            (async () => {
              const r = {};
              r.put = await attempt(async () => (await fetch('%s', {method: 'PUT', body: 'from the browser'})).status);
              r.get = await attempt(async () => { const g = await fetch('%s'); return g.status + ' ' + await g.text(); });
              r.denied = await attempt(async () => (await fetch('%s')).status);
              await fetch('/report', {method: 'POST', body: JSON.stringify(r)});
            })();
            </script></body></html>""";

    @RegisterExtension
    static final ClusterExtension cluster = new ClusterExtension();

    @TempDir
    static Path profile;

    private static S3Client s3;
    private static S3Presigner presigner;
    private static HttpServer pages;
    private static final CompletableFuture<String> REPORT = new CompletableFuture<>();

    @BeforeAll
    static void setUp() throws IOException {
        s3 = cluster.client();
        presigner = S3Clients.presigner(cluster.endpoint(), cluster.keys());
        pages = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        pages.createContext("/report", exchange -> {
            REPORT.complete(new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
            exchange.sendResponseHeaders(204, -1);
            exchange.close();
        });
        pages.start();
    }

    @AfterAll
    static void tearDown() {
        pages.stop(0);
        presigner.close();
    }

    private static String pageOrigin() {
        return "http://127.0.0.1:" + pages.getAddress().getPort();
    }

    @Test
    void aPageFromAnotherOriginReadsAndWritesOnlyWhereARuleAllowsIt() throws Exception {
        String allowed = cluster.newBucket("browser");
        String denied = cluster.newBucket("no-browser");
        s3.putBucketCors(b -> b.bucket(allowed).corsConfiguration(c -> c.corsRules(CORSRule.builder()
                .allowedOrigins(pageOrigin()).allowedMethods("GET", "PUT").allowedHeaders("*").build())));
        s3.putObject(b -> b.bucket(denied).key("k"), software.amazon.awssdk.core.sync.RequestBody.fromString("hidden"));
        Duration ttl = Duration.ofMinutes(5);
        String put = presigner.presignPutObject(p -> p.signatureDuration(ttl).putObjectRequest(o -> o.bucket(allowed).key("page.txt"))).url().toString();
        String get = presigner.presignGetObject(p -> p.signatureDuration(ttl).getObjectRequest(o -> o.bucket(allowed).key("page.txt"))).url().toString();
        String other = presigner.presignGetObject(p -> p.signatureDuration(ttl).getObjectRequest(o -> o.bucket(denied).key("k"))).url().toString();
        byte[] page = PAGE.formatted(put, get, other).getBytes(StandardCharsets.UTF_8);
        pages.createContext("/page.html", exchange -> {
            exchange.getResponseHeaders().add("Content-Type", "text/html; charset=utf-8");
            exchange.sendResponseHeaders(200, page.length);
            exchange.getResponseBody().write(page);
            exchange.close();
        });

        Process browser = startChromium(pageOrigin() + "/page.html");
        try {
            String report = REPORT.get(20, TimeUnit.SECONDS);
            assertEquals("{\"put\":200,\"get\":\"200 from the browser\",\"denied\":\"blocked\"}", report);
        } finally {
            browser.descendants().forEach(ProcessHandle::destroyForcibly);
            browser.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
        assertEquals("from the browser", s3.getObjectAsBytes(b -> b.bucket(allowed).key("page.txt")).asUtf8String());
    }

    private static Process startChromium(String url) throws IOException {
        Path binary = Path.of("/usr/bin/chromium");
        Assumptions.assumeTrue(Files.isExecutable(binary), "Chromium is not installed (scripts/install-deps.sh test installs it)");
        Process p = new ProcessBuilder(binary.toString(), "--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                "--no-first-run", "--user-data-dir=" + profile, "--remote-debugging-port=0", url)
                .redirectErrorStream(true).redirectOutput(profile.resolve("chromium.log").toFile()).start();
        assertTrue(p.isAlive() || p.exitValue() == 0, "chromium could not start");
        return p;
    }
}
