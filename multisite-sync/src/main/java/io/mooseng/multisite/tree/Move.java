package io.mooseng.multisite.tree;

import io.mooseng.core.model.ZoneStamp;

import io.mooseng.core.model.ObjectKey;

import java.nio.charset.StandardCharsets;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * One replicated namespace operation: place {@code child} under {@code newParent} as
 * {@code name}. It is the only operation: creating a node is a move of a new id, deleting one
 * is a move under {@link ReplicatedTree#TRASH}, a rename is a move under the same parent.
 *
 * <p>Node ids are stable and globally unique (the creating zone makes them so); the root and
 * the trash cannot be moved. A name is a single path segment as {@link ObjectKey} allows it:
 * not empty, not "." or "..", no '/' or NUL, at most {@value ObjectKey#MAX_SEGMENT_BYTES}
 * UTF-8 bytes. The stamp's zone is 1 to 64 characters of {@code [A-Za-z0-9._-]}: it appears in
 * the shown names of colliding entries, which must stay valid names that parse back (no '~').
 */
public record Move(ZoneStamp stamp, long child, long newParent, String name) {
    private static final Pattern ZONE = Pattern.compile("[A-Za-z0-9._-]{1,64}");

    public Move {
        Objects.requireNonNull(stamp, "stamp");
        if (stamp.hlc() < 0 || !ZONE.matcher(stamp.zone()).matches()) {
            throw new IllegalArgumentException("a move's stamp needs hlc >= 0 and a zone of 1-64 characters of [A-Za-z0-9._-]: " + stamp);
        }
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
