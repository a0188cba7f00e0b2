package io.mooseng.core.object;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;
import java.util.function.IntFunction;

/**
 * The one read-ahead of the data path: reads of an object's blocks by index, the next ones
 * requested ahead of the block being consumed. An S3 GET's reader takes each block once, in
 * order; an open file keeps the blocks it read (the kernel's read-ahead arrives slightly out
 * of order, and whole blocks make that order irrelevant). At most {@code keep} block reads
 * are held, the least recently used dropped first.
 *
 * <p>Not thread-safe: its owner serializes calls.
 */
public final class ReadAhead<T> {
    private final IntFunction<CompletableFuture<T>> fetch;
    private final int blocks;
    private final Map<Integer, CompletableFuture<T>> held;
    private final Consumer<? super T> dropped;

    /**
     * @param fetch  starts the read of block {@code i}
     * @param blocks how many blocks there are (indexes 0..blocks-1)
     * @param keep   block reads held at most; at least one more than any {@code ahead} asked for
     */
    public ReadAhead(IntFunction<CompletableFuture<T>> fetch, int blocks, int keep) {
        this(fetch, blocks, keep, block -> { });
    }

    /**
     * @param dropped gets each block read let go of (dropped or cleared) without being taken, once
     *                it completes: for an owner that only {@link #take}s, so nothing it drops was handed out
     */
    public ReadAhead(IntFunction<CompletableFuture<T>> fetch, int blocks, int keep, Consumer<? super T> dropped) {
        this.fetch = fetch;
        this.blocks = blocks;
        this.dropped = dropped;
        this.held = new LinkedHashMap<>(16, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<Integer, CompletableFuture<T>> eldest) {
                if (size() <= keep) {
                    return false;
                }
                eldest.getValue().thenAccept(dropped);
                return true;
            }
        };
    }

    /** Block {@code i}'s read, and the reads of the next {@code ahead} blocks started (0: a random read fetches no more). */
    public CompletableFuture<T> get(int i, int ahead) {
        CompletableFuture<T> block = held.computeIfAbsent(i, fetch::apply);
        for (int next = i + 1; next <= i + ahead && next < blocks; next++) {
            held.computeIfAbsent(next, fetch::apply);
        }
        return block;
    }

    /** As {@link #get}, then let go of block {@code i} (a reader that never comes back to it). */
    public CompletableFuture<T> take(int i, int ahead) {
        CompletableFuture<T> block = get(i, ahead);
        held.remove(i);
        return block;
    }

    /** Whether block {@code i}'s read is held (done or on its way). */
    public boolean holds(int i) {
        return held.containsKey(i);
    }

    /** Drops every read held. */
    public void clear() {
        held.values().forEach(read -> read.thenAccept(dropped));
        held.clear();
    }
}
