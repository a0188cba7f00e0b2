package io.mooseng.s3compat;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import software.amazon.awssdk.core.ResponseInputStream;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;
import software.amazon.awssdk.services.s3.model.PutObjectResponse;

import java.io.InputStream;
import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * One `mooseng server` with a 256 MiB heap against clients that send more than it can hold:
 * a streamed 2 GiB PUT and GET, a 512 MiB browser form upload (POST), awscli's multipart copy
 * of 2 GiB (10 parts at once) up and down, and 32 concurrent 64 MiB PUTs. The byte budget makes the excess wait or answer 503
 * SlowDown, which the clients retry; every object must arrive byte-identical, the process
 * must never run out of memory (it is started with -XX:+ExitOnOutOfMemoryError, so an
 * OutOfMemoryError would end it), and it must keep serving afterwards. The test streams
 * too: content is generated and hashed on the fly.
 */
class MemoryBoundTest {
    private static final long LARGE = 2L << 30;
    private static final int CONCURRENT_PUTS = 32;
    private static final int PUT_SIZE = 64 << 20;

    private static Path tmp;
    private static ServerProcess server;

    @BeforeAll
    static void start() throws Exception {
        tmp = Files.createTempDirectory("mooseng-memory-bound");
        server = ServerProcess.Spec.jvm(tmp.resolve("data"), S3Keys.random(),
                "-Xmx256m", "-XX:+UseZGC", "-XX:+ExitOnOutOfMemoryError").start();
        try (S3Client s3 = server.newClient()) {
            s3.createBucket(b -> b.bucket("large"));
        }
    }

    @AfterAll
    static void stop() throws Exception {
        if (server != null) {
            try {
                assertTrue(server.isAlive(), server::logTail);
                assertFalse(server.logTail().contains("OutOfMemoryError"), server::logTail);
                try (S3Client s3 = server.newClient()) {
                    s3.putObject(b -> b.bucket("large").key("after"), RequestBody.fromString("still serving"));
                    assertEquals("still serving", s3.getObjectAsBytes(b -> b.bucket("large").key("after")).asUtf8String());
                }
            } finally {
                server.close();
                TempDirs.delete(tmp);
            }
        }
    }

    @Test
    @Timeout(value = 300, unit = TimeUnit.SECONDS)
    void twoGiBObjectStreamsBothWays() throws Exception {
        // the SDK opens the body again on a retry; the digest of the last opening is the one stored
        AtomicReference<MessageDigest> sent = new AtomicReference<>();
        try (S3Client s3 = server.newClient()) {
            long putStart = System.nanoTime();
            s3.putObject(b -> b.bucket("large").key("2GiB.bin"), RequestBody.fromContentProvider(() -> {
                MessageDigest md = TestData.digest("SHA-256");
                sent.set(md);
                return new DigestInputStream(TestData.stream(2024, LARGE), md);
            }, LARGE, "application/octet-stream"));
            long getStart = System.nanoTime();
            String received;
            try (ResponseInputStream<GetObjectResponse> in = s3.getObject(b -> b.bucket("large").key("2GiB.bin"))) {
                assertEquals(LARGE, in.response().contentLength());
                received = TestData.sha256((InputStream) in);
            }
            long end = System.nanoTime();
            System.out.printf("MemoryBoundTest: SDK PUT 2 GiB in %.1f s, GET in %.1f s%n",
                    (getStart - putStart) / 1e9, (end - getStart) / 1e9);
            assertEquals(HexFormat.of().formatHex(sent.get().digest()), received);
            s3.deleteObject(b -> b.bucket("large").key("2GiB.bin"));
        }
    }

    @Test
    @Timeout(value = 300, unit = TimeUnit.SECONDS)
    void formUploadOfTwiceTheHeapStreamsThrough() throws Exception {
        long size = 512L << 20;
        BrowserForm form = new BrowserForm("large").exact("key", "form.bin").condition("[\"content-length-range\", 1, " + size + "]")
                .signed(server.keys());
        AtomicReference<MessageDigest> sent = new AtomicReference<>();
        long start = System.nanoTime();
        HttpResponse<String> res;
        try (HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build()) {
            res = http.send(form.request(server.endpoint(), form.streamed("form.bin", () -> {
                MessageDigest md = TestData.digest("SHA-256");
                sent.set(md);
                return new DigestInputStream(TestData.stream(77, size), md);
            })), HttpResponse.BodyHandlers.ofString());
        }
        System.out.printf("MemoryBoundTest: form upload (POST) of 512 MiB in %.1f s%n", (System.nanoTime() - start) / 1e9);
        assertEquals(204, res.statusCode(), res.body());
        try (S3Client s3 = server.newClient();
             ResponseInputStream<GetObjectResponse> in = s3.getObject(b -> b.bucket("large").key("form.bin"))) {
            assertEquals(size, in.response().contentLength());
            assertEquals(HexFormat.of().formatHex(sent.get().digest()), TestData.sha256((InputStream) in));
            s3.deleteObject(b -> b.bucket("large").key("form.bin"));
        }
    }

    @Test
    @Timeout(value = 400, unit = TimeUnit.SECONDS)
    void awscliCopiesTwoGiBUpAndDownTenPartsAtOnce() throws Exception {
        Assumptions.assumeTrue(S3Cli.available().orElse(null) == S3Cli.Kind.AWSCLI, "Debian's awscli is not installed");
        Path work = Files.createDirectories(tmp.resolve("awscli"));
        Path source = TestData.file(work, "source.bin", 11, LARGE);
        S3Cli aws = new S3Cli(S3Cli.Kind.AWSCLI, server, work);
        long start = System.nanoTime();
        aws.ok("cp", "--no-progress", source.toString(), "s3://large/awscli.bin");
        long mid = System.nanoTime();
        Path back = work.resolve("back.bin");
        aws.ok("cp", "--no-progress", "s3://large/awscli.bin", back.toString());
        long end = System.nanoTime();
        System.out.printf("MemoryBoundTest: awscli cp 2 GiB up in %.1f s, down in %.1f s%n", (mid - start) / 1e9, (end - mid) / 1e9);
        assertEquals(TestData.sha256(source), TestData.sha256(back));
        Files.delete(source);
        Files.delete(back);
        aws.ok("rm", "s3://large/awscli.bin");
    }

    @Test
    @Timeout(value = 400, unit = TimeUnit.SECONDS)
    void thirtyTwoConcurrentSixtyFourMiBPutsAllLand() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(CONCURRENT_PUTS);
        try (S3Client s3 = S3Clients.syncWithRetries(server.endpoint(), server.keys(), 10)) {
            List<Future<String>> puts = new ArrayList<>();
            for (int i = 0; i < CONCURRENT_PUTS; i++) {
                int seed = i;
                puts.add(pool.submit(() -> {
                    PutObjectResponse r = s3.putObject(b -> b.bucket("large").key("p" + seed),
                            RequestBody.fromContentProvider(() -> TestData.stream(seed, PUT_SIZE), PUT_SIZE, "application/octet-stream"));
                    return r.eTag();
                }));
            }
            for (int i = 0; i < CONCURRENT_PUTS; i++) {
                String expectedMd5 = md5Hex(TestData.stream(i, PUT_SIZE));
                assertEquals("\"" + expectedMd5 + "\"", puts.get(i).get(300, TimeUnit.SECONDS), "ETag of p" + i);
            }
            for (int i = 0; i < CONCURRENT_PUTS; i++) {
                int seed = i;
                try (ResponseInputStream<GetObjectResponse> in = s3.getObject(b -> b.bucket("large").key("p" + seed))) {
                    assertEquals(TestData.sha256(TestData.stream(seed, PUT_SIZE)), TestData.sha256((InputStream) in), "p" + seed);
                }
                s3.deleteObject(b -> b.bucket("large").key("p" + seed));
            }
        } finally {
            pool.shutdownNow();
        }
    }

    private static String md5Hex(InputStream in) throws Exception {
        MessageDigest md = TestData.digest("MD5");
        try (in) {
            byte[] buf = new byte[1 << 20];
            for (int n; (n = in.read(buf)) >= 0; ) {
                md.update(buf, 0, n);
            }
        }
        return HexFormat.of().formatHex(md.digest());
    }
}
