package io.mooseng.core.status;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.mooseng.core.model.ParkedChange;

import java.util.List;

/**
 * How far this zone is behind one peer zone ({@code mooseng admin sync status}, the web
 * console's Multisite page).
 *
 * @param pending         changes of the peer's log not applied here yet (-1: unknown)
 * @param lagSeconds      age of the oldest of them (-1: unknown)
 * @param fullSyncPending the peer's changes will be taken by a full sync (no cursors yet)
 * @param parked          the peer's changes set aside after failing, with their errors (retried every 10 s)
 * @param error           why the peer could not be asked, or null
 * @param antiEntropy     the last anti-entropy comparison with the peer, or null before the first
 */
public record PeerLag(String zone, boolean fullSyncPending, long pending, double lagSeconds, List<Shard> shards,
                      List<ParkedChange> parked, String error, io.mooseng.core.model.AntiEntropyRun antiEntropy) {

    /** One shard of a peer's log as this zone has followed it. */
    public record Shard(int shard, long cursor, long head, long pending, double oldestPendingSeconds) {
    }

    /** UNREACHABLE, FULL_SYNC, CAUGHT_UP or BEHIND. */
    @JsonProperty
    public String state() {
        return error != null ? "UNREACHABLE" : fullSyncPending ? "FULL_SYNC" : pending == 0 ? "CAUGHT_UP" : "BEHIND";
    }
}
