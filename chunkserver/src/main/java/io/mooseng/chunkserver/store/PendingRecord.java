package io.mooseng.chunkserver.store;

import io.mooseng.core.model.ShardId;

/**
 * A record appended to the log but not yet known durable. The group-commit leader applies
 * it to the index after the fsync that covers it, then fills in {@link #existed}.
 */
final class PendingRecord {
    final long seq;
    final RecordType type;
    final ShardId id;
    /** Where the record was written (for a delete: the tombstone, which the index never holds). */
    final Location location;
    /** For a delete: whether the shard was present when the tombstone was applied. */
    boolean existed;

    PendingRecord(long seq, RecordType type, ShardId id, Location location) {
        this.seq = seq;
        this.type = type;
        this.id = id;
        this.location = location;
    }
}
