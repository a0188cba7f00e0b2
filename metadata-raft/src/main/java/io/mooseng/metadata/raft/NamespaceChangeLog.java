package io.mooseng.metadata.raft;

import io.mooseng.core.model.NamespaceChange;
import io.mooseng.core.model.NamespaceChange.Kind;
import io.mooseng.core.model.NamespaceChanges;
import io.mooseng.metadata.command.MetadataCommand;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;

/**
 * The namespace's recent changes, recorded on every member as it applies entries, so that
 * clients which cache the namespace (mounts, and the kernel behind them) learn what to
 * forget. In memory and bounded ({@value #CAPACITY} changes, {@value #MAX_BYTES} bytes of
 * them, whichever comes first: keys run up to 16 KiB); a member that restarted, or a caller
 * that fell further behind, is told it missed changes and drops all it caches.
 */
final class NamespaceChangeLog {
    static final int CAPACITY = 1 << 16;
    static final long MAX_BYTES = 32L << 20;
    /** A change's memory beside its key: the records, the ring's slot, the bucket name. */
    private static final int OVERHEAD_BYTES = 160;

    /** One change and the client whose command made it. */
    private record Recorded(NamespaceChange change, UUID client) {
    }

    private final Recorded[] ring;
    private final long maxBytes;
    /** The oldest change kept, counted like {@link #recorded}. */
    private long first;
    private long bytes;
    private long recorded;
    private long horizon;
    private long last;

    NamespaceChangeLog() {
        this(CAPACITY, MAX_BYTES);
    }

    NamespaceChangeLog(int capacity, long maxBytes) {
        this.ring = new Recorded[capacity];
        this.maxBytes = maxBytes;
    }

    /** Starts over at a member's applied index (start-up, a snapshot installed): nothing before it is known. */
    synchronized void reset(long appliedIndex) {
        Arrays.fill(ring, null);
        first = 0;
        bytes = 0;
        recorded = 0;
        horizon = appliedIndex;
        last = appliedIndex;
    }

    /** A command of the entry at {@code index}, sent by {@code client}, was applied. */
    synchronized void applied(long index, UUID client, MetadataCommand<?> command) {
        for (NamespaceChange c : changesOf(index, command)) {
            long size = bytesOf(c);
            while (first < recorded && (recorded - first >= ring.length || bytes + size > maxBytes)) {
                forgetOldest();
            }
            ring[(int) (recorded % ring.length)] = new Recorded(c, client);
            bytes += size;
            recorded++;
        }
    }

    private void forgetOldest() {
        int slot = (int) (first % ring.length);
        NamespaceChange oldest = ring[slot].change();
        horizon = Math.max(horizon, oldest.index());
        bytes -= bytesOf(oldest);
        ring[slot] = null;
        first++;
    }

    private static long bytesOf(NamespaceChange c) {
        return OVERHEAD_BYTES + 2L * (c.key() == null ? 0 : c.key().length());
    }

    /** Every entry up to {@code index} is applied (with changes or without). */
    synchronized void advance(long index) {
        last = Math.max(last, index);
    }

    /**
     * The changes after {@code after}, at most about {@code limit} (whole entries: the
     * changes of one index are never split), leaving out those {@code skipClient} made
     * (null: none left out): a client knows its own.
     */
    synchronized NamespaceChanges since(long after, int askedLimit, UUID skipClient) {
        int limit = Math.max(1, askedLimit);
        if (after < horizon) {
            return new NamespaceChanges(horizon, last, List.of());
        }
        List<NamespaceChange> out = new ArrayList<>();
        long upTo = last;
        for (long i = firstAfter(after); i < recorded; i++) {
            Recorded r = ring[(int) (i % ring.length)];
            NamespaceChange c = r.change();
            if (r.client().equals(skipClient)) {
                continue;
            }
            if (out.size() >= limit && c.index() != out.getLast().index()) {
                upTo = out.getLast().index();
                break;
            }
            out.add(c);
        }
        return new NamespaceChanges(horizon, upTo, out);
    }

    /**
     * Where the first change after {@code after} is kept (or {@link #recorded} if none is): the
     * ring holds changes in index order, so a caller that keeps up costs a binary search, not a
     * walk over the whole ring on every poll.
     */
    private long firstAfter(long after) {
        long lo = first;
        long hi = recorded;
        while (lo < hi) {
            long mid = (lo + hi) >>> 1;
            if (ring[(int) (mid % ring.length)].change().index() <= after) {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        return lo;
    }

    /** What a command changed, as caching clients see it; exhaustive, so a new command says so. */
    static List<NamespaceChange> changesOf(long index, MetadataCommand<?> command) {
        return switch (command) {
            case MetadataCommand.CreateBucket c -> List.of(name(index, c.name(), ""));
            case MetadataCommand.DeleteBucket c -> List.of(name(index, c.name(), ""));
            case MetadataCommand.PutObject c -> List.of(name(index, c.bucket(), c.key()));
            case MetadataCommand.DeleteObject c -> List.of(name(index, c.bucket(), c.key()));
            case MetadataCommand.DeleteObjectVersion c -> List.of(name(index, c.bucket(), c.key()));
            case MetadataCommand.SetObjectRetention c -> List.of(name(index, c.bucket(), c.key()));
            case MetadataCommand.SetObjectLegalHold c -> List.of(name(index, c.bucket(), c.key()));
            case MetadataCommand.CompleteUpload c -> List.of(name(index, c.bucket(), c.key()));
            case MetadataCommand.ReplaceManifest c -> List.of(name(index, c.bucket(), c.key()), inode(index, c.bucket(), c.inode()));
            case MetadataCommand.RestoreTrash c -> List.of(new NamespaceChange(index, Kind.BUCKET, c.bucket(), null, 0));
            case MetadataCommand.CreateEntry c -> List.of(name(index, c.bucket(), c.key()));
            case MetadataCommand.UpdateInode c -> List.of(inode(index, c.bucket(), c.inode()));
            case MetadataCommand.Rename c -> List.of(new NamespaceChange(index, Kind.TREE, c.bucket(), c.from(), 0),
                    new NamespaceChange(index, Kind.TREE, c.bucket(), c.to(), 0));
            case MetadataCommand.Link c -> List.of(name(index, c.bucket(), c.existing()), name(index, c.bucket(), c.newKey()));
            case MetadataCommand.Unlink c -> List.of(name(index, c.bucket(), c.key()));
            case MetadataCommand.ApplyRemote c -> List.of(name(index, c.entry().bucket(), c.entry().key()));
            // nothing a mount shows: uploads in progress, registrations, placement, policies, the trash
            case MetadataCommand.CreateUpload c -> List.of();
            case MetadataCommand.PutPart c -> List.of();
            case MetadataCommand.AbortUpload c -> List.of();
            case MetadataCommand.RegisterChunkserver c -> List.of();
            case MetadataCommand.RegisterGateway c -> List.of();
            case MetadataCommand.SetBucketPolicy c -> List.of();
            case MetadataCommand.MoveShards c -> List.of();
            case MetadataCommand.PurgeTrash c -> List.of();
            case MetadataCommand.Batch c -> c.commands().stream().flatMap(one -> changesOf(index, one).stream()).toList();
            case MetadataCommand.Held<?> c -> changesOf(index, c.command());
            // leases and inode reservations change nothing a mount shows
            case MetadataCommand.AcquireLease c -> List.of();
            case MetadataCommand.ReleaseLease c -> List.of();
            case MetadataCommand.ExpireLeases c -> List.of();
            case MetadataCommand.ReserveInodes c -> List.of();
            // multisite bookkeeping
            case MetadataCommand.ConfigureZone c -> List.of();
            case MetadataCommand.SaveSyncCursors c -> List.of();
            case MetadataCommand.SaveAntiEntropyRun c -> List.of();
            case MetadataCommand.PauseSync c -> List.of();
            case MetadataCommand.TrimSyncLog c -> List.of();
            case MetadataCommand.SaveParkedChanges c -> List.of();
            // bucket notifications' targets and queue
            case MetadataCommand.PutNotifyTarget c -> List.of();
            case MetadataCommand.RemoveNotifyTarget c -> List.of();
            case MetadataCommand.AckNotifications c -> List.of();
            // users and keys
            case MetadataCommand.BootstrapIdentity c -> List.of();
            case MetadataCommand.PutUser c -> List.of();
            case MetadataCommand.RemoveUser c -> List.of();
            case MetadataCommand.AddAccessKey c -> List.of();
            case MetadataCommand.RevokeAccessKey c -> List.of();
            case MetadataCommand.SetAccessKeyEnabled c -> List.of();
            case MetadataCommand.ApplyRemoteIdentity c -> List.of();
            case MetadataCommand.ResealObject c -> List.of(inode(index, c.bucket(), c.inode()));
            case MetadataCommand.ResealAccessKey c -> List.of();
            case MetadataCommand.ResealUpload c -> List.of();
            case MetadataCommand.RegisterClusterKey c -> List.of();
        };
    }

    private static NamespaceChange name(long index, String bucket, String key) {
        return new NamespaceChange(index, Kind.NAME, bucket, key, 0);
    }

    private static NamespaceChange inode(long index, String bucket, long inode) {
        return new NamespaceChange(index, Kind.INODE, bucket, null, inode);
    }
}
