package io.mooseng.multisite;

import io.mooseng.core.clock.HybridLogicalClock;
import io.mooseng.core.error.MooseException;
import io.mooseng.core.metadata.KeySecrets;
import io.mooseng.core.metadata.SyncLog;
import io.mooseng.core.security.PeerTrust;
import io.mooseng.core.model.AntiEntropyRun;
import io.mooseng.core.model.ParkedChange;
import io.mooseng.core.model.SyncEntry;
import io.mooseng.core.model.SyncLogPage;
import io.mooseng.core.model.SyncState;
import io.mooseng.core.model.Zonegroup;
import io.mooseng.core.status.MultisiteStatus;
import io.mooseng.core.status.PeerLag;

import javax.net.ssl.X509TrustManager;
import java.io.IOException;
import java.net.http.HttpClient;
import java.util.ArrayList;
import java.util.List;

import static io.mooseng.multisite.EntryApplier.await;

/**
 * How far this zone is behind each peer, measured now from what is durable (this zone's
 * cursors, the peers' logs), not from an agent's memory: per shard the changes pending and
 * the age of the oldest of them, in seconds and operations rather than opaque markers.
 */
public final class SyncLag {
    private SyncLag() {
    }

    /**
     * Each peer zone's lag; none when this cluster belongs to no zonegroup.
     *
     * @param secrets opens the sync key's secret (the peers are asked with it) from this zone's keys
     */
    public static List<PeerLag> measure(SyncLog local, KeySecrets secrets, long nowMillis) throws IOException {
        return status(local, secrets, PeerTrust.trustManager(), nowMillis).peers();
    }

    /** @param peerTrust whom to trust at the peers' HTTPS endpoints */
    public static List<PeerLag> measure(SyncLog local, KeySecrets secrets, X509TrustManager peerTrust, long nowMillis) throws IOException {
        return status(local, secrets, peerTrust, nowMillis).peers();
    }

    /** This cluster's zone and zonegroup with each peer zone's lag ({@link MultisiteStatus#NONE} without a zonegroup). */
    public static MultisiteStatus status(SyncLog local, KeySecrets secrets, long nowMillis) throws IOException {
        return status(local, secrets, PeerTrust.trustManager(), nowMillis);
    }

    private static MultisiteStatus status(SyncLog local, KeySecrets secrets, X509TrustManager peerTrust, long nowMillis) throws IOException {
        SyncState state = await(local.syncState());
        if (!state.zoned()) {
            return MultisiteStatus.NONE;
        }
        Zonegroup group = state.zonegroup();
        String secret;
        String keyError = null;
        try {
            secret = secrets.secretOf(group.syncAccessKey());
        } catch (MooseException e) {
            secret = null;
            keyError = e.getMessage();
        }
        List<PeerLag> out = new ArrayList<>();
        try (HttpClient http = PeerClient.newHttpClient(peerTrust)) {
            for (Zonegroup.Zone zone : group.zones()) {
                if (zone.name().equals(state.localZone())) {
                    continue;
                }
                long[] cursors = await(local.syncCursors(zone.name()));
                List<ParkedChange> parked = await(local.parkedChanges(zone.name()));
                AntiEntropyRun antiEntropy = await(local.antiEntropyRun(zone.name()));
                String error = keyError;
                if (error == null) {
                    try {
                        out.add(measure(new PeerClient(http, zone, group.syncAccessKey(), secret), cursors, parked, antiEntropy, nowMillis));
                        continue;
                    } catch (IOException e) {
                        error = e.getMessage();
                    }
                }
                out.add(new PeerLag(zone.name(), cursors.length == 0, -1, -1, List.of(), parked, error, antiEntropy));
            }
        }
        return new MultisiteStatus(state.localZone(), group.name(), out);
    }

    private static PeerLag measure(PeerClient peer, long[] cursors, List<ParkedChange> parked, AntiEntropyRun antiEntropy, long nowMillis)
            throws IOException {
        List<PeerLag.Shard> shards = new ArrayList<>();
        long pending = 0;
        double lag = 0;
        for (int s = 0; s < SyncEntry.SHARDS; s++) {
            long cursor = cursors.length == 0 ? 0 : cursors[s];
            SyncLogPage next = peer.log(null, s, cursor, 1);
            long behind = Math.max(0, next.head() - cursor);
            double age = next.entries().isEmpty() ? 0
                    : Math.max(0, nowMillis - HybridLogicalClock.physicalMillis(next.entries().getFirst().stamp().hlc())) / 1000.0;
            shards.add(new PeerLag.Shard(s, cursor, next.head(), behind, age));
            pending += behind;
            lag = Math.max(lag, age);
        }
        return new PeerLag(peer.name(), cursors.length == 0, pending, lag, shards, parked, null, antiEntropy);
    }
}
