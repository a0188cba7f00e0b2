package io.mooseng.chunkserver.store;

import io.mooseng.core.model.ShardId;

/**
 * A record appended to the log but not yet known durable. The group-commit leader applies
 * it to the index after the fsync that covers it.
 *
 * @param location where the record was written (for a delete: the tombstone, which the
 *                 index never holds)
 * @param replaces for a compaction copy: the record copied, which the index must still
 *                 point to; else null
 */
record PendingRecord(long seq, RecordType type, ShardId id, Location location, Location replaces) {
}
