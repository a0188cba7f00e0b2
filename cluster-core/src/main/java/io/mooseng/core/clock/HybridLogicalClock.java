package io.mooseng.core.clock;

import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;

/**
 * A hybrid logical clock (Kulkarni et al., 2014): timestamps that follow wall-clock time
 * yet never go backwards and always order a receive after its send, so zones can resolve
 * last-writer-wins conflicts without synchronised clocks.
 *
 * <p>A timestamp is one long: physical milliseconds since the epoch in the high 48 bits
 * and a logical counter in the low 16. Comparing timestamps as longs compares (millis,
 * counter) lexicographically. When the counter overflows it carries into the millis, so
 * the clock then runs at most a millisecond ahead of the wall clock per 65,536 events
 * in that millisecond; timestamps stay strictly increasing.
 *
 * <p>Thread-safe and lock-free: every {@link #now()} and {@link #update(long)} returns a
 * timestamp strictly greater than any this clock returned before, so no two calls, on any
 * threads, return the same value.
 */
public final class HybridLogicalClock {
    public static final int COUNTER_BITS = 16;
    public static final long MAX_COUNTER = (1L << COUNTER_BITS) - 1;
    /** Largest physical time a timestamp can hold (year 10889). */
    public static final long MAX_PHYSICAL_MILLIS = (1L << (Long.SIZE - COUNTER_BITS)) - 1;

    private final LongSupplier wallClockMillis;
    private final AtomicLong last = new AtomicLong();

    /** A clock on {@link System#currentTimeMillis()}. */
    public HybridLogicalClock() {
        this(System::currentTimeMillis);
    }

    /** A clock on the given wall clock (milliseconds since the epoch; tests inject their own). */
    public HybridLogicalClock(LongSupplier wallClockMillis) {
        this.wallClockMillis = wallClockMillis;
    }

    /** A timestamp for a local or send event: max(wall clock, last + 1). */
    public long now() {
        while (true) {
            long prev = last.get();
            long next = Math.max(wallTimestamp(), prev + 1);
            if (last.compareAndSet(prev, next)) {
                return next;
            }
        }
    }

    /**
     * A timestamp for receiving a message stamped {@code remote}: greater than both the
     * remote timestamp and everything this clock returned before, and not behind the wall
     * clock. The clock keeps the result, so later {@link #now()} calls follow it.
     */
    public long update(long remote) {
        while (true) {
            long prev = last.get();
            long next = Math.max(wallTimestamp(), Math.max(prev, remote) + 1);
            if (last.compareAndSet(prev, next)) {
                return next;
            }
        }
    }

    /** The last timestamp returned, or 0 if none yet. */
    public long last() {
        return last.get();
    }

    /** The timestamp with the given physical time and counter. */
    public static long timestamp(long physicalMillis, long counter) {
        if (physicalMillis < 0 || physicalMillis > MAX_PHYSICAL_MILLIS || counter < 0 || counter > MAX_COUNTER) {
            throw new IllegalArgumentException("timestamp out of range: " + physicalMillis + "ms, counter " + counter);
        }
        return physicalMillis << COUNTER_BITS | counter;
    }

    public static long physicalMillis(long timestamp) {
        return timestamp >>> COUNTER_BITS;
    }

    public static int counter(long timestamp) {
        return (int) (timestamp & MAX_COUNTER);
    }

    /** Readable form, e.g. {@code 1718000000123.7}. */
    public static String format(long timestamp) {
        return physicalMillis(timestamp) + "." + counter(timestamp);
    }

    private long wallTimestamp() {
        long millis = Math.min(Math.max(wallClockMillis.getAsLong(), 0), MAX_PHYSICAL_MILLIS);
        return millis << COUNTER_BITS;
    }
}
