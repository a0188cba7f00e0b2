package io.mooseng.cli.bench;

import io.mooseng.cli.EmbeddedCluster;
import io.mooseng.cli.ProgressOption;
import io.mooseng.core.metadata.MetadataService;
import io.mooseng.core.model.ListPage;
import io.mooseng.core.model.ListRequest;
import io.mooseng.core.model.ObjectKey;
import io.mooseng.core.model.ObjectManifest;
import io.mooseng.core.model.ObjectProperties;
import io.mooseng.core.model.StorageClass;
import io.mooseng.core.security.ClusterTls;
import io.mooseng.metadata.client.MetadataClientConfig;
import io.mooseng.metadata.client.RaftMetadataService;
import io.mooseng.metadata.raft.MetadataServer;
import io.mooseng.metadata.raft.MetadataServerConfig;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Semaphore;
import java.util.function.IntFunction;

/**
 * {@code mooseng bench metadata}: metadata operations per second through the Raft client
 * (create empty object = one committed log entry, HEAD = one linearizable read, list of
 * 1,000 keys), at each concurrency; against running masters or a single master started here.
 */
@Command(name = "metadata", mixinStandardHelpOptions = true, description = "Metadata commits and reads per second.")
public final class MetadataBench implements Callable<Integer> {
    @Option(names = "--masters", split = ",", description = "Raft addresses of running masters; omitted: start one here on --data.")
    List<String> masters;

    @Option(names = "--data", defaultValue = "./bench-meta", description = "Folder of the master started here (default: ${DEFAULT-VALUE}).")
    Path data;

    @Option(names = "--count", defaultValue = "20000", description = "Operations per phase (default: ${DEFAULT-VALUE}).")
    int count;

    @Option(names = "--concurrency", split = ",", defaultValue = "1,32", description = "In-flight operations (default: ${DEFAULT-VALUE}).")
    List<Integer> concurrency;

    @Option(names = "--tls-dir", paramLabel = "DIR",
            description = "With --masters: the certificate to call them with (an admin's or a gateway's), for masters on mutual TLS.")
    Path tlsDir;

    @Option(names = "--warmup", defaultValue = "20000",
            description = "Untimed creates and as many HEADs (and a hundredth as many listings) first, at the highest concurrency: "
                    + "the JIT of this client and of the masters settles before anything is measured; 0 for none (default: ${DEFAULT-VALUE}).")
    int warmup;

    @Option(names = "--writes-in-flight", defaultValue = "2", description = "Log entries the client keeps in flight before batching (default: ${DEFAULT-VALUE}).")
    int writesInFlight;

    @Option(names = "--reads-in-flight", defaultValue = "8", description = "Reads of the group the client keeps in flight before batching queries (default: ${DEFAULT-VALUE}).")
    int readsInFlight;

    @Mixin
    ProgressOption progress;

    @Override
    public Integer call() throws Exception {
        MetadataServer server = null;
        if (masters == null || masters.isEmpty()) {
            String address = "127.0.0.1:" + EmbeddedCluster.freePort("127.0.0.1");
            Files.createDirectories(data);
            server = new MetadataServer(MetadataServerConfig.singleNode(address, Files.createTempDirectory(data, "master")));
            server.start();
            server.awaitLeader(Duration.ofSeconds(30));
            masters = List.of(address);
        }
        RaftMetadataService.LocalReads local = server != null ? server::queryLocally : RaftMetadataService.LocalReads.NONE;
        MetadataClientConfig config = MetadataClientConfig.DEFAULTS.withMaxWritesInFlight(writesInFlight).withMaxReadsInFlight(readsInFlight)
                .withTls(tlsDir == null ? null : ClusterTls.load(tlsDir));
        try (MetadataService md = RaftMetadataService.connect(masters, config, local)) {
            String bucket = "bench-" + Long.toHexString(System.nanoTime());
            md.createBucket(bucket, StorageClass.EC_4_2, System.currentTimeMillis()).get();
            ObjectManifest empty = new ObjectManifest(0, "d41d8cd98f00b204e9800998ecf8427e", System.currentTimeMillis(),
                    ObjectProperties.EMPTY, StorageClass.EC_4_2, List.of(), new byte[0]);
            System.out.printf("masters %s%s, %d cores%n%n%s%n", masters, tlsDir == null ? "" : " (mutual TLS)",
                    Runtime.getRuntime().availableProcessors(), LatencyStats.header());
            if (warmup > 0) {
                int c = concurrency.stream().max(Integer::compare).orElse(1);
                phase("warm-up: create", c, warmup, i -> md.putObject(bucket, ObjectKey.parse("warmup/" + i), empty));
                phase("warm-up: HEAD", c, warmup, i -> md.getObject(bucket, ObjectKey.parse("warmup/" + i)));
                phase("warm-up: list", c, Math.max(1, warmup / 100),
                        i -> md.listObjects(bucket, new ListRequest("warmup/", null, null, 1000)));
            }
            for (int c : concurrency) {
                String dir = "c" + c + "/";
                System.out.println(phase("create empty object, c=" + c, c, count,
                        i -> md.putObject(bucket, ObjectKey.parse(dir + i), empty)).row());
                System.out.println(phase("HEAD, c=" + c, c, count, i -> md.getObject(bucket, ObjectKey.parse(dir + i))).row());
                int lists = Math.max(c, count / 100);
                System.out.println(phase("list 1,000 keys, c=" + c, c, lists,
                        i -> md.listObjects(bucket, new ListRequest(dir, null, null, 1000))).row());
                System.out.println(walk(md, bucket, dir, count).row());
            }
        } finally {
            if (server != null) {
                server.close();
            }
        }
        return 0;
    }

    /** Lists every key under {@code prefix} page after page, as a client walking a listing does; one op is one page. */
    private static LatencyStats walk(MetadataService md, String bucket, String prefix, int expected) throws Exception {
        long[] latencies = new long[expected / 1000 + 2];
        int pages = 0;
        int keys = 0;
        String after = null;
        long start = System.nanoTime();
        do {
            long t0 = System.nanoTime();
            ListPage page = md.listObjects(bucket, new ListRequest(prefix, null, after, 1000)).get();
            latencies[pages++] = System.nanoTime() - t0;
            keys += page.objects().size();
            after = page.truncated() ? page.nextStartAfter() : null;
        } while (after != null && pages < latencies.length);
        if (keys != expected) {
            throw new IllegalStateException("listed " + keys + " keys under " + prefix + ", created " + expected);
        }
        return LatencyStats.of(String.format("list all %,d keys, pages of 1,000", expected), Arrays.copyOf(latencies, pages), 0,
                (System.nanoTime() - start) / 1e9);
    }

    private LatencyStats phase(String name, int concurrency, int n, IntFunction<CompletableFuture<?>> op) throws Exception {
        long[] latencies = new long[n];
        Semaphore slots = new Semaphore(concurrency);
        CompletableFuture<?>[] all = new CompletableFuture<?>[n];
        long start = System.nanoTime();
        try (BenchProgress shown = BenchProgress.start(progress.mode, name, n)) {
            for (int i = 0; i < n; i++) {
                slots.acquire();
                int idx = i;
                long t0 = System.nanoTime();
                all[i] = op.apply(i).whenComplete((r, e) -> {
                    latencies[idx] = System.nanoTime() - t0;
                    shown.done(1);
                    slots.release();
                });
            }
            CompletableFuture.allOf(all).get();
        }
        return LatencyStats.of(name, latencies, 0, (System.nanoTime() - start) / 1e9);
    }
}
