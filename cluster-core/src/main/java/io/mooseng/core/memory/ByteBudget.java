package io.mooseng.core.memory;

import io.mooseng.core.error.ErrorCode;
import io.mooseng.core.error.MooseException;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A fixed number of bytes shared by the work of one process: request bodies, block and
 * coding buffers, transport buffers. Work asks for its bytes before it allocates them and
 * gives them back when done; what cannot be granted now waits, first come first served,
 * and is refused with {@link ErrorCode#SLOW_DOWN} after its wait. Work already granted is
 * never taken back, so it always finishes; a request larger than the whole budget is
 * clipped to it (it then runs alone).
 *
 * <p>Thread-safe and non-blocking: grants complete on the thread that released the bytes,
 * or at once on the caller's.
 */
public final class ByteBudget {
    private static final ScheduledThreadPoolExecutor TIMER = new ScheduledThreadPoolExecutor(1, r -> {
        Thread t = new Thread(r, "mooseng-budget-timer");
        t.setDaemon(true);
        return t;
    });

    static {
        // a waiter granted before its deadline cancels its timeout: drop it now, not when it would have fired
        TIMER.setRemoveOnCancelPolicy(true);
    }

    private final String name;
    private final long capacity;
    private final ArrayDeque<Waiter> waiters = new ArrayDeque<>();
    private final AtomicLong refused = new AtomicLong();
    private final AtomicLong granted = new AtomicLong();
    private long available;

    public ByteBudget(String name, long capacity) {
        if (capacity <= 0) {
            throw new IllegalArgumentException("budget " + name + " must be > 0 bytes: " + capacity);
        }
        this.name = name;
        this.capacity = capacity;
        this.available = capacity;
    }

    /**
     * Bytes granted now or within {@code maxWait}; fails with SLOW_DOWN after that. A grant is
     * released by closing it.
     */
    public CompletableFuture<Grant> acquire(long bytes, Duration maxWait) {
        long size = clip(bytes);
        Waiter w;
        synchronized (this) {
            if (waiters.isEmpty() && available >= size) {
                available -= size;
                return CompletableFuture.completedFuture(grant(size));
            }
            w = new Waiter(size);
            waiters.add(w);
        }
        w.timeout = TIMER.schedule(() -> expire(w), maxWait.toNanos(), TimeUnit.NANOSECONDS);
        return w.future;
    }

    /** Bytes granted now, or null: for work that would rather pause its source than queue. */
    public Grant tryAcquire(long bytes) {
        long size = clip(bytes);
        synchronized (this) {
            if (!waiters.isEmpty() || available < size) {
                return null;
            }
            available -= size;
        }
        return grant(size);
    }

    private long clip(long bytes) {
        if (bytes < 0) {
            throw new IllegalArgumentException("negative size: " + bytes);
        }
        return Math.min(bytes, capacity);
    }

    private Grant grant(long size) {
        granted.incrementAndGet();
        return new Grant(size);
    }

    private void expire(Waiter w) {
        synchronized (this) {
            if (!waiters.remove(w)) {
                return; // granted meanwhile
            }
        }
        refused.incrementAndGet();
        w.future.completeExceptionally(new MooseException(ErrorCode.SLOW_DOWN, "memory budget '" + name + "' is spent ("
                + capacity + " bytes in use by work in flight); retry later"));
        release(0); // the head may have been the one blocking smaller waiters behind it
    }

    private void release(long size) {
        ArrayDeque<Waiter> ready = new ArrayDeque<>();
        synchronized (this) {
            available += size;
            while (!waiters.isEmpty() && waiters.peek().size <= available) {
                Waiter w = waiters.poll();
                available -= w.size;
                ready.add(w);
            }
        }
        for (Waiter w : ready) {
            ScheduledFuture<?> timeout = w.timeout;
            if (timeout != null) {
                timeout.cancel(false);
            }
            Grant g = grant(w.size);
            if (!w.future.complete(g)) {
                g.close(); // the waiter gave up (cancelled)
            }
        }
    }

    public String name() {
        return name;
    }

    public long capacity() {
        return capacity;
    }

    public synchronized long available() {
        return available;
    }

    public long inUse() {
        return capacity - available();
    }

    public synchronized int waiting() {
        return waiters.size();
    }

    /** Requests refused after their wait, since start. */
    public long refused() {
        return refused.get();
    }

    /** Requests granted, since start. */
    public long granted() {
        return granted.get();
    }

    /** Bytes held by one piece of work; closing gives them back (once, whatever the number of calls). */
    public final class Grant implements AutoCloseable {
        private final long bytes;
        private final AtomicBoolean open = new AtomicBoolean(true);

        private Grant(long bytes) {
            this.bytes = bytes;
        }

        public long bytes() {
            return bytes;
        }

        @Override
        public void close() {
            if (open.compareAndSet(true, false)) {
                release(bytes);
            }
        }
    }

    private static final class Waiter {
        final long size;
        final CompletableFuture<Grant> future = new CompletableFuture<>();
        /** Set right after queueing; a grant racing ahead of it leaves the timer to find the waiter gone. */
        volatile ScheduledFuture<?> timeout;

        Waiter(long size) {
            this.size = size;
        }
    }
}
