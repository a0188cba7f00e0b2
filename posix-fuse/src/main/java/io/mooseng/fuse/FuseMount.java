package io.mooseng.fuse;

import io.mooseng.core.object.ObjectService;
import io.mooseng.fuse.kernel.FuseSession;
import io.mooseng.fuse.kernel.MountOptions;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * A mounted MooseNG filesystem. {@link #close} (or fusermount -u) unmounts; the kernel
 * releases every open file first, so all written content is committed, and the mount's
 * directory leases are given back once every change made under them is.
 */
public final class FuseMount implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(FuseMount.class);

    private final MooseFs fs;
    private final FuseSession session;
    private final ChangeWatcher watcher;

    private FuseMount(MooseFs fs, FuseSession session, ChangeWatcher watcher) {
        this.fs = fs;
        this.session = session;
        this.watcher = watcher;
    }

    /**
     * Mounts and returns once the mount is live.
     *
     * @param extraOptions mount options: {@code ro}, {@code allow_other}
     * @param identity     the user the mount acts as, checked against policies; null: every right (the mount's certificate is the only check)
     */
    public static FuseMount mount(ObjectService objects, MountConfig config, Path mountPoint, List<String> extraOptions,
                                  MountStats stats, MountIdentity identity) {
        MountAccess access = identity == null ? MountAccess.FULL : new PolicyAccess(identity, objects);
        MooseFs fs = new MooseFs(objects, config, System::currentTimeMillis, stats, access);
        // the kernel checks mode bits, as on a local disk; as root, every user sees the mount
        MountOptions options = MountOptions.defaults("mooseng", "mooseng").withAllowOther(isRoot());
        for (String option : extraOptions) {
            options = switch (option) {
                case "ro" -> options.withReadOnly(true);
                case "rw" -> options.withReadOnly(false);
                case "allow_other" -> options.withAllowOther(true);
                default -> throw new IllegalArgumentException("unknown mount option " + option + " (known: ro, rw, allow_other)");
            };
        }
        try {
            FuseSession session = FuseSession.mount(fs, mountPoint, options);
            fs.attach(session);
            ChangeWatcher watcher = new ChangeWatcher(objects, fs);
            watcher.start();
            LOG.info("mounted {} at {}", config.bucket() == null ? "all buckets" : "bucket " + config.bucket(), mountPoint);
            return new FuseMount(fs, session, watcher);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public Path mountPoint() {
        return session.mountPoint();
    }

    /** Changes answered before their commit (in leased directories) and not committed yet. */
    public int pendingChanges() {
        return fs.pendingChanges();
    }

    /** Directory leases this mount holds. */
    public int heldLeases() {
        return fs.heldLeases();
    }

    /** Whether the kernel still has the mount (fusermount -u ends it from outside). */
    public boolean isMounted() {
        try {
            String target = " " + session.mountPoint() + " ";
            return Files.readAllLines(Path.of("/proc/self/mounts")).stream().anyMatch(l -> l.contains(target));
        } catch (IOException e) {
            return false;
        }
    }

    @Override
    public void close() {
        watcher.close();
        fs.files().flushAll();
        fs.giveBackLeases();
        session.close();
        LOG.info("unmounted {}", session.mountPoint());
    }

    private static boolean isRoot() {
        return "root".equals(System.getProperty("user.name"));
    }
}
