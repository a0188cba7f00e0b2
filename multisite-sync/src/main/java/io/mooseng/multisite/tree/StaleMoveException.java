package io.mooseng.multisite.tree;

import io.mooseng.core.model.ZoneStamp;

/**
 * A move older than the point the log was truncated at: the undo information needed to slot it
 * into history is gone, so it cannot be applied. The caller declared that stamp causally stable
 * (every zone had every move before it), so this is a redelivered move or a broken stability
 * promise; either way it must not be applied.
 */
public final class StaleMoveException extends IllegalStateException {
    StaleMoveException(Move move, ZoneStamp truncatedBefore) {
        super("move " + move.stamp() + " of node " + move.child() + " is older than the truncation point "
                + truncatedBefore + ": its history was dropped as causally stable");
    }
}
