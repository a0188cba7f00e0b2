package io.mooseng.core.model;

/**
 * A peer's change this zone's agent failed to apply several times in a row: set aside with its
 * error and retried later, while the rest of its shard moves on.
 *
 * @param sinceMillis when it was first set aside
 */
public record ParkedChange(SyncEntry entry, String error, long sinceMillis) {
}
