package io.mooseng.core.model;

import java.util.List;

/**
 * A page of one shard of a sync log.
 *
 * @param entries the entries after the position asked for, in order
 * @param head    the shard's last sequence number now
 * @param trimmed true when entries after the position asked for were already trimmed: the
 *                reader must full-sync instead
 */
public record SyncLogPage(List<SyncEntry> entries, long head, boolean trimmed) {
    public SyncLogPage {
        entries = List.copyOf(entries);
    }
}
