package io.mooseng.s3compat;

import io.mooseng.cli.EmbeddedCluster;
import io.mooseng.core.config.HostPort;
import io.mooseng.core.maintenance.MaintenanceConfig;
import io.mooseng.core.memory.LentBytes;
import io.mooseng.core.model.StorageClass;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import software.amazon.awssdk.services.s3.S3Client;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One in-process {@link EmbeddedCluster} per test class (EC 4+2 on 6 chunkservers, free
 * ports, a temporary data folder), with a shared sync client. Register it as a static field:
 * <pre>
 *   &#64;RegisterExtension static final ClusterExtension cluster = new ClusterExtension();
 * </pre>
 * Tests isolate themselves by creating their own buckets with {@link #newBucket(String)}.
 */
public final class ClusterExtension implements BeforeAllCallback, AfterAllCallback, S3Server {
    private final S3Keys keys = S3Keys.random();
    private final AtomicInteger bucketCounter = new AtomicInteger();
    private final String region;
    private final String virtualHostDomain;
    private MaintenanceConfig maintenance;
    private boolean overTransport;
    private Path dataDir;
    private EmbeddedCluster cluster;
    private S3Client client;

    /** A cluster whose gateway takes any region, as {@code mooseng server} without {@code --region}. */
    public ClusterExtension() {
        this(null);
    }

    /** @param region the region S3 requests must be signed for, as {@code --region} sets it */
    public ClusterExtension(String region) {
        this(region, null);
    }

    /** @param virtualHostDomain the domain whose sub-domains name buckets, as {@code --virtual-host-domain} sets it */
    public ClusterExtension(String region, String virtualHostDomain) {
        this.region = region;
        this.virtualHostDomain = virtualHostDomain;
    }

    /** The same cluster with the master's maintenance tuned (faster cycles, a shorter lifecycle day). */
    public ClusterExtension withMaintenance(MaintenanceConfig config) {
        this.maintenance = config;
        return this;
    }

    /**
     * The same cluster with the gateway reaching its chunkservers over the shard transport, as
     * separate processes do, instead of directly as {@code mooseng server}'s gateway does.
     */
    public ClusterExtension overShardTransport() {
        this.overTransport = true;
        return this;
    }

    /** Starts the cluster the way {@code mooseng server} does, on loopback with any free ports. */
    public static EmbeddedCluster startCluster(Path dataDir, S3Keys keys) throws Exception {
        return startCluster(List.of(dataDir), keys);
    }

    /** Metadata on the first folder; chunkserver n on folder (n - 1) % folders. */
    public static EmbeddedCluster startCluster(List<Path> dataDirs, S3Keys keys) throws Exception {
        return EmbeddedCluster.start(options(dataDirs, keys));
    }

    private static EmbeddedCluster.Options options(List<Path> dataDirs, S3Keys keys) {
        return new EmbeddedCluster.Options(dataDirs, new HostPort("127.0.0.1", 0),
                new HostPort("127.0.0.1", 0), 6, StorageClass.EC_4_2, keys.accessKey(), keys.secretKey(), null);
    }

    @Override
    public void beforeAll(ExtensionContext context) throws Exception {
        dataDir = Files.createTempDirectory("mooseng-s3compat-");
        EmbeddedCluster.Options options = options(List.of(dataDir), keys).withRegion(region).withVirtualHostDomain(virtualHostDomain)
                .withLocalShards(!overTransport);
        cluster = EmbeddedCluster.start(maintenance == null ? options : options.withMaintenance(maintenance, options.heartbeat()));
        client = newClient();
    }

    @Override
    public void afterAll(ExtensionContext context) throws Exception {
        try {
            if (client != null) {
                client.close();
            }
            assertNothingLent(context);
        } finally {
            if (cluster != null) {
                cluster.close();
            }
            TempDirs.delete(dataDir);
        }
    }

    /**
     * Every shard byte the transport lent to readers in this JVM has been given back once a
     * test class is done (in-flight GETs of clients that went away get 10 s to let go).
     */
    public static void assertNothingLent(ExtensionContext context) throws InterruptedException {
        assertNothingLent("after " + context.getDisplayName());
    }

    /** As {@link #assertNothingLent(ExtensionContext)}, at any point a test chooses; {@code when} names it. */
    public static void assertNothingLent(String when) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (LentBytes.outstanding() != 0 && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        if (LentBytes.outstanding() != 0) {
            throw new AssertionError(LentBytes.outstanding() + " bytes of shard memory lent to readers were never released ("
                    + when + ")");
        }
    }

    @Override
    public URI endpoint() {
        return URI.create(cluster.endpoint());
    }

    @Override
    public S3Keys keys() {
        return keys;
    }

    S3Client client() {
        return client;
    }

    EmbeddedCluster cluster() {
        return cluster;
    }

    /** The cluster's data folder (metadata under meta/, chunkservers under chunkserver-N/). */
    Path dataDir() {
        return dataDir;
    }

    /** Runs {@code mooseng admin ARGS} against this cluster's masters; @return what it printed (fails unless it exits 0). */
    String admin(String... args) {
        return AdminCli.run(cluster.raftAddress().toString(), args);
    }

    /** A new user of the namespace with these identity policies (IAM JSON; none: only bucket policies grant it anything) and a key. */
    S3Keys addUser(String name, String... policies) {
        return AdminCli.addUser(cluster.raftAddress().toString(), name, policies);
    }

    /** A new key of an existing user, as `admin key create --user NAME --json` prints it. */
    S3Keys newKey(String user, String... options) {
        return AdminCli.newKey(cluster.raftAddress().toString(), user, options);
    }

    /** Creates a bucket no other test uses; {@code hint} makes it recognisable in failures. */
    String newBucket(String hint) {
        String name = (hint + "-" + bucketCounter.incrementAndGet()).toLowerCase(Locale.ROOT);
        client.createBucket(b -> b.bucket(name));
        return name;
    }
}
