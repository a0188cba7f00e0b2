package io.mooseng.core.metadata;

import io.mooseng.core.model.MountInfo;

import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * The mounts the leader knows, for status views. A mount is a directory lease holder: the
 * leader hears from it with every request (it asks for changes every 50 ms), so a report
 * only adds what describes it (host, mount point, version), kept in the leader's memory and
 * repeated at an interval (a new leader learns it from the next one). Nothing here writes
 * the replicated log. Non-blocking: see {@link MetadataService} for the contract.
 */
public interface MountRegistry {
    /** How long the leader keeps a mount it no longer hears from (one that crashed; an unmount says goodbye). */
    long FORGET_AFTER_MILLIS = 60_000;

    /** A lease holder's client reports its mount (asked of the leader, under the client's holder identity). */
    CompletableFuture<Void> reportMount(MountInfo info);

    /** A lease holder's client says its mount is gone (unmounted): the leader forgets it now. */
    CompletableFuture<Void> reportUnmount();

    /** The mounts reported in this leader's term and heard from within {@link #FORGET_AFTER_MILLIS}, by id. */
    CompletableFuture<List<MountInfo>> listMounts();
}
