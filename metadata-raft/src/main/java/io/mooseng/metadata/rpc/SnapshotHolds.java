package io.mooseng.metadata.rpc;

/**
 * A state machine storage that keeps a snapshot while a leader sends it to a follower. Under
 * write load a new snapshot is taken every few seconds and the oldest are deleted; without a
 * hold, sending a large snapshot outlasted its own files and every retry started over on a
 * newer one that was deleted in turn: the follower never caught up.
 */
public interface SnapshotHolds {
    /** Keeps the snapshot at {@code index} until {@link #release}; false if it is gone already. */
    boolean hold(long index);

    void release(long index);
}
