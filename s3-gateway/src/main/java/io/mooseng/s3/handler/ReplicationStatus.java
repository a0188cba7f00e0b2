package io.mooseng.s3.handler;

import io.mooseng.core.model.BucketInfo;
import io.mooseng.core.model.ObjectInfo;
import io.mooseng.core.model.SyncEntry;
import io.mooseng.core.model.SyncState;
import io.mooseng.core.model.ZoneStamp;
import io.mooseng.core.model.Zonegroup;
import io.mooseng.core.object.ObjectService;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicReference;

/**
 * {@code x-amz-replication-status} of an object version, with AWS's meaning: {@code REPLICA} for a
 * version made in another zone; for one made here, {@code COMPLETED} once every other zone has
 * applied it, {@code PENDING} before. "Applied everywhere" is the sync log's replicated watermark
 * ({@link io.mooseng.core.metadata.SyncLog#syncReplicated}: moved when the log is trimmed, every
 * few seconds), read with the zone's state at most once a second and shared by every request, so a
 * GET costs no extra metadata read. No header where the cluster is no zone, the version was
 * written before it was one (no stamp), or the bucket's rule sends the key to no other zone.
 * {@code FAILED} is never answered: a change a peer keeps failing is parked there and listed by
 * {@code admin sync status}, and it still shows {@code PENDING} here.
 */
final class ReplicationStatus {
    static final String HEADER = "x-amz-replication-status";
    private static final long MAX_AGE_NANOS = 1_000_000_000L;

    private final ObjectService objects;
    private final AtomicReference<CompletableFuture<View>> current = new AtomicReference<>();

    /** The zone's state and watermarks as read at {@code readAtNanos} ({@code replicated} null when no zone). */
    private record View(SyncState state, long[] replicated, long readAtNanos) {
    }

    ReplicationStatus(ObjectService objects) {
        this.objects = objects;
    }

    /** The header's value for {@code info}, or null for none. */
    CompletableFuture<String> of(ObjectInfo info) {
        ZoneStamp stamp = info.manifest().stamp();
        if (stamp == null) {
            return CompletableFuture.completedFuture(null);
        }
        return view().thenCompose(v -> {
            if (!v.state().zoned()) {
                return CompletableFuture.completedFuture(null);
            }
            String local = v.state().localZone();
            if (!stamp.zone().isEmpty() && !stamp.zone().equals(local)) {
                return CompletableFuture.completedFuture("REPLICA");
            }
            return objects.recentBucket(info.bucket()).thenApply(bucket -> local(v, bucket, info, stamp));
        });
    }

    /** The zone's state as read at most a second ago (shared with reads served from a peer: a 404 costs no extra metadata read). */
    CompletableFuture<SyncState> zoneState() {
        return view().thenApply(View::state);
    }

    private static String local(View v, BucketInfo bucket, ObjectInfo info, ZoneStamp stamp) {
        String here = v.state().localZone();
        boolean sent = v.state().zonegroup().zones().stream().map(Zonegroup.Zone::name)
                .anyMatch(z -> !z.equals(here) && bucket.policy().syncRule().flows(here, z, info.key(), info.manifest().properties().tags()));
        if (!sent) {
            return null;
        }
        return stamp.hlc() <= v.replicated()[SyncEntry.shardOf(info.bucket(), info.key())] ? "COMPLETED" : "PENDING";
    }

    private CompletableFuture<View> view() {
        CompletableFuture<View> c = current.get();
        if (c != null && (!c.isDone() || !c.isCompletedExceptionally() && System.nanoTime() - c.join().readAtNanos() < MAX_AGE_NANOS)) {
            return c;
        }
        CompletableFuture<View> next = objects.sync().syncState().thenCompose(s -> s.zoned()
                ? objects.sync().syncReplicated().thenApply(r -> new View(s, r, System.nanoTime()))
                : CompletableFuture.completedFuture(new View(s, null, System.nanoTime())));
        return current.compareAndSet(c, next) ? next : current.get();
    }
}
