package io.mooseng.s3compat;

import io.mooseng.cli.EmbeddedCluster;
import io.mooseng.core.config.HostPort;
import io.mooseng.core.model.StorageClass;
import io.mooseng.core.object.ObjectServiceConfig;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.S3Exception;
import software.amazon.awssdk.services.s3.presigner.S3Presigner;

import java.io.OutputStream;
import java.net.Socket;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * A cluster whose byte budget holds one large upload: while that upload is in flight, the
 * next one waits its admission time and is answered 503 SlowDown with Retry-After; once
 * the large one is gone (its client vanished mid-body), its memory is back and the next
 * upload goes through.
 */
class SlowDownTest {
    private static final long BUDGET = 8 << 20;
    private static final int HELD_LENGTH = 32 << 20;

    private static final S3Keys KEYS = S3Keys.random();
    private static Path dir;
    private static EmbeddedCluster cluster;

    @BeforeAll
    static void start() throws Exception {
        dir = Files.createTempDirectory("mooseng-slowdown-");
        cluster = EmbeddedCluster.start(new EmbeddedCluster.Options(List.of(dir), new HostPort("127.0.0.1", 0),
                new HostPort("127.0.0.1", 0), 6, StorageClass.EC_4_2, KEYS.accessKey(), KEYS.secretKey(),
                ObjectServiceConfig.defaults(StorageClass.EC_4_2).withAdmissionWait(300)).withMemoryBudget(BUDGET));
    }

    @AfterAll
    static void stop() throws Exception {
        if (cluster != null) {
            cluster.close();
        }
        TempDirs.delete(dir);
    }

    @Test
    void aRequestBeyondTheBudgetGetsSlowDownAndTheBudgetComesBack() throws Exception {
        try (S3Client s3 = S3Clients.syncWithoutRetries(java.net.URI.create(cluster.endpoint()), KEYS);
             S3Presigner presigner = S3Clients.presigner(java.net.URI.create(cluster.endpoint()), KEYS)) {
            s3.createBucket(b -> b.bucket("slow"));
            URL url = presigner.presignPutObject(p -> p.signatureDuration(Duration.ofMinutes(5))
                    .putObjectRequest(r -> r.bucket("slow").key("held"))).url();
            byte[] small = TestData.bytes(1, 1 << 20);
            try (Socket held = new Socket("127.0.0.1", url.getPort())) {
                OutputStream out = held.getOutputStream();
                out.write(("PUT " + url.getFile() + " HTTP/1.1\r\nHost: " + url.getHost() + ":" + url.getPort()
                        + "\r\nContent-Length: " + HELD_LENGTH + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
                out.write(TestData.bytes(2, 1 << 20));
                out.flush();
                until(Duration.ofSeconds(10), () -> cluster.objects().budget().available() < (1 << 20));

                S3Exception refused = assertThrows(S3Exception.class,
                        () -> s3.putObject(b -> b.bucket("slow").key("next"), RequestBody.fromBytes(small)));
                assertEquals(503, refused.statusCode());
                assertEquals("SlowDown", refused.awsErrorDetails().errorCode());
                assertEquals("1", refused.awsErrorDetails().sdkHttpResponse().firstMatchingHeader("Retry-After").orElse(null));
            }
            // the held upload's client is gone: its writer aborts and gives its memory back
            until(Duration.ofSeconds(10), () -> cluster.objects().budget().inUse() == 0);
            s3.putObject(b -> b.bucket("slow").key("next"), RequestBody.fromBytes(small));
            assertEquals(TestData.sha256(small), TestData.sha256(s3.getObjectAsBytes(b -> b.bucket("slow").key("next")).asByteArray()));
            assertEquals(0, cluster.objects().budget().inUse());
        }
    }

    private static void until(Duration limit, java.util.function.BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + limit.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("condition not met within " + limit);
            }
            Thread.sleep(20);
        }
    }
}
