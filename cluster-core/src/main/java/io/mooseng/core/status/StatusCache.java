package io.mooseng.core.status;

import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.function.LongSupplier;

/**
 * The last answer of an expensive status reading, reused while younger than its max age: a
 * console open in many browsers asks the masters at most once per max age, whatever the
 * number of tabs. Callers that arrive while a reading runs wait for it and share it.
 */
public final class StatusCache<T> {
    private final Callable<T> reading;
    private final long maxAgeMillis;
    private final LongSupplier clock;
    private T last;
    private long readAtMillis;

    public StatusCache(Callable<T> reading, Duration maxAge, LongSupplier clock) {
        this.reading = reading;
        this.maxAgeMillis = maxAge.toMillis();
        this.clock = clock;
    }

    /** Blocking: the cached answer, or a new reading when it is older than the max age (or the last one failed). */
    public synchronized T get() throws Exception {
        long now = clock.getAsLong();
        if (last == null || now - readAtMillis >= maxAgeMillis) {
            last = reading.call();
            readAtMillis = now;
        }
        return last;
    }
}
