package io.mooseng.metadata.store;

import io.mooseng.core.model.BucketInfo;
import io.mooseng.core.model.NotificationEvent;
import io.mooseng.core.model.NotificationRule;
import io.mooseng.core.model.NotifyTarget;
import io.mooseng.metadata.codec.BinaryReader;
import io.mooseng.metadata.codec.BinaryWriter;
import io.mooseng.metadata.codec.ModelCodec;
import io.mooseng.metadata.store.KvView.Cursor;
import io.mooseng.metadata.store.NamespaceSchema.Table;

import java.util.ArrayList;
import java.util.List;

/**
 * Bucket notifications in the META table: the operator's webhook targets, and the queue of
 * events waiting for delivery, keyed by a sequence the queue's counter hands out. An event is
 * queued in the write batch of the change it reports (see {@link Namespace}), so it commits
 * with it or not at all; it leaves the queue when the leader's sender acknowledges it.
 */
public final class Notifications {
    private final KvView kv;

    Notifications(KvView kv) {
        this.kv = kv;
    }

    public void putTarget(NotifyTarget target) {
        target.validated();
        kv.put(Table.META, NamespaceSchema.notifyTargetKey(target.name()), NamespaceSchema.encode(ModelCodec.NOTIFY_TARGET, target));
    }

    public boolean removeTarget(String name) {
        byte[] key = NamespaceSchema.notifyTargetKey(name);
        if (kv.get(Table.META, key) == null) {
            return false;
        }
        kv.delete(Table.META, key);
        return true;
    }

    public List<NotifyTarget> targets() {
        List<NotifyTarget> out = new ArrayList<>();
        byte[] prefix = NamespaceSchema.notifyTargetKey("");
        try (Cursor c = kv.seekWithin(Table.META, prefix)) {
            for (; c.valid() && NamespaceSchema.startsWith(c.key(), prefix); c.next()) {
                out.add(NamespaceSchema.decode(ModelCodec.NOTIFY_TARGET, c.value()));
            }
        }
        return out;
    }

    /** Queues an event for every rule of the bucket that sends this one; nothing when the bucket has no rules. */
    void record(BucketInfo bucket, String key, String eventName, long size, String etag, long timeMillis) {
        for (NotificationRule rule : bucket.policy().notifications()) {
            if (rule.matches(eventName, key)) {
                long sequence = lastSequence() + 1;
                kv.put(Table.META, NamespaceSchema.NOTIFY_SEQUENCE_KEY, new BinaryWriter().varLong(sequence).toByteArray());
                kv.put(Table.META, NamespaceSchema.notifyEventKey(sequence), NamespaceSchema.encode(ModelCodec.NOTIFICATION_EVENT,
                        new NotificationEvent(sequence, rule.target(), rule.id(), eventName, bucket.name(), key, size,
                                etag == null ? "" : etag, timeMillis)));
            }
        }
    }

    public List<NotificationEvent> pending(long after, int limit) {
        List<NotificationEvent> out = new ArrayList<>();
        try (Cursor c = kv.seek(Table.META, NamespaceSchema.notifyEventKey(Math.max(0, after + 1)))) {
            for (; c.valid() && NamespaceSchema.isNotifyEventKey(c.key()) && out.size() < limit; c.next()) {
                out.add(NamespaceSchema.decode(ModelCodec.NOTIFICATION_EVENT, c.value()));
            }
        }
        return out;
    }

    public void ack(long[] sequences) {
        for (long s : sequences) {
            kv.delete(Table.META, NamespaceSchema.notifyEventKey(s));
        }
    }

    private long lastSequence() {
        byte[] v = kv.get(Table.META, NamespaceSchema.NOTIFY_SEQUENCE_KEY);
        return v == null ? 0 : new BinaryReader(v).varLong();
    }
}
