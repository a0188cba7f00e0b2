package io.mooseng.core.metadata;

import io.mooseng.core.model.AntiEntropyRun;
import io.mooseng.core.model.ObjectManifest;
import io.mooseng.core.model.ParkedChange;
import io.mooseng.core.model.RemoteApplied;
import io.mooseng.core.model.SyncDigest;
import io.mooseng.core.model.SyncEntry;
import io.mooseng.core.model.SyncLogPage;
import io.mooseng.core.model.SyncState;
import io.mooseng.core.model.Zonegroup;

import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * Multisite sync's view of the metadata: the zone's change log (appended in the same
 * transaction as each change while the cluster belongs to a zonegroup), peers' changes
 * applied last-writer-wins by {@link io.mooseng.core.model.ZoneStamp}, and the cursors
 * of this zone's sync agent. Non-blocking and linearizable: see {@link MetadataService}.
 */
public interface SyncLog {
    CompletableFuture<SyncState> syncState();

    /**
     * Names this cluster's zone (once: a zone never changes its name) and adopts
     * {@code group} unless the copy it has already supersedes it.
     *
     * @return the state now
     */
    CompletableFuture<SyncState> configureZone(String localZone, Zonegroup group);

    /** The last sequence number of every shard: one cheap read tells a peer which shards have news. */
    CompletableFuture<long[]> syncLogHeads();

    /**
     * Per shard, the HLC up to which this zone's own changes have been applied by every peer
     * (known when the log is trimmed: every peer's cursor passed them); 0 for none.
     */
    CompletableFuture<long[]> syncReplicated();

    /** Up to {@code limit} entries of {@code shard} after sequence number {@code after}. */
    CompletableFuture<SyncLogPage> readSyncLog(int shard, long after, int limit);

    /**
     * A full-sync listing of a bucket: its objects after {@code afterKey} in key order, and
     * the tombstones of deleted ones, as entries with sequence number 0; in a bucket that keeps
     * versions also the noncurrent versions and delete markers under their ids, and the versions
     * removed by id (a page then ends between keys and may hold more than {@code limit} entries).
     */
    CompletableFuture<List<SyncEntry>> syncListing(String bucket, String afterKey, int limit);

    /**
     * A page of a bucket's anti-entropy digest over {@code range} (see {@link SyncDigest}): the
     * listing's next {@code limit} entries after {@code afterKey} (at most 10,000 are read per
     * call), those the bucket's sync rule lets reach both this zone and {@code peer}.
     *
     * @param withEntries whether the page's entries in the range come with it
     */
    CompletableFuture<SyncDigest> syncDigest(String bucket, String range, String peer, String afterKey, int limit, boolean withEntries);

    /** This zone's last anti-entropy comparison with {@code peer}, or null before the first. */
    CompletableFuture<AntiEntropyRun> antiEntropyRun(String peer);

    CompletableFuture<Void> saveAntiEntropyRun(String peer, AntiEntropyRun run);

    /** Whether an administrator paused this zone's sync agent ({@code admin sync pause}): it pulls nothing while paused. */
    CompletableFuture<Boolean> syncPaused();

    CompletableFuture<Void> pauseSync(boolean paused);

    /**
     * The stamp of what this zone holds of a key: its current version's, else its tombstone's,
     * else {@link io.mooseng.core.model.ZoneStamp#NONE}.
     */
    CompletableFuture<io.mooseng.core.model.ZoneStamp> keyStamp(String bucket, String key);

    /** Every bucket's current settings and the tombstones of deleted buckets, as entries. */
    CompletableFuture<List<SyncEntry>> syncBuckets();

    /** Every user and access key (sealed as stored) with its stamp, and removed ones' tombstones: a full sync's identities. */
    CompletableFuture<List<SyncEntry>> syncIdentities();

    /**
     * Applies a peer's change unless this zone has it or a later change of the same key; in a
     * bucket with versioning enabled, a version (or delete marker) is kept under its id whatever
     * its stamp, the newest current, unless this zone holds it already or it was removed by id.
     *
     * @param content for a put, its content as stored in this zone (size, blocks, class);
     *                null otherwise
     */
    CompletableFuture<RemoteApplied> applyRemote(SyncEntry entry, ObjectManifest content);

    /**
     * Applies a peer's user or key change last-writer-wins; a key with its secret sealed to this
     * zone's cluster key (null: it came without its secret, fine only for a key this zone holds with
     * the same secret). The secret itself never enters the metadata log.
     */
    CompletableFuture<RemoteApplied> applyRemoteIdentity(SyncEntry entry, byte[] sealedHere);

    /** The positions this zone's agent reached in {@code peer}'s log, one per shard; empty before its first full sync. */
    CompletableFuture<long[]> syncCursors(String peer);

    CompletableFuture<Void> saveSyncCursors(String peer, long[] cursors);

    /** The peer's changes this zone's agent set aside (see {@link ParkedChange}), oldest first. */
    CompletableFuture<List<ParkedChange>> parkedChanges(String peer);

    /** Replaces the peer's set-aside changes (at most {@value #MAX_PARKED}: beyond, the oldest are kept). */
    CompletableFuture<Void> saveParkedChanges(String peer, List<ParkedChange> parked);

    int MAX_PARKED = 10_000;

    /**
     * Trims this zone's log: per shard, the entries up to {@code consumed[shard]} (what every
     * peer has applied), and beyond that the oldest ones while the shard holds more than
     * {@code keepAtMost} (a peer still behind them full-syncs). At most
     * {@value #TRIM_BATCH} entries per shard go per call, so one call stays a small commit.
     */
    CompletableFuture<Void> trimSyncLog(long[] consumed, long keepAtMost);

    int TRIM_BATCH = 10_000;
}
