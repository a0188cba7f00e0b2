package io.mooseng.s3compat;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.core.ResponseInputStream;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;

import java.io.InputStream;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A 2 GiB object through a server whose heap is 256 MiB: it can only pass if the gateway
 * streams both ways. The test streams too: the content is generated, hashed and discarded.
 */
class LargeObjectTest {
    private static final long SIZE = 2L << 30;

    @TempDir
    Path tmp;

    private ServerProcess server;

    @AfterEach
    void stopServer() {
        if (server != null) {
            server.close();
        }
    }

    @Test
    @Timeout(value = 300, unit = TimeUnit.SECONDS)
    void twoGiBObjectRoundTripsThroughA256MiBHeap() throws Exception {
        server = ServerProcess.Spec.jvm(tmp.resolve("data"), S3Keys.random(), "-Xmx256m").start();
        // the SDK opens the body again on a retry; the digest of the last opening is the one stored
        AtomicReference<MessageDigest> sent = new AtomicReference<>();
        try (S3Client s3 = server.newClient()) {
            s3.createBucket(b -> b.bucket("large"));

            long putStart = System.nanoTime();
            s3.putObject(b -> b.bucket("large").key("2GiB.bin"), RequestBody.fromContentProvider(() -> {
                MessageDigest md = TestData.digest("SHA-256");
                sent.set(md);
                return new DigestInputStream(TestData.stream(2024, SIZE), md);
            }, SIZE, "application/octet-stream"));
            long getStart = System.nanoTime();
            String received;
            try (ResponseInputStream<GetObjectResponse> in = s3.getObject(b -> b.bucket("large").key("2GiB.bin"))) {
                assertEquals(SIZE, in.response().contentLength());
                received = TestData.sha256((InputStream) in);
            }
            long end = System.nanoTime();

            System.out.printf("LargeObjectTest: PUT 2 GiB in %.1f s, GET in %.1f s%n",
                    (getStart - putStart) / 1e9, (end - getStart) / 1e9);
            assertEquals(HexFormat.of().formatHex(sent.get().digest()), received);
            assertTrue(server.isAlive(), server::logTail);
        }
    }
}
