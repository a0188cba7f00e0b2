package io.mooseng.cli.bench;

import io.mooseng.cli.ByteSizes;
import io.mooseng.cli.ProgressOption;
import io.mooseng.chunkserver.store.SegmentShardStore;
import io.mooseng.core.model.BlockId;
import io.mooseng.core.model.ShardId;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * {@code mooseng bench shardstore}: the chunkserver's {@link SegmentShardStore} against one
 * file per shard ({@link FilePerShardStore}) on the same disk in the same run. Each put is
 * durable when it returns in both. Per store and shard size: {@code --threads} writers put
 * up to {@code --count} new shards (or stop at {@code --seconds}), then as many threads read
 * them all back in random order (mostly from the page cache: they were just written).
 */
@Command(name = "shardstore", mixinStandardHelpOptions = true,
        description = "Shard store: segment log vs one file per shard, fsynced puts and reads on one disk.")
public final class ShardStoreBench implements Callable<Integer> {
    @Option(names = "--dir", defaultValue = "./bench-shardstore",
            description = "Where the stores are written; what this run creates is removed afterwards (default: ${DEFAULT-VALUE}).")
    Path dir;

    @Option(names = "--sizes", split = ",", defaultValue = "4KiB,64KiB", description = "Shard sizes (default: ${DEFAULT-VALUE}).")
    List<String> sizes;

    @Option(names = "--threads", defaultValue = "16", description = "Concurrent writers, then readers (default: ${DEFAULT-VALUE}).")
    int threads;

    @Option(names = "--count", defaultValue = "20000", description = "Shards written per store and size at most (default: ${DEFAULT-VALUE}).")
    int count;

    @Option(names = "--seconds", defaultValue = "10", description = "Time limit of each write phase (default: ${DEFAULT-VALUE}).")
    int seconds;

    /** The two operations measured, over either store. */
    /** What the benchmark needs of a store; the one-file-per-shard baseline is one directly. */
    interface Target extends AutoCloseable {
        void put(ShardId id, ByteBuffer data) throws IOException;

        ByteBuffer get(ShardId id) throws IOException;

        @Override
        void close() throws IOException;
    }

    @Mixin
    ProgressOption progress;

    @Override
    public Integer call() throws Exception {
        boolean created = !Files.exists(dir);
        Files.createDirectories(dir);
        Path run = Files.createTempDirectory(dir, "run-");
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            System.out.printf("dir %s, %d threads, up to %d shards or %d s per write phase, %d cores%n%n",
                    dir.toAbsolutePath().normalize(), threads, count, seconds, Runtime.getRuntime().availableProcessors());
            System.out.println("| store | shard | writes | writes/s | MiB/s | p50 ms | p99 ms | reads/s |");
            System.out.println("|---|---|---|---|---|---|---|---|");
            for (String s : sizes) {
                int size = Math.toIntExact(ByteSizes.parse(s));
                Path segments = run.resolve("segment-" + size);
                measure("segment log", size, pool, segments, segmentStore(segments));
                Path files = run.resolve("files-" + size);
                measure("file per shard", size, pool, files, new FilePerShardStore(files));
            }
        } finally {
            pool.shutdown();
            Folders.deleteTree(created ? dir : run);
        }
        return 0;
    }

    private static Target segmentStore(Path path) throws IOException {
        SegmentShardStore store = SegmentShardStore.open(path);
        return new Target() {
            @Override
            public void put(ShardId id, ByteBuffer data) throws IOException {
                store.put(id, data);
            }

            @Override
            public ByteBuffer get(ShardId id) throws IOException {
                return store.get(id, 0, Integer.MAX_VALUE);
            }

            @Override
            public void close() throws IOException {
                store.close();
            }
        };
    }

    /** Writes, then reads back, then deletes one store; prints its row. */
    private void measure(String name, int size, ExecutorService pool, Path path, Target target) throws Exception {
        byte[] bytes = new byte[size];
        ThreadLocalRandom.current().nextBytes(bytes);
        ByteBuffer payload = ByteBuffer.wrap(bytes).asReadOnlyBuffer();
        ShardId[] ids = new ShardId[count];
        for (int i = 0; i < count; i++) {
            ids[i] = new ShardId(BlockId.random(), i % 12);
        }
        try (target) {
            long[] latencies = new long[count];
            AtomicInteger next = new AtomicInteger();
            long deadline = System.nanoTime() + seconds * 1_000_000_000L;
            long started = System.nanoTime();
            try (BenchProgress shown = BenchProgress.start(progress.mode, name + " " + ByteSizes.format(size) + " writes", count)) {
                onAllThreads(pool, () -> {
                    for (int i; System.nanoTime() < deadline && (i = next.getAndIncrement()) < count; ) {
                        long t0 = System.nanoTime();
                        target.put(ids[i], payload);
                        latencies[i] = System.nanoTime() - t0;
                        shown.done(1);
                    }
                });
            }
            int written = Math.min(next.get(), count);
            LatencyStats writes = LatencyStats.of(name, Arrays.copyOf(latencies, written), (long) written * size,
                    (System.nanoTime() - started) / 1e9);

            List<Integer> order = new ArrayList<>(written);
            for (int i = 0; i < written; i++) {
                order.add(i);
            }
            Collections.shuffle(order);
            AtomicInteger nextRead = new AtomicInteger();
            started = System.nanoTime();
            try (BenchProgress shown = BenchProgress.start(progress.mode, name + " " + ByteSizes.format(size) + " reads", written)) {
                onAllThreads(pool, () -> {
                    for (int i; (i = nextRead.getAndIncrement()) < written; ) {
                        if (target.get(ids[order.get(i)]).remaining() != size) {
                            throw new IllegalStateException("short read of shard " + ids[order.get(i)]);
                        }
                        shown.done(1);
                    }
                });
            }
            double readsPerSecond = written / ((System.nanoTime() - started) / 1e9);
            System.out.printf("| %s | %s | %d | %.0f | %.1f | %.2f | %.2f | %.0f |%n", name, ByteSizes.format(size),
                    written, writes.opsPerSecond(), writes.mibPerSecond(), writes.p50Millis(), writes.p99Millis(),
                    readsPerSecond);
        } finally {
            Folders.deleteTree(path);
        }
    }

    /** Work of one thread; the same on every thread. */
    private interface Work {
        void run() throws Exception;
    }

    private void onAllThreads(ExecutorService pool, Work work) throws Exception {
        List<Future<Object>> done = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            done.add(pool.submit(() -> {
                work.run();
                return null;
            }));
        }
        for (Future<Object> f : done) {
            f.get();
        }
    }
}
