package io.mooseng.multisite;

import io.mooseng.core.clock.HybridLogicalClock;
import io.mooseng.core.error.ErrorCode;
import io.mooseng.core.error.MooseException;
import io.mooseng.core.metadata.SyncLog;
import io.mooseng.core.model.ParkedChange;
import io.mooseng.core.model.SyncEntry;
import io.mooseng.core.model.SyncRule;
import io.mooseng.core.model.SyncLogPage;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Semaphore;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.LongSupplier;

import static io.mooseng.multisite.EntryApplier.await;

/**
 * Pulls one peer zone's changes into this zone: a full sync first (the peer's users and keys,
 * buckets and listings, compared last-writer-wins with what is here), then the peer's log shard by shard
 * from cursors kept in this zone's metadata, all shards in parallel. An entry that keeps
 * failing is parked with its error and retried later; it never holds up the rest of its shard.
 */
final class PeerSync implements Runnable {
    private static final Logger LOG = LoggerFactory.getLogger(PeerSync.class);
    static final int PAGE = 500;
    /** Entries per shard that come with the heads: 16 of them share one answer. */
    private static final int NEWS_PAGE = 100;
    private static final int KEYS_AT_ONCE = 32;
    private static final int ATTEMPTS = 3;
    private static final long PARKED_RETRY_MILLIS = 10_000;
    private static final long BUCKET_REFRESH_MILLIS = 10_000;

    private final SyncLog sync;
    private final PeerClient peer;
    private final EntryApplier applier;
    private final SyncSettings settings;
    private final LongSupplier clock;
    private final PeerStatus status;
    private final ConcurrentLinkedQueue<ParkedChange> parked = new ConcurrentLinkedQueue<>();
    /** Whether {@link #parked} changed since it was last saved in this zone's metadata. */
    private volatile boolean parkedChanged;
    private final ExecutorService shards = Executors.newVirtualThreadPerTaskExecutor();
    private volatile boolean stopped;
    private volatile long bucketsSyncedMillis;
    /** Each bucket's sync rule when this puller last looked, to notice one that widened. */
    private final Map<String, SyncRule> rules = new java.util.HashMap<>();
    /** Whether the last round applied everything the peer had: the next one long-polls. */
    private boolean caughtUp;
    private volatile Runnable afterFullSync = () -> { };

    /** @param status what this peer's pullers did so far (kept across restarts of them: its counters only grow) */
    PeerSync(SyncLog sync, PeerClient peer, EntryApplier applier, SyncSettings settings, LongSupplier clock, PeerStatus status) {
        this.sync = sync;
        this.peer = peer;
        this.applier = applier;
        this.settings = settings;
        this.clock = clock;
        this.status = status;
    }

    PeerStatus status() {
        return status;
    }

    /** What to do after each full sync (anti-entropy then compares what changed while it listed). */
    void afterFullSync(Runnable action) {
        afterFullSync = action;
    }

    void stop() {
        stopped = true;
        shards.shutdownNow();
    }

    @Override
    public void run() {
        try {
            // what an earlier run (on this or another master) set aside is retried here
            parked.addAll(await(sync.parkedChanges(peer.name())));
            status.parked(parked.size());
        } catch (RuntimeException e) {
            LOG.debug("zone {}: parked changes not read: {}", peer.name(), e.toString());
        }
        long backoff = settings.pollMillis();
        while (!stopped) {
            try {
                boolean progressed = cycle();
                backoff = settings.pollMillis();
                if (!progressed && !caughtUp) {
                    Thread.sleep(settings.pollMillis());
                }
            } catch (InterruptedException e) {
                return;
            } catch (Exception e) {
                if (stopped) {
                    return;
                }
                status.failed(e.toString());
                // a peer that is down fails every retry: say so once, then quietly until it answers again
                if (backoff == settings.pollMillis()) {
                    LOG.warn("sync from zone {} failed, retrying with backoff: {}", peer.name(), e.toString());
                } else {
                    LOG.debug("sync from zone {} failed, retrying in {} ms: {}", peer.name(), backoff, e.toString());
                }
                try {
                    Thread.sleep(backoff);
                } catch (InterruptedException ie) {
                    return;
                }
                backoff = Math.min(backoff * 2, 30_000);
            }
        }
    }

    /** @return whether anything was applied */
    private boolean cycle() throws Exception {
        long[] cursors = await(sync.syncCursors(peer.name()));
        if (cursors.length == 0) {
            fullSync();
            return true;
        }
        if (clock.getAsLong() - bucketsSyncedMillis > BUCKET_REFRESH_MILLIS) {
            syncBuckets();
        }
        long[] next = cursors.clone();
        // one request brings the heads and a page of every shard with news; with none, it waits at the peer (long poll)
        PeerClient.News news = peer.news(applier.localZone(), cursors, caughtUp ? settings.longPollMillis() : 0, NEWS_PAGE);
        long[] heads = news.heads();
        List<Future<Boolean>> pulls = new ArrayList<>(SyncEntry.SHARDS);
        for (int s = 0; s < SyncEntry.SHARDS; s++) {
            int shard = s;
            if (heads[s] > cursors[s]) {
                SyncLogPage page = news.pages().get(s);
                pulls.add(shards.submit(() -> pullShard(shard, next, page)));
            } else {
                status.shard(s, cursors[s], heads[s], 0);
            }
        }
        boolean trimmed = false;
        for (Future<Boolean> f : pulls) {
            trimmed |= f.get();
        }
        if (trimmed) {
            LOG.info("zone {} trimmed its log past this zone's cursors: full sync", peer.name());
            fullSync();
            return true;
        }
        boolean progressed = !Arrays.equals(cursors, next);
        if (stopped) {
            return progressed; // its successor reads on from the cursors saved before (applying twice changes nothing)
        }
        if (progressed) {
            await(sync.saveSyncCursors(peer.name(), next));
        }
        caughtUp = Arrays.equals(next, heads);
        boolean retried = retryParked();
        saveParked();
        return retried | progressed;
    }

    /** Applies one page of a shard (fetched now unless it came with the heads); @return whether the peer trimmed the entries this zone needs */
    private boolean pullShard(int shard, long[] cursors, SyncLogPage prefetched) throws IOException {
        SyncLogPage page = prefetched != null ? prefetched : peer.log(applier.localZone(), shard, cursors[shard], PAGE);
        if (stopped) {
            return false; // a puller stopped (paused, its zone gone) while its long poll was answered applies nothing more
        }
        if (page.trimmed()) {
            return true;
        }
        status.shard(shard, cursors[shard], page.head(), page.entries().isEmpty() ? 0
                : HybridLogicalClock.physicalMillis(page.entries().getFirst().stamp().hlc()));
        applyPage(page.entries());
        if (!stopped && !page.entries().isEmpty()) {
            SyncEntry last = page.entries().getLast();
            cursors[shard] = last.seq();
            // what still waits is at least as recent as the last change applied
            status.shard(shard, last.seq(), page.head(), HybridLogicalClock.physicalMillis(last.stamp().hlc()));
        }
        return false;
    }

    /**
     * Applies a page: the changes of one key in log order, different keys side by side (at most
     * {@value #KEYS_AT_ONCE} at once), so a fetch across the WAN does not hold up the next key's.
     */
    private void applyPage(List<SyncEntry> entries) {
        Map<String, List<SyncEntry>> byKey = new LinkedHashMap<>();
        for (SyncEntry e : entries) {
            // identity changes in the order they were made: a key's user first ("\0" is in no bucket name)
            byKey.computeIfAbsent(e.identityChange() ? "\0" : e.bucket() + "\0" + e.key(), k -> new ArrayList<>()).add(e);
        }
        Semaphore slots = new Semaphore(KEYS_AT_ONCE);
        List<Thread> running = new ArrayList<>(byKey.size());
        for (List<SyncEntry> changes : byKey.values()) {
            slots.acquireUninterruptibly();
            running.add(Thread.ofVirtual().start(() -> {
                try {
                    changes.forEach(this::applyOrPark);
                } finally {
                    slots.release();
                }
            }));
        }
        for (Thread t : running) {
            try {
                t.join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    private void applyOrPark(SyncEntry e) {
        String error = null;
        for (int attempt = 1; attempt <= ATTEMPTS && !stopped; attempt++) {
            try {
                long bytes = applier.apply(peer, e);
                status.applied(bytes, clock.getAsLong() - HybridLogicalClock.physicalMillis(e.stamp().hlc()));
                if (e.kind() == SyncEntry.Kind.BUCKET_SETTINGS) {
                    bucketsSyncedMillis = 0; // a sync rule may have widened: look at the buckets next round
                }
                return;
            } catch (MooseException ex) {
                error = ex.toString();
                if (ex.code() == ErrorCode.NO_SUCH_BUCKET) {
                    syncBucketsQuietly();
                }
            } catch (IOException | RuntimeException ex) {
                error = ex.toString();
            }
            sleepQuietly(100L << (2 * (attempt - 1)));
        }
        if (!stopped) {
            LOG.warn("parked a change from zone {}: {} {}/{}: {}", peer.name(), e.kind(), e.bucket(), e.key(), error);
            parked.add(new ParkedChange(e, error, clock.getAsLong()));
            parkedChanged = true;
            status.parked(parked.size());
        }
    }

    /** Retries parked changes that waited long enough; a later change of the key makes a retry a no-op. */
    private boolean retryParked() {
        boolean any = false;
        for (ParkedChange p : parked) {
            if (clock.getAsLong() - p.sinceMillis() < PARKED_RETRY_MILLIS) {
                continue;
            }
            parked.remove(p);
            parkedChanged = true;
            applyOrPark(p.entry());
            any = true;
        }
        status.parked(parked.size());
        return any;
    }

    /** Keeps the set-aside changes in this zone's metadata: they survive a restart and `admin sync status` shows them. */
    private void saveParked() {
        if (parkedChanged) {
            parkedChanged = false;
            await(sync.saveParkedChanges(peer.name(), List.copyOf(parked)));
        }
    }

    private void fullSync() throws IOException {
        status.fullSync(true);
        long[] heads = peer.heads();
        applyPage(peer.identities());
        List<SyncEntry> buckets = syncBuckets();
        for (SyncEntry b : buckets) {
            if (b.kind() == SyncEntry.Kind.CREATE_BUCKET) {
                copyBucket(b.bucket());
            }
        }
        if (!stopped) {
            saveParked();
            await(sync.saveSyncCursors(peer.name(), heads));
            status.fullSync(false);
            LOG.info("full sync from zone {} done; following its log", peer.name());
            afterFullSync.run();
        }
    }

    private List<SyncEntry> syncBuckets() throws IOException {
        List<SyncEntry> buckets = peer.buckets();
        for (SyncEntry b : buckets) {
            applyOrPark(b);
        }
        bucketsSyncedMillis = clock.getAsLong();
        backfillWidenedRules(buckets);
        return buckets;
    }

    /**
     * A bucket whose sync rule now lets more through than when this puller last looked gets the
     * peer's objects the old rule kept back: its listing, compared key by key (enabling a flow
     * backfills by itself). The first look after a start records the rules only.
     */
    private void backfillWidenedRules(List<SyncEntry> buckets) throws IOException {
        for (SyncEntry b : buckets) {
            if (b.kind() != SyncEntry.Kind.CREATE_BUCKET) {
                continue;
            }
            SyncRule now;
            try {
                now = applier.ruleOf(b.bucket());
            } catch (RuntimeException e) {
                continue; // not here (yet): the next round sees it
            }
            SyncRule before = rules.put(b.bucket(), now);
            if (before != null && now.widens(before)) {
                LOG.info("bucket {}: its sync rule changed; taking zone {}'s objects it let through", b.bucket(), peer.name());
                copyBucket(b.bucket());
            }
        }
    }

    /** Applies the peer's listing of a bucket: its objects and tombstones, compared with what is here. */
    private void copyBucket(String bucket) throws IOException {
        String after = null;
        while (!stopped) {
            List<SyncEntry> page = peer.listing(bucket, after, PAGE);
            applyPage(page);
            page.forEach(e -> status.listed());
            if (page.size() < PAGE) {
                return;
            }
            after = page.getLast().key();
        }
    }

    private void syncBucketsQuietly() {
        try {
            for (SyncEntry b : peer.buckets()) {
                applier.apply(peer, b);
            }
        } catch (IOException | RuntimeException e) {
            LOG.debug("bucket sync from zone {} failed: {}", peer.name(), e.toString());
        }
    }

    private static void sleepQuietly(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
