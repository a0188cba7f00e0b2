package io.mooseng.multisite;

import io.mooseng.core.metadata.KeySecrets;
import io.mooseng.core.model.SyncEntry;
import io.mooseng.core.model.SyncState;
import io.mooseng.core.model.Zonegroup;
import io.mooseng.core.object.ObjectService;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.http.HttpClient;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BooleanSupplier;
import java.util.function.LongSupplier;

import static io.mooseng.multisite.EntryApplier.await;

/**
 * A zone's sync agent: while this process is the one that acts for its cluster (the leading
 * master, or {@code mooseng server}), and the cluster is a zone of a group, it pulls every
 * other zone's changes ({@link PeerSync}, one virtual thread per peer) and keeps the
 * zonegroup configuration in step with the peers': the copy with the higher epoch wins
 * everywhere, so a change made in any zone spreads while any one zone is down. It signs its
 * requests with the zonegroup's sync key, whose secret it opens from this zone's key record
 * ({@link KeySecrets}: the process must hold the cluster key).
 */
public final class SyncAgent implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(SyncAgent.class);

    private final ObjectService objects;
    private final BooleanSupplier acting;
    private final SyncSettings settings;
    private final KeySecrets secrets;
    private final LongSupplier clock;
    private final HttpClient http = PeerClient.newHttpClient();
    private final Map<String, Running> peers = new ConcurrentHashMap<>();
    /** Per peer zone, outliving restarts of its pullers (a changed endpoint or sync key; a pause starts them over). */
    private final Map<String, PeerStatus> statuses = new ConcurrentHashMap<>();
    private final Thread supervisor;
    private volatile boolean closed;
    private boolean failing;
    /** Whether an administrator paused this zone's sync when the supervisor last looked (to log the changes only). */
    private boolean paused;
    private long[] lastTrim = new long[0];
    private long lastTrimMillis;

    private record Running(Zonegroup.Zone zone, String accessKey, String secretKey, PeerSync sync, Thread thread,
                           AntiEntropy antiEntropy, Thread antiEntropyThread) {
        void stop() {
            sync.stop();
            thread.interrupt();
            antiEntropy.stop();
            antiEntropyThread.interrupt();
        }
    }

    private SyncAgent(ObjectService objects, BooleanSupplier acting, SyncSettings settings, KeySecrets secrets, LongSupplier clock) {
        this.objects = objects;
        this.acting = acting;
        this.settings = settings;
        this.secrets = secrets;
        this.clock = clock;
        this.supervisor = Thread.ofVirtual().name("mooseng-sync-agent").unstarted(this::supervise);
    }

    /** @param secrets opens the sync key's secret from this zone's keys */
    public static SyncAgent start(ObjectService objects, BooleanSupplier acting, SyncSettings settings, KeySecrets secrets) {
        SyncAgent agent = new SyncAgent(objects, acting, settings, secrets, System::currentTimeMillis);
        agent.supervisor.start();
        return agent;
    }

    /** Progress through each peer's log (empty while idle). */
    public List<PeerStatus> peers() {
        return peers.values().stream().map(r -> r.sync().status()).toList();
    }

    private void supervise() {
        while (!closed) {
            try {
                SyncState state = acting.getAsBoolean() ? await(objects.sync().syncState()) : SyncState.NONE;
                String secret = state.zoned() ? secrets.secretOf(state.zonegroup().syncAccessKey()) : "";
                // paused by an administrator: no pulling (the configuration is still exchanged, the log still trimmed)
                boolean paused = state.zoned() && await(objects.sync().syncPaused());
                if (paused != this.paused) {
                    LOG.info("zone {}: sync {}", state.localZone(), paused ? "paused: pulling nothing until resumed" : "resumed");
                    this.paused = paused;
                }
                follow(state, paused, secret);
                if (state.zoned()) {
                    exchangeConfiguration(state, secret);
                }
                failing = false;
            } catch (RuntimeException e) {
                // an unavailable metadata group fails every round: say so once, then quietly until it answers
                if (!failing) {
                    LOG.warn("sync agent: {}", e.toString());
                } else {
                    LOG.debug("sync agent: {}", e.toString());
                }
                failing = true;
            }
            try {
                Thread.sleep(settings.configMillis());
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    /** Starts a puller for each peer of the group, and stops those of zones no longer in it (or all when not acting or paused). */
    private void follow(SyncState state, boolean paused, String secret) {
        Zonegroup group = state.zonegroup();
        boolean pulling = state.zoned() && !paused;
        for (var it = peers.entrySet().iterator(); it.hasNext(); ) {
            var e = it.next();
            Running r = e.getValue();
            boolean keep = pulling && group.zone(e.getKey()).map(z -> z.equals(r.zone())).orElse(false)
                    && group.syncAccessKey().equals(r.accessKey()) && secret.equals(r.secretKey());
            if (!keep) {
                r.stop();
                it.remove();
            }
        }
        // a pause keeps the peers' statuses: their counters go on growing after it
        statuses.keySet().removeIf(name -> !state.zoned() || group.zone(name).isEmpty());
        if (!pulling) {
            return;
        }
        EntryApplier applier = new EntryApplier(objects, state.localZone(), secrets);
        for (Zonegroup.Zone zone : group.zones()) {
            if (zone.name().equals(state.localZone()) || peers.containsKey(zone.name())) {
                continue;
            }
            PeerClient client = new PeerClient(http, zone, group.syncAccessKey(), secret);
            PeerSync sync = new PeerSync(objects.sync(), client, applier, settings, clock,
                    statuses.computeIfAbsent(zone.name(), PeerStatus::new));
            AntiEntropy antiEntropy = new AntiEntropy(objects.sync(), client, applier, settings.antiEntropyMillis(), clock, sync.status());
            sync.afterFullSync(antiEntropy::soon);
            Thread t = Thread.ofVirtual().name("mooseng-sync-" + zone.name()).start(sync);
            Thread ae = Thread.ofVirtual().name("mooseng-anti-entropy-" + zone.name()).start(antiEntropy);
            peers.put(zone.name(), new Running(zone, group.syncAccessKey(), secret, sync, t, antiEntropy, ae));
            LOG.info("zone {}: syncing from zone {} at {}", state.localZone(), zone.name(), zone.endpoints());
        }
    }

    /**
     * Adopts a peer's newer zonegroup, offers ours to peers that have an older one (or none),
     * and trims this zone's log up to what every peer has applied.
     */
    private void exchangeConfiguration(SyncState state, String secret) {
        Zonegroup ours = state.zonegroup();
        long[] consumed = new long[SyncEntry.SHARDS];
        Arrays.fill(consumed, Long.MAX_VALUE);
        boolean allAnswered = true;
        for (Zonegroup.Zone zone : ours.zones()) {
            if (zone.name().equals(state.localZone())) {
                continue;
            }
            PeerClient client = new PeerClient(http, zone, ours.syncAccessKey(), secret);
            try {
                PeerClient.PeerState peer = client.state(state.localZone());
                SyncState theirs = peer.state();
                if (peer.cursorsOfReader().length == SyncEntry.SHARDS) {
                    for (int s = 0; s < SyncEntry.SHARDS; s++) {
                        consumed[s] = Math.min(consumed[s], peer.cursorsOfReader()[s]);
                    }
                } else {
                    allAnswered = false;
                }
                if (ours.supersededBy(theirs.zonegroup())) {
                    Zonegroup adopted = theirs.zonegroup();
                    await(objects.sync().configureZone(state.localZone(), adopted));
                    LOG.info("zone {}: adopted zonegroup {} epoch {} from zone {}", state.localZone(), adopted.name(),
                            adopted.epoch(), zone.name());
                    return;
                } else if (!theirs.zoned() || theirs.zonegroup().supersededBy(ours)) {
                    client.offer(ours);
                    LOG.info("zone {}: gave zonegroup {} epoch {} to zone {}", state.localZone(), ours.name(), ours.epoch(), zone.name());
                }
            } catch (java.io.IOException | RuntimeException e) {
                allAnswered = false;
                LOG.debug("zonegroup exchange with zone {}: {}", zone.name(), e.toString());
            }
        }
        trim(allAnswered ? consumed : new long[SyncEntry.SHARDS]);
    }

    /** Trims when the peers moved on, and at least every minute for the size bound (a commit, so not every round). */
    private void trim(long[] consumed) {
        long now = clock.getAsLong();
        if (Arrays.equals(consumed, lastTrim) && now - lastTrimMillis < 60_000) {
            return;
        }
        await(objects.sync().trimSyncLog(consumed, settings.maxLogEntries()));
        lastTrim = consumed;
        lastTrimMillis = now;
    }

    @Override
    public void close() {
        closed = true;
        supervisor.interrupt();
        peers.values().forEach(Running::stop);
        peers.clear();
        http.close();
    }
}
