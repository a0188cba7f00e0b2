package io.mooseng.cli;

import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.mooseng.cli.node.Metrics;
import io.mooseng.cli.node.MetricsEndpoint;
import io.mooseng.cli.node.MountMetrics;
import io.mooseng.cli.node.MountNode;
import io.mooseng.cli.node.SoftHeapBound;
import io.mooseng.core.config.HostPort;
import io.mooseng.core.model.StorageClass;
import io.mooseng.core.object.ObjectServiceConfig;
import io.mooseng.core.security.ClusterTls;
import io.mooseng.fuse.MountConfig;
import io.mooseng.fuse.MountKey;
import io.mooseng.fuse.MountStats;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;

/** {@code mooseng mount}: the cluster's namespace as a POSIX filesystem (FUSE), beside its S3 view. */
@Command(name = "mount", mixinStandardHelpOptions = true,
        description = "Mount every bucket as a top-level directory (or one bucket) with FUSE. Unmount with fusermount -u MOUNTPOINT or Ctrl-C.")
final class MountCommand implements Callable<Integer> {
    private static final long UNMOUNT_POLL_MILLIS = 500;
    private static final long MOUNT_ADMISSION_WAIT_MILLIS = 120_000;

    @Mixin
    MastersOption masters;

    @Parameters(index = "0", paramLabel = "MOUNTPOINT", description = "An existing empty directory.")
    Path mountPoint;

    @Option(names = "--bucket", paramLabel = "NAME", description = "Mount only this bucket.")
    String bucket;

    @Option(names = "--cache-ttl-ms", defaultValue = "1000", paramLabel = "MS",
            description = "How long attributes, directory entries and absent names are cached; changes by other clients show after it. open() always revalidates (default: ${DEFAULT-VALUE}).")
    long cacheTtlMs;

    @Option(names = "--read-ahead-blocks", defaultValue = "4", paramLabel = "N",
            description = "Blocks (4 MiB) fetched ahead of a sequential reader (default: ${DEFAULT-VALUE}).")
    int readAheadBlocks;

    @Option(names = "--page-cache-mib", defaultValue = "64", paramLabel = "MIB",
            description = "File content kept in the mount's memory for random readers, in 64 KiB pages of committed blocks; 0 for none (default: ${DEFAULT-VALUE}).")
    long pageCacheMib;

    @Option(names = "--write-back-blocks", defaultValue = "2", paramLabel = "N",
            description = "Blocks a sequential writer may have in flight to chunkservers before write() waits (default: ${DEFAULT-VALUE}).")
    int writeBackBlocks;

    @Option(names = "--staging-dir", paramLabel = "DIR",
            description = "Local folder for files under random writes until they are closed (default: the JVM's temp folder).")
    Path stagingDir;

    @Option(names = "-o", paramLabel = "OPTS", split = ",", description = "Mount options: ro, rw, allow_other (on by default as root).")
    List<String> fuseOptions = List.of();

    @Option(names = "--metrics-address", paramLabel = "HOST:PORT",
            description = "Serve Prometheus metrics (requests by kind with latency, changes not yet committed, leases) at HOST:PORT/metrics (HTTPS with a client certificate of the cluster CA required when TLS is on) (default: off).")
    String metricsAddress;

    @Option(names = "--access-key", paramLabel = "ID",
            description = "Act as the user of this access key: its policies and the buckets' policies decide every operation (EACCES when denied). "
                    + "The secret comes from MOOSENG_SECRET_KEY or --secret-key-file. Without a key the mount may do everything.")
    String accessKey;

    @Mixin
    SecretKeyFileOption secretKey;

    @Mixin
    MemoryOption memory;

    /**
     * What is wrong with a page cache of {@code mib} on a machine (or container) of
     * {@code memoryBytes}, or null: it is allocated and zeroed at start, so at most half the memory.
     */
    static String pageCacheError(long mib, long memoryBytes) {
        if (mib < 0 || mib > Long.MAX_VALUE >> 20) {
            return "--page-cache-mib must be between 0 and " + (Long.MAX_VALUE >> 20) + ": " + mib;
        }
        if (mib > (memoryBytes >> 20) / 2) {
            return "--page-cache-mib " + mib + " is more than half of this machine's memory (" + (memoryBytes >> 20)
                    + " MiB): the page cache is allocated and filled at start";
        }
        return null;
    }

    /**
     * Where a mount's heap is kept (its page cache is native memory, its live heap tens of MiB).
     * At 256 MiB, with small files' content kept per file, a metadata-heavy load ran hundreds of
     * young collections a minute and the collector took a third of the mount's CPU.
     */
    static final long SOFT_HEAP_BYTES = 512L << 20;

    @Override
    public Integer call() throws Exception {
        if (!Files.isDirectory(mountPoint)) {
            System.err.println("mooseng mount: " + mountPoint + " is not a directory");
            return 2;
        }
        String pageCacheError = pageCacheError(pageCacheMib,
                ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean()).getTotalMemorySize());
        if (pageCacheError != null) {
            System.err.println("mooseng mount: " + pageCacheError);
            return 2;
        }
        MountKey key;
        try {
            key = key();
        } catch (IllegalArgumentException e) {
            System.err.println("mooseng mount: " + e.getMessage());
            return 2;
        }
        SoftHeapBound.apply(SOFT_HEAP_BYTES);
        ObjectServiceConfig defaults = ObjectServiceConfig.defaults(StorageClass.EC_4_2);
        // a file system call has no SlowDown to answer: wait for memory as long as a slow disk would take
        ObjectServiceConfig dataConfig = new ObjectServiceConfig(defaults.blockSize(), defaults.inlineMaxBytes(), writeBackBlocks,
                readAheadBlocks, defaults.defaultClass(), defaults.minPartSize(), defaults.replicateMaxBytes(), MOUNT_ADMISSION_WAIT_MILLIS);
        Path staging = stagingDir != null ? stagingDir : Path.of(System.getProperty("java.io.tmpdir"), "mooseng-staging");
        MountConfig config = new MountConfig(bucket, cacheTtlMs, staging, readAheadBlocks, (int) unixId("uid"), (int) unixId("gid"),
                pageCacheMib << 20);
        PrometheusMeterRegistry registry = metricsAddress == null ? null : Metrics.processRegistry();
        MountMetrics metrics = registry == null ? null : new MountMetrics(registry);
        ClusterTls tls = masters.tls(null, metricsAddress);
        MountNode node = MountNode.start(masters.addresses(), tls, config, dataConfig, mountPoint.toAbsolutePath(), fuseOptions,
                memory.plan(true, false).objects(), metrics == null ? MountStats.NONE : metrics, key);
        if (metrics != null) {
            metrics.bind(node.mount());
            MetricsEndpoint.start(node.vertx(), registry, HostPort.parse(metricsAddress), tls);
        }
        Runtime.getRuntime().addShutdownHook(new Thread(node::close, "mooseng-unmount"));
        System.out.printf("MooseNG mounted at %s (%s; masters %s; %s)%n", mountPoint.toAbsolutePath(),
                bucket == null ? "every bucket is a directory" : "bucket " + bucket, masters.addresses(),
                key == null ? "no access key: every right" : "as the user of access key " + key.accessKey());
        System.out.flush();
        while (node.mount().isMounted()) {
            Thread.sleep(UNMOUNT_POLL_MILLIS);
        }
        return 0;
    }

    /** The key pair to act with, or null; the secret is never taken from the command line (ps would show it). */
    private MountKey key() throws java.io.IOException {
        if (accessKey == null) {
            if (secretKey.given()) {
                throw new IllegalArgumentException("--secret-key-file needs --access-key");
            }
            return null;
        }
        return new MountKey(accessKey, secretKey.secret("mooseng mount"));
    }

    private static long unixId(String attribute) throws java.io.IOException {
        return ((Number) Files.getAttribute(Path.of("/proc/self"), "unix:" + attribute)).longValue();
    }
}
