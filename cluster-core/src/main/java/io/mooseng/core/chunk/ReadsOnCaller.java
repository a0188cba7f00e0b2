package io.mooseng.core.chunk;

/**
 * Marks code whose thread waits for its shard reads anyway (a mount's FUSE thread answering a
 * read): a {@link ChunkClient} may then do such a read on that very thread, blocking on a socket
 * of its own, instead of handing it to an event loop that wakes the thread when the bytes came.
 * Each hand-off is a context switch, and on a small VM two of them cost about as much as serving
 * a 4 KiB random read from the chunkserver's memory (docs/BENCHMARKS.md, "Random 4 KiB reads").
 *
 * <p>Never bind it on an event loop: the read would block it.
 */
public final class ReadsOnCaller {
    private static final ScopedValue<Boolean> ALLOWED = ScopedValue.newInstance();

    private ReadsOnCaller() {
    }

    /** Runs {@code op} on this thread with reads beneath it allowed to block it. */
    public static <T, X extends Throwable> T call(ScopedValue.CallableOp<T, X> op) throws X {
        return ScopedValue.where(ALLOWED, Boolean.TRUE).call(op);
    }

    /**
     * Runs {@code op} with its reads handed to event loops again, as within {@link #call} they
     * would run one after another: for reads that should run at once (a degraded read's k shards).
     */
    public static <T, X extends Throwable> T inParallel(ScopedValue.CallableOp<T, X> op) throws X {
        return ScopedValue.where(ALLOWED, Boolean.FALSE).call(op);
    }

    /** Whether the current thread may block in a shard read. */
    public static boolean here() {
        return ALLOWED.orElse(Boolean.FALSE);
    }
}
