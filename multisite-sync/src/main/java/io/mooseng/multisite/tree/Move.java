package io.mooseng.multisite.tree;

import io.mooseng.core.model.ObjectKey;

import java.nio.charset.StandardCharsets;
import java.util.Objects;

/**
 * One replicated namespace operation: place {@code child} under {@code newParent} as
 * {@code name}. It is the only operation: creating a node is a move of a new id, deleting one
 * is a move under {@link ReplicatedTree#TRASH}, a rename is a move under the same parent.
 *
 * <p>Node ids are stable and globally unique (the creating zone makes them so); the root and
 * the trash cannot be moved. A name is a single path segment as {@link ObjectKey} allows it:
 * not empty, not "." or "..", no '/' or NUL, at most {@value ObjectKey#MAX_SEGMENT_BYTES}
 * UTF-8 bytes.
 */
public record Move(Stamp stamp, long child, long newParent, String name) {
    public Move {
        Objects.requireNonNull(stamp, "stamp");
        if (child == ReplicatedTree.ROOT || child == ReplicatedTree.TRASH) {
            throw new IllegalArgumentException("the root and the trash cannot be moved: " + child);
        }
        if (name == null || name.isEmpty() || name.equals(".") || name.equals("..")
                || name.indexOf('/') >= 0 || name.indexOf('\0') >= 0
                || name.getBytes(StandardCharsets.UTF_8).length > ObjectKey.MAX_SEGMENT_BYTES) {
            throw new IllegalArgumentException("not a valid name: " + name);
        }
    }
}
