package io.mooseng.core.model;

import java.util.List;

/**
 * The namespace's changes after a log index, as a member keeps them in memory.
 *
 * @param horizon the member knows no change at or before this index: a caller asking from
 *                before it has missed changes and must drop everything it caches
 * @param last    the last index these changes cover; ask again after it
 */
public record NamespaceChanges(long horizon, long last, List<NamespaceChange> changes) {
    public NamespaceChanges {
        changes = List.copyOf(changes);
    }

    /** Whether changes after {@code after} were lost to this answer (the member restarted, or too many). */
    public boolean missed(long after) {
        return after < horizon;
    }
}
