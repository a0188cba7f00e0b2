package io.mooseng.metadata.store;

import io.mooseng.core.error.ErrorCode;
import io.mooseng.core.error.MooseException;
import io.mooseng.core.metadata.DirectoryLeases;
import io.mooseng.core.model.LeasedDirectory;
import io.mooseng.metadata.store.KvView.Cursor;
import io.mooseng.metadata.store.NamespaceSchema.Table;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;

import static io.mooseng.metadata.store.NamespaceSchema.decodeFence;
import static io.mooseng.metadata.store.NamespaceSchema.decodeHolder;
import static io.mooseng.metadata.store.NamespaceSchema.encodeFence;
import static io.mooseng.metadata.store.NamespaceSchema.encodeHolder;
import static io.mooseng.metadata.store.NamespaceSchema.fenceKey;
import static io.mooseng.metadata.store.NamespaceSchema.leaseKey;
import static io.mooseng.metadata.store.NamespaceSchema.leasePrefix;
import static io.mooseng.metadata.store.NamespaceSchema.leasedDirectory;
import static io.mooseng.metadata.store.NamespaceSchema.startsWith;

/**
 * Directory leases and their holders' fences, in the store (so they outlast restarts and
 * failovers). A lease covers its directory's subtree, and no two holders lease related
 * directories (one at or under the other). A check reads the leases a path could meet: one
 * point read per directory above it, and a range for those under it (a mount may hold
 * thousands: every command scanning all of a bucket's made each cost grow with them).
 */
public final class Leases {
    private final KvView kv;

    Leases(KvView kv) {
        this.kv = kv;
    }

    /** Leases {@code dir} to {@code holder}; a lease of another holder at, under or above it is a conflict. */
    public void acquire(LeasedDirectory dir, UUID holder) {
        checkChange(dir.bucket(), dir.dir(), holder);
        kv.put(Table.LEASES, leaseKey(dir), encodeHolder(holder));
    }

    /** Ends a lease of {@code holder} (another holder's stays). */
    public void release(LeasedDirectory dir, UUID holder) {
        if (holds(dir, holder)) {
            kv.delete(Table.LEASES, leaseKey(dir));
        }
    }

    /** Whether {@code holder} leases {@code dir}. */
    public boolean holds(LeasedDirectory dir, UUID holder) {
        byte[] held = kv.get(Table.LEASES, leaseKey(dir));
        return held != null && decodeHolder(held).equals(holder);
    }

    /** Takes every lease of {@code holder} and moves its fence on. */
    public void expire(UUID holder) {
        for (Lease l : all(null)) {
            if (l.holder().equals(holder)) {
                kv.delete(Table.LEASES, leaseKey(l.dir()));
            }
        }
        kv.put(Table.LEASES, fenceKey(holder), encodeFence(fence(holder) + 1));
    }

    /** Drops the leases at or under a path that was removed or moved away (its holder did it). */
    public void pathGone(String bucket, String path) {
        for (Lease l : all(bucket)) {
            if (new LeasedDirectory(bucket, path).covers(l.dir().dir())) {
                kv.delete(Table.LEASES, leaseKey(l.dir()));
            }
        }
    }

    public long fence(UUID holder) {
        byte[] v = kv.get(Table.LEASES, fenceKey(holder));
        return v == null ? 0 : decodeFence(v);
    }

    /** LEASE_REVOKED unless {@code fence} is the holder's current one. */
    public void checkFence(UUID holder, long fence) {
        long current = fence(holder);
        if (fence != current) {
            throw new MooseException(ErrorCode.LEASE_REVOKED, "the leases of holder " + holder + " were taken (fence "
                    + current + ", the request carries " + fence + ")");
        }
    }

    /** A change to {@code path} (at it or under it) by {@code holder} (null: none) must not reach another's lease. */
    public void checkChange(String bucket, String path, UUID holder) {
        if (mayMeetLeases(bucket, holder)) {
            refuseAbove(bucket, path, holder);
            refuseFrom(bucket, path.isEmpty() ? "" : path + "/", holder);
        }
    }

    /** A read of directory {@code dir}'s entries (or of an entry in it) must not see another's leased directory. */
    public void checkRead(String bucket, String dir, UUID holder) {
        if (mayMeetLeases(bucket, holder)) {
            refuseAbove(bucket, dir, holder);
        }
    }

    /** A listing of every key under {@code dir} that starts with {@code prefix} (recursive). */
    public void checkListing(String bucket, String dir, String prefix, UUID holder) {
        if (mayMeetLeases(bucket, holder)) {
            refuseAbove(bucket, dir, holder);
            refuseFrom(bucket, prefix, holder);
        }
    }

    /**
     * Whether a check by {@code holder} has leases to look at. Background work passes every
     * lease; a request without a holder (S3) first asks whether the bucket has any lease at
     * all: one seek instead of a read per directory above the path and a range below it, and
     * most buckets S3 writes to are not mounted.
     */
    private boolean mayMeetLeases(String bucket, UUID holder) {
        if (DirectoryLeases.BACKGROUND.equals(holder)) {
            return false;
        }
        if (holder != null) {
            return true;
        }
        byte[] prefix = leasePrefix(bucket);
        try (Cursor c = kv.seekWithin(Table.LEASES, prefix)) {
            return c.valid() && startsWith(c.key(), prefix);
        }
    }

    /** Every holder with a lease. */
    public Set<UUID> holders() {
        Set<UUID> out = new LinkedHashSet<>();
        all(null).forEach(l -> out.add(l.holder()));
        return out;
    }

    /** Another's lease of {@code path} or of a directory above it (the bucket's root included) is a conflict. */
    private void refuseAbove(String bucket, String path, UUID holder) {
        refuseAt(bucket, "", holder);
        for (int slash = path.indexOf('/'); slash >= 0; slash = path.indexOf('/', slash + 1)) {
            refuseAt(bucket, path.substring(0, slash), holder);
        }
        if (!path.isEmpty()) {
            refuseAt(bucket, path, holder);
        }
    }

    private void refuseAt(String bucket, String dir, UUID holder) {
        LeasedDirectory at = new LeasedDirectory(bucket, dir);
        byte[] held = kv.get(Table.LEASES, leaseKey(at));
        UUID other = held == null ? null : decodeHolder(held);
        if (other != null && !other.equals(holder)) {
            throw new LeaseConflict(at, other);
        }
    }

    /** Another's lease of a directory whose path starts with {@code start} ("" for any in the bucket) is a conflict. */
    private void refuseFrom(String bucket, String start, UUID holder) {
        byte[] prefix = leaseKey(new LeasedDirectory(bucket, start));
        try (Cursor c = kv.seekWithin(Table.LEASES, prefix)) {
            for (; c.valid() && startsWith(c.key(), prefix); c.next()) {
                UUID other = decodeHolder(c.value());
                if (!other.equals(holder)) {
                    throw new LeaseConflict(leasedDirectory(c.key()), other);
                }
            }
        }
    }

    private List<Lease> all(String bucket) {
        byte[] prefix = leasePrefix(bucket);
        List<Lease> out = new ArrayList<>();
        try (Cursor c = kv.seekWithin(Table.LEASES, prefix)) {
            for (; c.valid() && startsWith(c.key(), prefix); c.next()) {
                out.add(new Lease(leasedDirectory(c.key()), decodeHolder(c.value())));
            }
        }
        return out;
    }

    private record Lease(LeasedDirectory dir, UUID holder) {
    }
}
