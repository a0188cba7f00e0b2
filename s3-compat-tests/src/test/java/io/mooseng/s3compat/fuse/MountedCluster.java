package io.mooseng.s3compat.fuse;

import io.mooseng.cli.EmbeddedCluster;
import io.mooseng.cli.node.MemoryPlan;
import io.mooseng.cli.node.MountNode;
import io.mooseng.core.model.StorageClass;
import io.mooseng.core.object.ObjectServiceConfig;
import io.mooseng.fuse.MountConfig;
import io.mooseng.fuse.MountKey;
import io.mooseng.fuse.MountStats;
import io.mooseng.s3compat.ClusterExtension;
import io.mooseng.s3compat.S3Clients;
import io.mooseng.s3compat.S3Keys;
import io.mooseng.s3compat.TempDirs;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import software.amazon.awssdk.services.s3.S3Client;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;

/**
 * One in-process cluster per test class (EC 4+2 on 6 chunkservers, free loopback ports) with
 * a real FUSE mount of all its buckets, more mounts on demand (each its own client, as
 * separate machines would be) and an S3 client. Register as a static field:
 * <pre>
 *   &#64;RegisterExtension static final MountedCluster cluster = new MountedCluster();
 * </pre>
 */
public final class MountedCluster implements BeforeAllCallback, AfterAllCallback, FilesystemUnderTest {
    private final S3Keys keys = S3Keys.random();
    private final List<MountNode> mounts = new ArrayList<>();
    private final List<Path> smallDisks = new ArrayList<>();
    private final long smallDiskBytes;
    private Path dataDir;
    private EmbeddedCluster cluster;
    private S3Client s3;

    public MountedCluster() {
        this(0);
    }

    private MountedCluster(long smallDiskBytes) {
        this.smallDiskBytes = smallDiskBytes;
    }

    /**
     * A cluster whose chunkservers 2, 4 and 6 share one tmpfs of {@code bytes}, so that it runs
     * out of room. Needs the right to mount tmpfs (root); the tests are skipped elsewhere.
     */
    public static MountedCluster withSmallDisk(long bytes) {
        return new MountedCluster(bytes);
    }

    @Override
    public void beforeAll(ExtensionContext context) throws Exception {
        if (!Files.exists(Path.of("/dev/fuse"))) {
            throw new IllegalStateException("/dev/fuse is missing: the mount tests need FUSE (scripts/install-deps.sh installs fuse3 and libfuse2)");
        }
        // other users must reach the mount points (the permission tests run as nobody)
        dataDir = Files.createTempDirectory("mooseng-fuse-",
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwxr-xr-x")));
        List<Path> disks = new ArrayList<>(List.of(dataDir.resolve("data")));
        if (smallDiskBytes > 0) {
            // the embedded cluster puts chunkserver n on disk (n - 1) % disks
            disks.add(smallDisk("chunkservers", smallDiskBytes));
        }
        cluster = ClusterExtension.startCluster(disks, keys);
        s3 = S3Clients.sync(URI.create(cluster.endpoint()), keys);
        mount();
    }

    /** Mounts the cluster once more at a new mount point; @return the mount point. */
    public Path mount() throws Exception {
        return mount(dataDir.resolve("staging" + mounts.size()));
    }

    /** Mounts the cluster once more, staging partly written files in {@code stagingDir}; @return the mount point. */
    public Path mount(Path stagingDir) throws Exception {
        return mount(stagingDir, MountConfig.DEFAULT_CACHE_TTL_MILLIS);
    }

    /** Mounts the cluster once more with its own cache TTL; @return the mount point. */
    public Path mountWithCacheTtl(long cacheTtlMillis) throws Exception {
        return mount(dataDir.resolve("staging" + mounts.size()), cacheTtlMillis);
    }

    /** Mounts the cluster once more acting as the user of {@code key} (its policies decide); @return the mount point. */
    public Path mountWithKey(MountKey key) throws Exception {
        return mount(dataDir.resolve("staging" + mounts.size()), MountConfig.DEFAULT_CACHE_TTL_MILLIS, key);
    }

    /** Mounts the cluster once more, reporting each request it answers to {@code stats}; @return the mount point. */
    public Path mountReportingTo(MountStats stats) throws Exception {
        return mount(dataDir.resolve("staging" + mounts.size()), MountConfig.DEFAULT_CACHE_TTL_MILLIS, null, stats);
    }

    private Path mount(Path stagingDir, long cacheTtlMillis) throws Exception {
        return mount(stagingDir, cacheTtlMillis, null);
    }

    private Path mount(Path stagingDir, long cacheTtlMillis, MountKey key) throws Exception {
        return mount(stagingDir, cacheTtlMillis, key, MountStats.NONE);
    }

    private Path mount(Path stagingDir, long cacheTtlMillis, MountKey key, MountStats stats) throws Exception {
        Path point = Files.createDirectories(dataDir.resolve("mnt" + mounts.size()));
        MountConfig config = new MountConfig(null, cacheTtlMillis, stagingDir, 2, 0, 0, MountConfig.DEFAULT_PAGE_CACHE_BYTES);
        mounts.add(MountNode.start(List.of(cluster.raftAddress().toString()), null, config,
                ObjectServiceConfig.defaults(StorageClass.EC_4_2), point, List.of(), MemoryPlan.of(0, true, false).objects(), stats, key));
        return point;
    }

    /** A new tmpfs of {@code bytes} under the cluster's folder, unmounted after the tests. */
    public Path smallDisk(String name, long bytes) throws Exception {
        Path dir = Files.createDirectories(dataDir.resolve(name));
        Processes.Result mounted = Processes.run(dir, "mount", "-t", "tmpfs", "-o", "size=" + bytes, "tmpfs", dir.toString());
        Assumptions.assumeTrue(mounted.exitCode() == 0, () -> "cannot mount tmpfs here: " + mounted.output());
        smallDisks.add(dir);
        return dir;
    }

    public S3Client s3() {
        return s3;
    }

    /** Writes an object over S3: another client, as the mounts see it. */
    public void put(String bucket, String key, byte[] data) {
        s3.putObject(b -> b.bucket(bucket).key(key), software.amazon.awssdk.core.sync.RequestBody.fromBytes(data));
    }

    public EmbeddedCluster cluster() {
        return cluster;
    }

    @Override
    public Path root() {
        return mounts.get(0).mount().mountPoint();
    }

    @Override
    public Path newBucket(String name) throws IOException {
        // mkdir at the mount's root creates a bucket
        return Files.createDirectory(root().resolve(name));
    }

    @Override
    public boolean bucketsAreSeparateDevices() {
        return true;
    }

    @Override
    public boolean enforcesPermissions() {
        return true;
    }

    @Override
    public void afterAll(ExtensionContext context) throws Exception {
        try {
            for (MountNode m : mounts) {
                m.close();
            }
            if (s3 != null) {
                s3.close();
            }
            ClusterExtension.assertNothingLent(context);
        } finally {
            if (cluster != null) {
                cluster.close();
            }
            for (Path disk : smallDisks) {
                Processes.run(dataDir, "umount", disk.toString());
            }
            TempDirs.delete(dataDir);
        }
    }
}
