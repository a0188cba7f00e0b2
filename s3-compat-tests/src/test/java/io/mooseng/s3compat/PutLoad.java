package io.mooseng.s3compat;

import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;

import java.net.URI;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * PUT loops through several gateways at once, recording each acknowledged object (key ->
 * size and content seed) and each failure as the S3 caller saw it. Clients do not retry, so
 * a failure the gateway let through is counted, not hidden. Every 10th object is large
 * enough to be erasure-coded onto chunkservers; the others are stored in metadata.
 */
final class PutLoad implements AutoCloseable {
    /** The largest object kept in metadata: log entries fill segments fast, so snapshots purge the log soon. */
    static final int SMALL = io.mooseng.core.object.ObjectServiceConfig.DEFAULT_INLINE_MAX;
    static final int LARGE = 200 * 1024;
    private static final int RECENT = 4096;

    /** What a PUT stored. */
    record Stored(int size, long seed) {
    }

    private final Map<String, Stored> acked = new ConcurrentHashMap<>();
    private final List<String> failures = Collections.synchronizedList(new ArrayList<>());
    /** Start and acknowledgement times (System.nanoTime()) of the latest acknowledged PUTs. */
    private final Deque<long[]> recentAcks = new ArrayDeque<>();
    private final AtomicLong maxLatencyNanos = new AtomicLong();
    private final List<Thread> threads = new ArrayList<>();
    private final List<S3Client> clients = new ArrayList<>();
    private volatile boolean running = true;

    /**
     * @param perThread PUTs per thread, or 0 for until {@link #close()}
     */
    PutLoad(List<URI> endpoints, S3Keys keys, String bucket, String prefix, int threadCount, int perThread) {
        this(endpoints, keys, bucket, prefix, threadCount, perThread, 10);
    }

    /** @param largeEvery every n-th PUT is large (1: all of them go to chunkservers) */
    PutLoad(List<URI> endpoints, S3Keys keys, String bucket, String prefix, int threadCount, int perThread, int largeEvery) {
        for (int t = 0; t < threadCount; t++) {
            S3Client s3 = S3Clients.syncWithoutRetries(endpoints.get(t % endpoints.size()), keys);
            clients.add(s3);
            int id = t;
            Thread thread = new Thread(() -> loop(s3, bucket, prefix + id + "/", perThread, largeEvery), "put-load-" + t);
            threads.add(thread);
        }
        threads.forEach(Thread::start);
    }

    private void loop(S3Client s3, String bucket, String prefix, int count, int largeEvery) {
        for (int n = 0; running && (count == 0 || n < count); n++) {
            String key = prefix + n;
            int size = n % largeEvery == largeEvery - 1 ? LARGE : SMALL;
            long seed = key.hashCode() * 31L + n;
            long start = System.nanoTime();
            try {
                s3.putObject(b -> b.bucket(bucket).key(key), RequestBody.fromBytes(TestData.bytes(seed, size)));
                long now = System.nanoTime();
                acked.put(key, new Stored(size, seed));
                synchronized (recentAcks) {
                    recentAcks.addLast(new long[]{start, now});
                    if (recentAcks.size() > RECENT) {
                        recentAcks.removeFirst();
                    }
                }
                maxLatencyNanos.accumulateAndGet(now - start, Math::max);
            } catch (RuntimeException e) {
                failures.add(key + ": " + e);
            }
        }
    }

    /** Waits for the bounded loops to finish. */
    void awaitDone() throws InterruptedException {
        for (Thread t : threads) {
            t.join();
        }
    }

    /**
     * Waits until a PUT started after {@code nanos} is acknowledged (one already in flight then
     * does not count: its commit may have happened before); returns when (System.nanoTime()).
     */
    long awaitAckAfter(long nanos, long timeoutMillis) throws InterruptedException {
        long deadline = System.nanoTime() + timeoutMillis * 1_000_000;
        while (true) {
            synchronized (recentAcks) {
                long first = recentAcks.stream().filter(a -> a[0] > nanos).mapToLong(a -> a[1]).min().orElse(0);
                if (first != 0) {
                    return first;
                }
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError("no PUT started after the mark acknowledged within " + timeoutMillis + " ms");
            }
            Thread.sleep(1);
        }
    }

    Map<String, Stored> acked() {
        return Map.copyOf(acked);
    }

    List<String> failures() {
        return List.copyOf(failures);
    }

    long maxLatencyMillis() {
        return maxLatencyNanos.get() / 1_000_000;
    }

    /** GETs every object (spread over the endpoints) and compares it byte for byte with what was PUT. */
    static void verify(List<URI> endpoints, S3Keys keys, String bucket, Map<String, Stored> objects) {
        List<S3Client> readers = endpoints.stream().map(e -> S3Clients.sync(e, keys)).toList();
        try {
            int i = 0;
            for (Map.Entry<String, Stored> e : objects.entrySet()) {
                S3Client s3 = readers.get(i++ % readers.size());
                byte[] got = s3.getObjectAsBytes(b -> b.bucket(bucket).key(e.getKey())).asByteArray();
                org.junit.jupiter.api.Assertions.assertArrayEquals(TestData.bytes(e.getValue().seed(), e.getValue().size()), got, e.getKey());
            }
        } finally {
            readers.forEach(S3Client::close);
        }
    }

    @Override
    public void close() throws InterruptedException {
        running = false;
        awaitDone();
        clients.forEach(S3Client::close);
    }
}
