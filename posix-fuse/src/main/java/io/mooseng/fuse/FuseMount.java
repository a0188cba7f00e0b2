package io.mooseng.fuse;

import io.mooseng.core.object.ObjectService;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A mounted MooseNG filesystem. {@link #close} (or fusermount -u) unmounts; the kernel
 * releases every open file first, so all written content is committed.
 */
public final class FuseMount implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(FuseMount.class);

    private final MooseFs fs;
    private final Path mountPoint;

    private FuseMount(MooseFs fs, Path mountPoint) {
        this.fs = fs;
        this.mountPoint = mountPoint;
    }

    /**
     * Mounts in the background and returns once the mount is live.
     *
     * @param extraOptions more -o options for libfuse (e.g. "ro")
     */
    public static FuseMount mount(ObjectService objects, MountConfig config, Path mountPoint, List<String> extraOptions) {
        MooseFs fs = new MooseFs(objects, config, System::currentTimeMillis);
        List<String> options = new ArrayList<>(List.of(
                // 128 KiB writes instead of 4 KiB ones
                "big_writes", "max_write=131072",
                // our inode ids, so hard links and tar/rsync link detection work
                "use_ino",
                // unlink really unlinks an open file (libfuse would otherwise rename it to .fuse_hidden*)
                "hard_remove",
                // the kernel checks mode bits, as on a local disk
                "default_permissions",
                // names are trusted for the cache TTL (as by our own cache); attributes are always asked
                // for, so a size changed by another client shows at the next open
                "entry_timeout=" + config.cacheTtlMillis() / 1000.0, "attr_timeout=0", "negative_timeout=0",
                "fsname=mooseng", "subtype=mooseng"));
        if (isRoot()) {
            // every user sees the mount; permissions are enforced by default_permissions
            options.add("allow_other");
        }
        options.addAll(extraOptions);
        fs.mount(mountPoint, false, false, new String[]{"-o", String.join(",", options)});
        LOG.info("mounted {} at {}", config.bucket() == null ? "all buckets" : "bucket " + config.bucket(), mountPoint);
        return new FuseMount(fs, mountPoint);
    }

    public Path mountPoint() {
        return mountPoint;
    }

    /** Whether the kernel still has the mount (fusermount -u ends it from outside). */
    public boolean isMounted() {
        try {
            String target = " " + mountPoint.toAbsolutePath() + " ";
            return java.nio.file.Files.readAllLines(Path.of("/proc/self/mounts")).stream().anyMatch(l -> l.contains(target));
        } catch (java.io.IOException e) {
            return false;
        }
    }

    @Override
    public void close() {
        fs.files().flushAll();
        fs.umount();
        LOG.info("unmounted {}", mountPoint);
    }

    private static boolean isRoot() {
        return "root".equals(System.getProperty("user.name"));
    }
}
