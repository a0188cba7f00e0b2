package io.mooseng.multisite.tree;

/** Where a node is: its parent, the name it was given there, and the move that put it there. */
record Placement(long parent, String name, Stamp placedBy) {
}
