package io.mooseng.multisite.tree;

import io.mooseng.core.model.ZoneStamp;

/** Where a node is: its parent, the name it was given there, and the move that put it there. */
record Placement(long parent, String name, ZoneStamp placedBy) {
}
