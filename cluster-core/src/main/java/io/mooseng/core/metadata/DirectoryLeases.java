package io.mooseng.core.metadata;

import io.mooseng.core.model.ObjectKey;

import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;

/**
 * Exclusive leases on directories, for clients that change a directory's entries without
 * waiting for each commit (a mount's write-behind): while a client holds a lease on a
 * directory, no other client changes, reads or leases anything at, under or above it; their
 * requests fail with LEASE_CONFLICT, the holder is told to give the lease back (see
 * {@link io.mooseng.core.model.NamespaceChanges#recalls}), and the requests retry. A holder
 * silent for {@link #TTL} loses its leases, and its later requests are refused
 * (LEASE_REVOKED) until it has learnt so. The holder is the client's own (see the client's
 * configuration); leases and inode reservations are durable.
 */
public interface DirectoryLeases {
    /** How long the leader waits for a word from a holder before it takes the holder's leases. */
    Duration TTL = Duration.ofSeconds(5);

    /**
     * The holder identity of background work (the leader's maintenance): every lease lets it
     * through, so it takes the namespace as committed, never waiting for a lease nor recalling one.
     */
    UUID BACKGROUND = new UUID(0, 0);

    /**
     * Leases {@code dir} (null: the bucket's root) and everything under it to this client.
     * LEASE_CONFLICT if another client holds a lease at, under or above it; NO_SUCH_KEY if
     * it is not a directory.
     */
    CompletableFuture<Void> acquireLease(String bucket, ObjectKey dir);

    /** Gives a lease back, after every change this client made under it. */
    CompletableFuture<Void> releaseLease(String bucket, ObjectKey dir);

    /**
     * Reserves {@code count} inode ids for this client to give the entries it creates
     * ({@link PosixNamespace#createEntry} with an inode): the first of consecutive ids.
     */
    CompletableFuture<Long> reserveInodes(int count);

    /** The holders of leases that the leader has not heard from for {@link #TTL} (asked of the leader). */
    CompletableFuture<List<UUID>> silentLeaseHolders();

    /** Takes every lease of a silent holder and refuses its later requests until it learns so. */
    CompletableFuture<Void> expireLeases(UUID holder);

    /**
     * Local: this client's requests carry {@code fence} from now on. A holder whose leases were
     * taken ({@link io.mooseng.core.model.NamespaceChanges#fence} moved on) first drops what it
     * kept under them, then adopts the new fence.
     */
    void adoptLeaseFence(long fence);
}
