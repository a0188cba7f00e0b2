package io.mooseng.cli.bench;

import io.mooseng.s3.auth.Presigner;

import io.mooseng.cli.ByteSizes;
import io.mooseng.cli.EmbeddedCluster;
import io.mooseng.cli.ProgressOption;
import io.mooseng.cli.node.ProcessVertx;
import io.mooseng.core.config.HostPort;
import io.mooseng.core.model.StorageClass;
import io.mooseng.core.security.Role;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.ThreadLocalRandom;

/**
 * {@code mooseng bench s3}: PUT then GET of objects of each size at a fixed concurrency,
 * against a running server ({@code --endpoint}) or one started in this process on
 * {@code --data}; the disk's raw sequential write speed is measured in the same run.
 */
@Command(name = "s3", mixinStandardHelpOptions = true, description = "S3 PUT/GET throughput and latency.")
public final class S3Bench implements Callable<Integer> {
    @Option(names = "--endpoint", description = "S3 endpoint of a running server; omitted: start one in this process on --data.")
    URI endpoint;

    @Option(names = "--data", defaultValue = "./bench-data", description = "Data folder of the embedded server, and where the disk reference writes (default: ${DEFAULT-VALUE}).")
    Path data;

    @Option(names = "--access-key", defaultValue = "${env:MOOSENG_ACCESS_KEY}")
    String accessKey;

    @Option(names = "--secret-key", defaultValue = "${env:MOOSENG_SECRET_KEY}")
    String secretKey;

    @Option(names = "--sizes", split = ",", defaultValue = "4KiB,64MiB", description = "Object sizes (default: ${DEFAULT-VALUE}).")
    List<String> sizes;

    @Option(names = "--count", defaultValue = "20000", description = "Objects per size, capped by --max-bytes (default: ${DEFAULT-VALUE}).")
    int count;

    @Option(names = "--max-bytes", defaultValue = "4GiB", description = "Bytes written per size at most (default: ${DEFAULT-VALUE}).")
    String maxBytes;

    @Option(names = "--concurrency", defaultValue = "16", description = "Requests in flight (default: ${DEFAULT-VALUE}).")
    int concurrency;

    @Option(names = "--disk-reference", defaultValue = "2GiB", description = "Bytes of the raw disk write reference, 0 to skip (default: ${DEFAULT-VALUE}).")
    String diskReference;

    @Option(names = "--storage-class", defaultValue = "EC_4_2", description = "Class of the embedded server (default: ${DEFAULT-VALUE}).")
    String storageClass;

    @Option(names = "--tls", description = "Mutual TLS on the embedded server's shard transport: its chunkservers, gateway and master "
            + "get certificates of a CA made in a temporary folder.")
    boolean tls;

    @Option(names = "--sse", description = "Also PUT and GET every size in a bucket encrypted by default with SSE-S3, right after "
            + "the plaintext bucket's rows.")
    boolean sse;

    @Mixin
    ProgressOption progress;

    @Override
    public Integer call() throws Exception {
        if (tls && endpoint != null) {
            System.err.println("--tls sets up the embedded server; a running one (--endpoint) has its own settings");
            return 2;
        }
        if (!tls) {
            return bench(null);
        }
        try (BenchCertificates certificates = BenchCertificates.issue(Role.CHUNKSERVER, Role.GATEWAY, Role.MASTER)) {
            return bench(certificates);
        }
    }

    /** @param certificates the embedded server's certificates by role, or null for plain TCP */
    private int bench(BenchCertificates certificates) throws Exception {
        EmbeddedCluster embedded = null;
        if (endpoint == null) {
            accessKey = "BENCH" + UUID.randomUUID().toString().replace("-", "").substring(0, 15).toUpperCase();
            secretKey = UUID.randomUUID().toString();
            EmbeddedCluster.Options options = new EmbeddedCluster.Options(List.of(data), new HostPort("127.0.0.1", 0),
                    new HostPort("127.0.0.1", 0), 6, StorageClass.parse(storageClass), accessKey, secretKey, null);
            embedded = EmbeddedCluster.start(certificates == null ? options : options.withShardTls(certificates::of));
            endpoint = URI.create(embedded.endpoint());
        }
        if (accessKey == null || secretKey == null) {
            System.err.println("set --access-key/--secret-key or MOOSENG_ACCESS_KEY/MOOSENG_SECRET_KEY");
            return 2;
        }
        Vertx vertx = ProcessVertx.create();
        try {
            run(vertx);
        } finally {
            vertx.close().toCompletionStage().toCompletableFuture().get();
            if (embedded != null) {
                embedded.close();
            }
        }
        return 0;
    }

    private void run(Vertx vertx) throws Exception {
        Presigner presigner = new Presigner(endpoint, accessKey, secretKey, "us-east-1");
        S3Load load = new S3Load(vertx, presigner, concurrency, progress.mode);
        String bucket = "bench-" + Long.toHexString(System.nanoTime());
        load.run("create bucket", HttpMethod.PUT, bucket, null, 1, null);
        String encrypted = bucket + "-sse";
        if (sse) {
            load.run("create bucket", HttpMethod.PUT, encrypted, null, 1, null);
            load.encryptByDefault(encrypted);
        }
        System.out.printf("endpoint %s, concurrency %d, %d cores%s%n%n%s%n", endpoint, concurrency,
                Runtime.getRuntime().availableProcessors(), tls ? ", shard transport over mutual TLS" : "", LatencyStats.header());
        long diskBytes = ByteSizes.parse(diskReference);
        if (diskBytes > 0) {
            System.out.println(DiskReference.sequentialWrite(data.resolve("disk-reference"), diskBytes).row());
        }
        for (String s : sizes) {
            long size = ByteSizes.parse(s);
            int n = (int) Math.max(Math.min(count, ByteSizes.parse(maxBytes) / size), concurrency);
            byte[] bytes = new byte[Math.toIntExact(size)];
            ThreadLocalRandom.current().nextBytes(bytes);
            Buffer body = S3Load.body(bytes);
            String prefix = "obj-" + s + "/";
            System.out.println(load.run("PUT " + ByteSizes.format(size), HttpMethod.PUT, bucket, prefix, n, body).row());
            System.out.println(load.run("GET " + ByteSizes.format(size), HttpMethod.GET, bucket, prefix, n, null).row());
            if (sse) {
                System.out.println(load.run("PUT " + ByteSizes.format(size) + " SSE-S3", HttpMethod.PUT, encrypted, prefix, n, body).row());
                System.out.println(load.run("GET " + ByteSizes.format(size) + " SSE-S3", HttpMethod.GET, encrypted, prefix, n, null).row());
            }
        }
        load.close();
        Files.deleteIfExists(data.resolve("disk-reference"));
    }
}
