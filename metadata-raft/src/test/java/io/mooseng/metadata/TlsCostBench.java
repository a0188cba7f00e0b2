package io.mooseng.metadata;

import io.mooseng.core.model.ObjectManifest;
import io.mooseng.core.model.ObjectProperties;
import io.mooseng.core.model.StorageClass;
import io.mooseng.core.security.Role;
import io.mooseng.metadata.client.MetadataClientConfig;
import io.mooseng.metadata.client.RaftMetadataService;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Semaphore;
import java.util.function.IntFunction;
import java.util.stream.Stream;

/**
 * What mutual TLS costs on the metadata path: 3 masters on loopback in this JVM with a
 * gateway's client, creating empty objects (one committed log entry each) and reading them
 * back (HEAD: a read from the leader's state under its lease), at c=1 and c=32; plaintext and
 * TLS runs alternate, each on a fresh group and after a warm-up on that group; run 0 of each
 * warms the JVM up and is not reported. Not a test:
 * {@code java -cp ... io.mooseng.metadata.TlsCostBench [runs] [count]} (the benchmark of
 * running masters is {@code mooseng bench metadata}).
 */
public final class TlsCostBench {
    private TlsCostBench() {
    }

    public static void main(String[] args) throws Exception {
        int runs = args.length > 0 ? Integer.parseInt(args[0]) : 3;
        int count = args.length > 1 ? Integer.parseInt(args[1]) : 3000;
        Path dir = Files.createTempDirectory("tls-cost");
        System.out.printf("%d cores; %d operations per phase (c=32: 4x)%n%-3s %-5s %-14s %10s %8s %8s%n",
                Runtime.getRuntime().availableProcessors(), count, "run", "mode", "phase", "ops/s", "p50 ms", "p99 ms");
        try {
            for (int run = 0; run <= runs; run++) {
                for (boolean tls : List.of(false, true)) {
                    run(dir.resolve(run + (tls ? "-tls" : "-plain")), tls, count, run);
                }
            }
        } finally {
            try (Stream<Path> files = Files.walk(dir)) {
                files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
        System.exit(0); // the RPC's event loops are daemon threads, Ratis's are not all
    }

    private static void run(Path dir, boolean tls, int count, int run) throws Exception {
        TestCertificates certs = tls ? TestCertificates.create(dir.resolve("certs")) : null;
        try (TestCluster cluster = tls ? TestCluster.start(dir, 3, certs.forMasters()) : TestCluster.start(dir, 3)) {
            MetadataClientConfig config = tls ? MetadataClientConfig.DEFAULTS.withTls(certs.issue(Role.GATEWAY, "gw")) : MetadataClientConfig.DEFAULTS;
            RaftMetadataService md = cluster.client(config);
            md.createBucket("b", StorageClass.EC_4_2, 1).get();
            ObjectManifest empty = new ObjectManifest(0, "d41d8cd98f00b204e9800998ecf8427e", 1, ObjectProperties.EMPTY,
                    StorageClass.EC_4_2, List.of(), new byte[0]);
            phase(32, count, i -> md.putObject("b", Fixtures.key("warm/" + i), empty)); // JIT, connections, handshakes
            String mode = tls ? "tls" : "plain";
            for (int c : List.of(1, 32)) {
                int n = c == 1 ? count : 4 * count;
                String prefix = "c" + c + "/";
                long[] creates = phase(c, n, i -> md.putObject("b", Fixtures.key(prefix + i), empty));
                long[] heads = phase(c, n, i -> md.getObject("b", Fixtures.key(prefix + i)));
                if (run > 0) {
                    report(run, mode, "create c=" + c, creates);
                    report(run, mode, "HEAD c=" + c, heads);
                }
            }
        }
    }

    /** Runs {@code n} operations, {@code concurrency} at a time; the latencies in nanoseconds and the elapsed time last. */
    private static long[] phase(int concurrency, int n, IntFunction<CompletableFuture<?>> op) throws Exception {
        long[] latencies = new long[n + 1];
        Semaphore slots = new Semaphore(concurrency);
        CompletableFuture<?>[] all = new CompletableFuture<?>[n];
        long start = System.nanoTime();
        for (int i = 0; i < n; i++) {
            slots.acquire();
            int idx = i;
            long t0 = System.nanoTime();
            all[i] = op.apply(i).whenComplete((r, e) -> {
                latencies[idx] = System.nanoTime() - t0;
                slots.release();
            });
        }
        CompletableFuture.allOf(all).get();
        latencies[n] = System.nanoTime() - start;
        return latencies;
    }

    private static void report(int run, String mode, String phase, long[] result) {
        int n = result.length - 1;
        long[] sorted = Arrays.copyOf(result, n);
        Arrays.sort(sorted);
        System.out.printf("%-3d %-5s %-14s %,10.0f %8.2f %8.2f%n", run, mode, phase, n / (result[n] / 1e9),
                sorted[n / 2] / 1e6, sorted[(int) (n * 0.99)] / 1e6);
    }
}
