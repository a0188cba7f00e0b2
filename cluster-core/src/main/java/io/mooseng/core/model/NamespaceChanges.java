package io.mooseng.core.model;

import java.util.List;

/**
 * The namespace's changes after a log index, as a member keeps them in memory, and what the
 * asking client's leases need.
 *
 * @param horizon the member knows no change at or before this index: a caller asking from
 *                before it has missed changes and must drop everything it caches
 * @param last    the last index these changes cover; ask again after it
 * @param recalls directories leased to the asking client that others are waiting for: flush
 *                the changes made under each, then release it
 * @param fence   the asking client's lease fence: it grows when the client's leases are taken
 *                away for silence, after which its requests carrying an older fence are refused
 */
public record NamespaceChanges(long horizon, long last, List<NamespaceChange> changes, List<LeasedDirectory> recalls, long fence) {
    public NamespaceChanges {
        changes = List.copyOf(changes);
        recalls = List.copyOf(recalls);
    }

    public NamespaceChanges(long horizon, long last, List<NamespaceChange> changes) {
        this(horizon, last, changes, List.of(), 0);
    }

    /** Whether changes after {@code after} were lost to this answer (the member restarted, or too many). */
    public boolean missed(long after) {
        return after < horizon;
    }

    /** This answer with what the asking client's leases need. */
    public NamespaceChanges withLeases(List<LeasedDirectory> recalled, long holderFence) {
        return new NamespaceChanges(horizon, last, changes, recalled, holderFence);
    }
}
