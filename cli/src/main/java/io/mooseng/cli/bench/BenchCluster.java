package io.mooseng.cli.bench;

import io.mooseng.cli.ByteSizes;
import io.mooseng.chunkserver.ChunkServer;
import io.mooseng.cli.EmbeddedCluster;
import io.mooseng.core.config.HostPort;
import io.mooseng.core.maintenance.MaintenanceConfig;
import io.mooseng.core.model.StorageClass;
import io.mooseng.core.object.ObjectWriter;
import io.mooseng.core.model.ObjectProperties;

import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

/**
 * An in-process cluster for the durability benchmarks: N chunkservers on one folder, fast
 * heartbeats, maintenance cycles driven by the benchmark, and a bulk writer that goes
 * through {@link io.mooseng.core.object.ObjectService} (the data path below S3).
 */
final class BenchCluster implements AutoCloseable {
    static final Duration HEARTBEAT = Duration.ofMillis(250);

    final EmbeddedCluster cluster;

    private BenchCluster(EmbeddedCluster cluster) {
        this.cluster = cluster;
    }

    static BenchCluster start(Path dir, int chunkservers, MaintenanceConfig maintenance) throws Exception {
        String secret = UUID.randomUUID().toString();
        return new BenchCluster(EmbeddedCluster.start(new EmbeddedCluster.Options(List.of(dir), new HostPort("127.0.0.1", 0),
                new HostPort("127.0.0.1", 0), chunkservers, StorageClass.replicated(1), "BENCHKEY", secret, null)
                .withMaintenance(maintenance.withInterval(3_600_000), HEARTBEAT)));
    }

    /**
     * Writes {@code count} objects of {@code size} random bytes with 4 writers; @return bytes written.
     *
     * @param progress --progress: auto, always or never
     */
    long write(String bucket, StorageClass sc, int count, int size, String progress) throws Exception {
        cluster.objects().createBucket(bucket, sc).get(30, TimeUnit.SECONDS);
        ExecutorService writers = Executors.newFixedThreadPool(4);
        try (BenchProgress shown = BenchProgress.start(progress, "writing " + sc + " objects of " + ByteSizes.format(size), count)) {
            List<Future<?>> done = new ArrayList<>();
            for (int w = 0; w < 4; w++) {
                int first = w;
                done.add(writers.submit(() -> {
                    byte[] chunk = new byte[1 << 20];
                    for (int i = first; i < count; i += 4) {
                        ThreadLocalRandom.current().nextBytes(chunk);
                        ObjectWriter<?> writer = cluster.objects().openWrite(bucket, "o" + i, ObjectProperties.EMPTY, null)
                                .get(60, TimeUnit.SECONDS);
                        for (int left = size; left > 0; left -= chunk.length) {
                            writer.write(ByteBuffer.wrap(chunk, 0, Math.min(left, chunk.length))).get(60, TimeUnit.SECONDS);
                        }
                        writer.complete(null).get(60, TimeUnit.SECONDS);
                        shown.done(1);
                    }
                    return null;
                }));
            }
            for (Future<?> f : done) {
                f.get();
            }
        } finally {
            writers.shutdownNow();
        }
        return (long) count * size;
    }

    /** Bytes of live shards and of segment files over every chunkserver. */
    long[] stored() {
        long live = 0;
        long disk = 0;
        for (ChunkServer cs : cluster.chunkServers()) {
            live += cs.store().usage().liveBytes();
            disk += cs.store().usage().diskBytes();
        }
        return new long[] {live, disk};
    }

    @Override
    public void close() {
        cluster.close();
    }
}
