package io.mooseng.s3compat;

import io.mooseng.cli.EmbeddedCluster;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.CompletedPart;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static io.mooseng.s3compat.S3Assertions.allKeys;
import static io.mooseng.s3compat.S3Assertions.assertObjectAbsent;
import static io.mooseng.s3compat.TestData.MiB;
import static io.mooseng.s3compat.TestData.sha256;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What was acknowledged survives a clean restart, a kill -9 and the loss of two of six
 * chunkservers; what was not acknowledged never shows up, not even in part.
 */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class DurabilityTest {
    private static final String BUCKET = "durable";

    @TempDir
    Path tmp;

    private final List<AutoCloseable> resources = new ArrayList<>();

    @AfterEach
    void closeEverything() throws Exception {
        for (int i = resources.size() - 1; i >= 0; i--) {
            resources.get(i).close();
        }
    }

    @Test
    void everyObjectIsIdenticalAfterSigtermAndRestart() throws Exception {
        ServerProcess.Spec spec = ServerProcess.Spec.jvm(tmp.resolve("data"), S3Keys.random(), "-Xmx512m");
        ServerProcess first = started(spec);
        Map<String, byte[]> objects = objectsOfSeveralSizes();
        String multipartSha;
        try (S3Client s3 = first.newClient()) {
            s3.createBucket(b -> b.bucket(BUCKET));
            objects.forEach((key, data) -> s3.putObject(b -> b.bucket(BUCKET).key(key), RequestBody.fromBytes(data)));
            multipartSha = putMultipart(s3, "multipart", 12 * MiB + 5);
        }

        first.stop();
        ServerProcess second = started(spec);

        try (S3Client s3 = second.newClient()) {
            assertAllReadBack(s3, objects);
            assertEquals(multipartSha, sha256(s3.getObjectAsBytes(b -> b.bucket(BUCKET).key("multipart")).asByteArray()));
        }
    }

    @Test
    void killDuringUploadLeavesNoPartialObjectAndServerServesAfterRestart() throws Exception {
        ServerProcess.Spec spec = ServerProcess.Spec.jvm(tmp.resolve("data"), S3Keys.random(), "-Xmx512m");
        ServerProcess server = started(spec);
        byte[] acknowledged = TestData.bytes(1, 3 * MiB);
        try (S3Client s3 = server.newClient()) {
            s3.createBucket(b -> b.bucket(BUCKET));
            s3.putObject(b -> b.bucket(BUCKET).key("acknowledged"), RequestBody.fromBytes(acknowledged));
        }

        HalfwayGate gate = new HalfwayGate(32L * MiB);
        ExecutorService uploader = Executors.newSingleThreadExecutor();
        resources.add(uploader::shutdownNow);
        // no retries: a retry against the restarted server could complete the upload this test interrupts
        S3Client noRetries = S3Clients.syncWithoutRetries(server.endpoint(), server.keys());
        resources.add(noRetries);
        Future<?> upload = uploader.submit(() -> noRetries.putObject(b -> b.bucket(BUCKET).key("interrupted"),
                RequestBody.fromContentProvider(() -> gate.wrap(TestData.stream(64, 64L * MiB)), 64L * MiB, "application/octet-stream")));
        assertTrue(gate.awaitHalfway(90), "upload never reached half of 64 MiB");

        server.kill();
        gate.release();
        assertThrows(ExecutionException.class, () -> upload.get(60, TimeUnit.SECONDS));
        ServerProcess restarted = started(spec);

        try (S3Client s3 = restarted.newClient()) {
            assertObjectAbsent(s3, BUCKET, "interrupted");
            assertEquals(List.of("acknowledged"), allKeys(s3, BUCKET));
            assertAllReadBack(s3, Map.of("acknowledged", acknowledged));
            byte[] fresh = TestData.bytes(2, 5 * MiB + 3);
            s3.putObject(b -> b.bucket(BUCKET).key("after-restart"), RequestBody.fromBytes(fresh));
            assertAllReadBack(s3, Map.of("after-restart", fresh));
        }
    }

    /** In process: {@link EmbeddedCluster#stopChunkserver} is the way to lose a machine. EC 4+2 tolerates two. */
    @Test
    void everyObjectReadsBackWithTwoOfSixChunkserversStopped() throws Exception {
        S3Keys keys = S3Keys.random();
        EmbeddedCluster cluster = ClusterExtension.startCluster(tmp.resolve("data"), keys);
        resources.add(cluster);
        S3Server server = S3Server.of(URI.create(cluster.endpoint()), keys);
        S3Client s3 = server.newClient();
        resources.add(s3);
        s3.createBucket(b -> b.bucket(BUCKET));
        Map<String, byte[]> objects = new LinkedHashMap<>();
        objects.put("inline", TestData.bytes(1, 100));
        objects.put("one-mib", TestData.bytes(2, MiB));
        objects.put("ten-mib", TestData.bytes(3, 10 * MiB));
        objects.forEach((key, data) -> s3.putObject(b -> b.bucket(BUCKET).key(key), RequestBody.fromBytes(data)));
        String multipartSha = putMultipart(s3, "multipart", 11 * MiB);

        cluster.stopChunkserver(0);
        cluster.stopChunkserver(3);

        assertAllReadBack(s3, objects);
        assertEquals(multipartSha, sha256(s3.getObjectAsBytes(b -> b.bucket(BUCKET).key("multipart")).asByteArray()));
    }

    private ServerProcess started(ServerProcess.Spec spec) throws IOException, InterruptedException {
        ServerProcess p = spec.start();
        resources.add(p);
        return p;
    }

    /** Around the thresholds that matter: inline limit (4 KiB), block size (4 MiB). */
    private static Map<String, byte[]> objectsOfSeveralSizes() {
        Map<String, byte[]> objects = new LinkedHashMap<>();
        for (int size : new int[] {0, 1, 4096, 4097, MiB, 4 * MiB + 1, 10 * MiB + 7}) {
            objects.put("sizes/" + size, TestData.bytes(size, size));
        }
        objects.put("dir/marker/", new byte[0]);
        return objects;
    }

    private static void assertAllReadBack(S3Client s3, Map<String, byte[]> objects) {
        objects.forEach((key, data) -> {
            var got = s3.getObjectAsBytes(b -> b.bucket(BUCKET).key(key));
            assertEquals(sha256(data), sha256(got.asByteArray()), key);
            assertEquals(TestData.etag(data), got.response().eTag(), key);
        });
    }

    /** Parts of 5 MiB and a shorter last one; answers the SHA-256 of the whole. */
    private static String putMultipart(S3Client s3, String key, int size) {
        byte[] data = TestData.bytes(size, size);
        String uploadId = s3.createMultipartUpload(b -> b.bucket(BUCKET).key(key)).uploadId();
        List<CompletedPart> parts = new ArrayList<>();
        for (int offset = 0, n = 1; offset < size; offset += 5 * MiB, n++) {
            byte[] part = Arrays.copyOfRange(data, offset, Math.min(size, offset + 5 * MiB));
            int number = n;
            String eTag = s3.uploadPart(b -> b.bucket(BUCKET).key(key).uploadId(uploadId).partNumber(number),
                    RequestBody.fromBytes(part)).eTag();
            parts.add(CompletedPart.builder().partNumber(number).eTag(eTag).build());
        }
        s3.completeMultipartUpload(b -> b.bucket(BUCKET).key(key).uploadId(uploadId).multipartUpload(m -> m.parts(parts)));
        return sha256(data);
    }

    /**
     * Lets an upload's body run to a byte count, then holds it there until released, so the
     * server can be killed at a known point of the upload rather than at a guessed moment.
     */
    private static final class HalfwayGate {
        private final long halfway;
        private final CountDownLatch reached = new CountDownLatch(1);
        private final CountDownLatch released = new CountDownLatch(1);

        HalfwayGate(long halfway) {
            this.halfway = halfway;
        }

        InputStream wrap(InputStream body) {
            return new FilterInputStream(body) {
                private long read;

                @Override
                public int read(byte[] b, int off, int len) throws IOException {
                    if (read >= halfway) {
                        reached.countDown();
                        try {
                            if (!released.await(60, TimeUnit.SECONDS)) {
                                throw new IOException("gate never released");
                            }
                        } catch (InterruptedException e) {
                            Thread.currentThread().interrupt();
                            throw new IOException(e);
                        }
                    }
                    int n = super.read(b, off, read < halfway ? (int) Math.min(len, halfway - read) : len);
                    read += Math.max(n, 0);
                    return n;
                }
            };
        }

        boolean awaitHalfway(int seconds) throws InterruptedException {
            return reached.await(seconds, TimeUnit.SECONDS);
        }

        void release() {
            released.countDown();
        }
    }
}
