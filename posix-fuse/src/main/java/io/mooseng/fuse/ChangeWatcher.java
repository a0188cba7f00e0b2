package io.mooseng.fuse;

import io.mooseng.core.model.NamespaceChanges;
import io.mooseng.core.object.ObjectService;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.concurrent.TimeUnit;

/**
 * Follows the leader's log of namespace changes made by other clients (S3, other mounts,
 * repair) and has the mount and the kernel forget what they cached of them, so that names
 * and attributes can be cached for the whole cache TTL: another client's change shows here
 * within one poll ({@link #POLL_MILLIS}), the TTL bounding it when the masters cannot be
 * reached. Each answer also keeps the mount's directory leases usable and brings the leader's
 * recalls of them (see {@link MountLeases}). Runs on its own thread, never inside a FUSE
 * operation.
 */
final class ChangeWatcher implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ChangeWatcher.class);
    static final long POLL_MILLIS = 50;
    private static final int LIMIT = 4096;
    private static final long ASK_TIMEOUT_MILLIS = 5_000;

    private final ObjectService objects;
    private final MooseFs fs;
    private final Thread thread;
    private volatile boolean closed;

    ChangeWatcher(ObjectService objects, MooseFs fs) {
        this.objects = objects;
        this.fs = fs;
        this.thread = Thread.ofPlatform().daemon().name("mount-changes").unstarted(this::run);
    }

    void start() {
        thread.start();
    }

    private void run() {
        long after = -1;
        boolean first = true;
        while (!closed) {
            NamespaceChanges c;
            long askedAt = System.currentTimeMillis();
            try {
                c = objects.changesSince(after, LIMIT).get(ASK_TIMEOUT_MILLIS, TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                return;
            } catch (Exception e) {
                // a failover or the masters out of reach: what was cached expires with its TTL meanwhile
                LOG.debug("asking for namespace changes failed: {}", e.toString());
                pause();
                continue;
            }
            if (!first && c.missed(after)) {
                LOG.info("namespace changes missed after log index {} (a new leader, or too many): forgetting every cached entry", after);
                fs.forgetAll();
            } else if (!first) {
                c.changes().forEach(fs::changedElsewhere);
            }
            first = false;
            after = c.last();
            fs.leasesAnswered(askedAt, c);
            if (c.changes().size() < LIMIT) {
                pause();
            }
        }
    }

    private void pause() {
        try {
            Thread.sleep(POLL_MILLIS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            closed = true;
        }
    }

    @Override
    public void close() {
        closed = true;
        thread.interrupt();
        try {
            thread.join(ASK_TIMEOUT_MILLIS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
