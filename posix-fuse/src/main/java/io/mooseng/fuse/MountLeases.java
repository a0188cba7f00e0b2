package io.mooseng.fuse;

import io.mooseng.core.metadata.DirectoryLeases;
import io.mooseng.core.model.LeasedDirectory;
import io.mooseng.core.model.ObjectKey;
import io.mooseng.fuse.kernel.FuseException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.Lock;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.function.Consumer;
import java.util.function.LongSupplier;

import static io.mooseng.fuse.MountTree.await;

/**
 * The directory leases this mount holds (see {@link DirectoryLeases}): under one, the mount
 * is the only client that reads or changes the subtree, so its cache of it is the truth and
 * its changes there can be answered before they commit ({@link WriteBehind}).
 *
 * <p>A lease is taken on the first change in a directory no lease covers, and kept until the
 * leader recalls it (another client waits) or the mount unmounts. It is usable while the
 * leader heard from this mount recently enough: {@link #heard} moves that bound with every
 * answered question, {@value #SAFETY_MILLIS} ms short of the leader's {@link DirectoryLeases#TTL},
 * so the mount stops answering early before the leader could take its leases.
 *
 * <p>Changes answered early hold {@link #gate} shared from the moment they find a lease to
 * the moment they are sent; giving a lease back takes it exclusively to mark the lease gone,
 * so no early change is sent after the release.
 */
final class MountLeases {
    private static final Logger LOG = LoggerFactory.getLogger(MountLeases.class);
    static final long SAFETY_MILLIS = 2_000;
    /** After giving a lease back, changes there wait this long before taking one again (another client works there). */
    static final long YIELD_MILLIS = 2_000;
    static final int MAX_LEASES = 4096;

    private final DirectoryLeases port;
    private final LongSupplier clock;
    private final ReentrantReadWriteLock gate = new ReentrantReadWriteLock();
    private final Map<FusePath, Boolean> held = new ConcurrentHashMap<>();
    private final Map<FusePath, Long> yieldUntil = new ConcurrentHashMap<>();
    private volatile long usableUntilMillis;
    private volatile boolean stopped;
    private volatile long fence;

    MountLeases(DirectoryLeases port, LongSupplier clock) {
        this.port = port;
        this.clock = clock;
    }

    /** Held shared by a change answered before its commit, from finding its lease to sending it. */
    Lock gate() {
        return gate.readLock();
    }

    /** The leader answered a question asked at {@code askedAtMillis}: the leases are good until the bound that gives. */
    void heard(long askedAtMillis) {
        if (!stopped) {
            usableUntilMillis = Math.max(usableUntilMillis, askedAtMillis + DirectoryLeases.TTL.toMillis() - SAFETY_MILLIS);
        }
    }

    /** No lease is used or taken from now on (unmount): every change commits before it is answered. */
    void stop() {
        stopped = true;
        usableUntilMillis = 0;
    }

    /** Whether this mount's view of {@code dir} is the truth: a usable lease covers it. */
    boolean covers(FusePath dir) {
        return usable() && covering(dir) != null;
    }

    /**
     * Whether a change in {@code dir} may be answered before its commit: a usable lease covers
     * it, or one is taken now. Call with {@link #gate} held.
     */
    boolean writeBehind(FusePath dir) {
        if (!usable() || dir.isRoot()) {
            return false;
        }
        if (covering(dir) != null) {
            return true;
        }
        Long until = yieldUntil.get(dir);
        if (until != null && until > clock.getAsLong() || held.size() >= MAX_LEASES) {
            return false;
        }
        try {
            await(port.acquireLease(dir.bucket(), dir.key().isEmpty() ? null : ObjectKey.parse(dir.key())));
        } catch (FuseException e) {
            // another client works there (or the directory is gone): changes there commit one by one
            yieldUntil.put(dir, clock.getAsLong() + YIELD_MILLIS);
            return false;
        }
        held.put(dir, Boolean.TRUE);
        return true;
    }

    /**
     * How long the kernel may keep names it is told in {@code dir}: while a usable lease covers
     * it nobody else changes them, so until the lease could lapse; 0 without one.
     */
    long trustedMillis(FusePath dir) {
        long left = usableUntilMillis - clock.getAsLong();
        return left > 0 && covering(dir) != null ? left : 0;
    }

    private boolean usable() {
        return clock.getAsLong() < usableUntilMillis;
    }

    /** The held lease at or above {@code dir}, or null. */
    private FusePath covering(FusePath dir) {
        if (held.isEmpty()) {
            return null;
        }
        for (FusePath p = dir; p != null && !p.isRoot(); p = p.isBucketRoot() ? null : p.parent()) {
            if (held.containsKey(p)) {
                return p;
            }
        }
        return null;
    }

    /**
     * The leader asks for these leases back: each is marked gone (no change is answered early
     * under it from here), then {@code beforeRelease} commits what this mount changed under it
     * (the changes answered early, files created but not yet committed), then the lease goes.
     */
    void giveBack(List<LeasedDirectory> recalls, Consumer<FusePath> beforeRelease) {
        for (LeasedDirectory d : recalls) {
            FusePath dir = new FusePath(d.bucket(), d.dir());
            boolean held;
            Lock exclusive = gate.writeLock();
            exclusive.lock();
            try {
                held = this.held.remove(dir) != null;
                yieldUntil.put(dir, clock.getAsLong() + YIELD_MILLIS);
            } finally {
                exclusive.unlock();
            }
            try {
                // one this mount forgot (its directory moved away) is given back all the same
                if (held) {
                    beforeRelease.accept(dir);
                }
                await(port.releaseLease(d.bucket(), d.dir().isEmpty() ? null : ObjectKey.parse(d.dir())));
            } catch (RuntimeException e) {
                // the leader takes it when it expires; meanwhile others wait
                LOG.warn("giving a directory lease back failed: dir={} cause={}", dir, e.toString());
            }
        }
    }

    /**
     * The leader took every lease of this mount (it was silent too long): forget them, let
     * {@code forget} drop what was kept under them, and carry the new fence from now on.
     */
    void revoked(long newFence, Runnable forget) {
        if (newFence == fence) {
            // every answer brings the fence: the gate is taken only when it moved
            return;
        }
        Lock exclusive = gate.writeLock();
        exclusive.lock();
        try {
            if (newFence == fence) {
                return;
            }
            LOG.error("the masters took this mount's directory leases (it was out of reach for longer than {} ms); changes answered"
                    + " under them and not yet committed are lost", DirectoryLeases.TTL.toMillis());
            held.clear();
            forget.run();
            port.adoptLeaseFence(newFence);
            fence = newFence;
        } finally {
            exclusive.unlock();
        }
    }

    int held() {
        return held.size();
    }

    /** Every lease, as {@link #giveBack} would take them (unmount). */
    List<LeasedDirectory> all() {
        return held.keySet().stream().map(p -> new LeasedDirectory(p.bucket(), p.key())).toList();
    }

    /** A directory this mount removed or moved: its own lease there is gone with it (the masters drop it too). */
    void gone(FusePath dir) {
        held.keySet().removeIf(p -> p.equals(dir) || p.isUnder(dir));
    }
}
