package io.mooseng.chunkserver.store;

import io.mooseng.core.model.ShardId;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Shards the store lost (quarantined as corrupt, by a read, the scrubber or compaction) since
 * the chunkserver last reported them to the leader, which queues their blocks for repair. Bounded:
 * beyond {@value #MAX} the rest wait for the leader's next census, which finds them anyway.
 */
public final class LostShards {
    static final int MAX = 10_000;
    private final Set<ShardId> pending = new LinkedHashSet<>();

    synchronized void add(ShardId id) {
        if (pending.size() < MAX) {
            pending.add(id);
        }
    }

    /** Takes the shards lost since the last call (hand them back with {@link #restore} if the report fails). */
    public synchronized List<ShardId> take() {
        List<ShardId> out = new ArrayList<>(pending);
        pending.clear();
        return out;
    }

    /** Puts back shards whose report failed, to go with the next one. */
    public synchronized void restore(List<ShardId> shards) {
        for (ShardId id : shards) {
            add(id);
        }
    }
}
