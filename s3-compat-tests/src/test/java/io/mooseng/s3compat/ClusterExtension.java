package io.mooseng.s3compat;

import io.mooseng.cli.EmbeddedCluster;
import io.mooseng.core.config.HostPort;
import io.mooseng.core.model.StorageClass;
import io.mooseng.s3.auth.Credentials;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import software.amazon.awssdk.services.s3.S3Client;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

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
    private final Function<S3Keys, Credentials> credentials;
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

    /**
     * @param credentials the keys the gateway takes, made from the administrator's pair (see
     *                    {@link TestUsers}); null for that pair alone
     */
    public ClusterExtension(String region, Function<S3Keys, Credentials> credentials) {
        this.region = region;
        this.credentials = credentials;
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
        EmbeddedCluster.Options options = options(List.of(dataDir), keys).withRegion(region);
        cluster = EmbeddedCluster.start(credentials == null ? options : options.withCredentials(credentials.apply(keys)));
        client = newClient();
    }

    @Override
    public void afterAll(ExtensionContext context) throws Exception {
        try {
            if (client != null) {
                client.close();
            }
        } finally {
            if (cluster != null) {
                cluster.close();
            }
            TempDirs.delete(dataDir);
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

    /** Creates a bucket no other test uses; {@code hint} makes it recognisable in failures. */
    String newBucket(String hint) {
        String name = (hint + "-" + bucketCounter.incrementAndGet()).toLowerCase(Locale.ROOT);
        client.createBucket(b -> b.bucket(name));
        return name;
    }
}
