package io.mooseng.core.model;

/** Shard {@code index} of a block now lives on {@code toNode} instead of {@code fromNode}. */
public record ShardMove(int index, String fromNode, String toNode) {
}
