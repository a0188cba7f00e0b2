package io.mooseng.metadata.store;

/** Term and index of a Raft log entry. */
public record LogPosition(long term, long index) {
    public static final LogPosition NONE = new LogPosition(0, -1);
}
