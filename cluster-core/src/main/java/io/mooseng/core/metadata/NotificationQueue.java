package io.mooseng.core.metadata;

import io.mooseng.core.model.NotificationEvent;
import io.mooseng.core.model.NotifyTarget;

import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * Bucket notifications: the operator's webhook targets and the durable queue of events. An
 * event is queued by the state machine in the log entry of the change it reports, so it is
 * never lost once the change committed; the leader's sender delivers and acknowledges it.
 */
public interface NotificationQueue {

    /** Adds or replaces a target. */
    CompletableFuture<Void> putNotifyTarget(NotifyTarget target);

    /** Removes a target; false when there was none. Its queued events are dropped by the sender. */
    CompletableFuture<Boolean> removeNotifyTarget(String name);

    CompletableFuture<List<NotifyTarget>> notifyTargets();

    /** Queued events with sequences above {@code after}, oldest first, at most {@code limit}. */
    CompletableFuture<List<NotificationEvent>> pendingNotifications(long after, int limit);

    /** Removes delivered (or undeliverable) events from the queue; unknown sequences are ignored. */
    CompletableFuture<Void> ackNotifications(long[] sequences);
}
