package io.mooseng.multisite;

import io.mooseng.core.metadata.SyncLog;
import io.mooseng.core.model.AntiEntropyRun;
import io.mooseng.core.model.SyncDigest;
import io.mooseng.core.model.SyncEntry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

import static io.mooseng.multisite.EntryApplier.await;

/**
 * Finds and repairs drift with one peer zone that escaped the log (a change lost on the way, a
 * log trimmed past a puller): every interval, and soon after a full sync, each bucket both zones
 * hold is compared as a digest tree ({@link SyncDigest}), top-down, descending only into ranges
 * whose hashes differ; in a range small enough, the peer's entries that are newer than this
 * zone's (or that this zone lacks) are applied through the usual path, last-writer-wins by stamp,
 * so a tombstone newer than the peer's version keeps the key deleted; a peer's tombstone of a key
 * this zone holds nothing of changes nothing and is left alone. It only pulls: the peer
 * repairs its side the same way. Bounded: digest pages are paced and a run compares at most
 * {@value #MAX_RANGES} ranges.
 */
final class AntiEntropy implements Runnable {
    private static final Logger LOG = LoggerFactory.getLogger(AntiEntropy.class);
    /** A differing range with at most this many entries at the peer is compared entry by entry. */
    static final int LEAF_ENTRIES = 256;
    private static final int MAX_RANGES = 1_000;
    private static final int DIGEST_PAGE = 10_000;
    private static final int ENTRY_PAGE = 1_000;
    /** Pause after each digest page: at most 20 pages a second read at the leaders (up to 200,000 listing entries). */
    private static final long PAGE_PAUSE_MILLIS = 50;

    private final SyncLog sync;
    private final PeerClient peer;
    private final EntryApplier applier;
    private final long intervalMillis;
    private final LongSupplier clock;
    private final PeerStatus status;
    private final Semaphore wake = new Semaphore(0);
    private volatile boolean stopped;

    AntiEntropy(SyncLog sync, PeerClient peer, EntryApplier applier, long intervalMillis, LongSupplier clock, PeerStatus status) {
        this.sync = sync;
        this.peer = peer;
        this.applier = applier;
        this.intervalMillis = intervalMillis;
        this.clock = clock;
        this.status = status;
    }

    /** Runs a comparison soon (after a full sync: what changed while it listed). */
    void soon() {
        wake.release();
    }

    void stop() {
        stopped = true;
        wake.release();
    }

    @Override
    public void run() {
        while (!stopped) {
            try {
                wake.tryAcquire(intervalMillis, TimeUnit.MILLISECONDS);
                wake.drainPermits();
                // before the first full sync there is nothing to compare: the full sync compares everything
                if (!stopped && await(sync.syncCursors(peer.name())).length > 0) {
                    runOnce();
                }
            } catch (InterruptedException e) {
                return;
            } catch (RuntimeException e) {
                LOG.debug("anti-entropy with zone {}: {}", peer.name(), e.toString());
            }
        }
    }

    /** One comparison of every bucket both zones hold; recorded in this zone's metadata for {@code admin sync status}. */
    AntiEntropyRun runOnce() {
        Counts counts = new Counts();
        String error = null;
        try {
            for (String bucket : sharedBuckets()) {
                if (stopped) {
                    break;
                }
                try {
                    compare(bucket, "", counts);
                } catch (IOException | RuntimeException e) {
                    // one bucket failing (deleted meanwhile, say) leaves the others compared
                    error = "bucket " + bucket + ": " + e;
                }
            }
        } catch (IOException | RuntimeException e) {
            error = e.toString();
        }
        if (counts.ranges >= MAX_RANGES && error == null) {
            error = "stopped after " + MAX_RANGES + " ranges; the next run goes on";
        }
        AntiEntropyRun run = new AntiEntropyRun(clock.getAsLong(), counts.ranges, counts.repaired, error);
        status.antiEntropy(run);
        await(sync.saveAntiEntropyRun(peer.name(), run));
        if (counts.repaired > 0 || error != null) {
            LOG.info("anti-entropy with zone {}: {} ranges compared, {} keys repaired{}", peer.name(), counts.ranges, counts.repaired,
                    error == null ? "" : "; " + error);
        }
        return run;
    }

    private static final class Counts {
        long ranges;
        long repaired;
    }

    /** Buckets this zone and the peer both hold (bucket sync brings the others). */
    private Set<String> sharedBuckets() throws IOException {
        Set<String> theirs = new LinkedHashSet<>();
        peer.buckets().stream().filter(b -> b.kind() == SyncEntry.Kind.CREATE_BUCKET).forEach(b -> theirs.add(b.bucket()));
        Set<String> both = new LinkedHashSet<>();
        await(sync.syncBuckets()).stream().filter(b -> b.kind() == SyncEntry.Kind.CREATE_BUCKET && theirs.contains(b.bucket()))
                .forEach(b -> both.add(b.bucket()));
        return both;
    }

    private void compare(String bucket, String range, Counts counts) throws IOException {
        if (counts.ranges >= MAX_RANGES || stopped) {
            return;
        }
        counts.ranges++;
        SyncDigest mine = local(bucket, range, false, DIGEST_PAGE);
        SyncDigest theirs = remote(bucket, range, false, DIGEST_PAGE);
        for (int child = 0; child < SyncDigest.CHILDREN; child++) {
            // nothing there to pull: what only this zone holds is the peer's to pull
            if (theirs.counts()[child] == 0 || mine.sameChild(theirs, child)) {
                continue;
            }
            String sub = range + Character.forDigit(child, 16);
            if (theirs.counts()[child] <= LEAF_ENTRIES || sub.length() >= SyncDigest.MAX_RANGE) {
                repair(bucket, sub, counts);
            } else {
                compare(bucket, sub, counts);
            }
        }
    }

    /** Applies the peer's entries of a range that are newer than this zone's. */
    private void repair(String bucket, String range, Counts counts) throws IOException {
        counts.ranges++;
        Map<String, SyncEntry> mine = new HashMap<>();
        local(bucket, range, true, ENTRY_PAGE).entries().forEach(e -> mine.put(versionOf(e), e));
        for (SyncEntry e : remote(bucket, range, true, ENTRY_PAGE).entries()) {
            SyncEntry here = mine.get(versionOf(e));
            if (here != null && !e.stamp().after(here.stamp())) {
                continue;
            }
            if (here == null && e.kind() == SyncEntry.Kind.DELETE_OBJECT && e.versionId() == null) {
                // nothing here to delete: this zone's trim drops a delete's tombstone once every peer applied it, while the
                // peer may keep its own (trimmed for the size bound); applying it would re-log the delete at every run
                // (a delete marker of a versioned bucket is a version of its own, which this zone lacks)
                continue;
            }
            try {
                applier.apply(peer, e);
                counts.repaired++;
            } catch (IOException | RuntimeException ex) {
                // the next run tries again
                LOG.debug("anti-entropy from zone {}: {} {}/{}: {}", peer.name(), e.kind(), bucket, e.key(), ex.toString());
            }
        }
    }

    /** What an entry is compared by: its key's one object, or in a bucket that keeps versions one version by its id. */
    private static String versionOf(SyncEntry e) {
        return e.versionId() == null ? e.key() : e.key() + '\0' + e.versionId();
    }

    private SyncDigest local(String bucket, String range, boolean withEntries, int limit) {
        SyncDigest all = SyncDigest.empty();
        String after = null;
        do {
            SyncDigest page = await(sync.syncDigest(bucket, range, peer.name(), after, limit, withEntries));
            all = all.plus(page);
            after = page.next();
            pause();
        } while (after != null && !stopped);
        return all;
    }

    private SyncDigest remote(String bucket, String range, boolean withEntries, int limit) throws IOException {
        SyncDigest all = SyncDigest.empty();
        String after = null;
        do {
            SyncDigest page = peer.digest(applier.localZone(), bucket, range, after, limit, withEntries);
            all = all.plus(page);
            after = page.next();
            pause();
        } while (after != null && !stopped);
        return all;
    }

    private static void pause() {
        try {
            Thread.sleep(PAGE_PAUSE_MILLIS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
