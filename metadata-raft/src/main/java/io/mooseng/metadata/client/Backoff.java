package io.mooseng.metadata.client;

import io.mooseng.core.error.Failures;
import io.mooseng.metadata.rpc.PermissionDeniedException;
import org.apache.ratis.retry.RetryPolicy;
import org.apache.ratis.util.TimeDuration;

import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

/**
 * Retries every failed attempt after a pause that doubles from 1 ms up to a ceiling, with
 * jitter. During a failover most attempts fail fast (a refused connection, "not leader",
 * "leader not ready"); short first pauses find the new leader within milliseconds of its
 * readiness, the ceiling keeps a long outage from turning into a flood of requests. A call
 * the member refused for the caller's role is not retried: every member would refuse it.
 */
final class Backoff implements RetryPolicy {
    private final long ceilingMicros;

    Backoff(Duration ceiling) {
        this.ceilingMicros = Math.max(1_000, ceiling.toNanos() / 1_000);
    }

    /** The pause after the given failed attempt (1 for the first). */
    long pauseMicros(int attempt) {
        long base = Math.min(ceilingMicros, 1_000L << Math.min(Math.max(attempt - 1, 0), 20));
        return (long) (base * (0.5 + ThreadLocalRandom.current().nextDouble()));
    }

    @Override
    public Action handleAttemptFailure(Event event) {
        if (Failures.unwrap(event.getCause()) instanceof PermissionDeniedException) {
            return NO_RETRY_ACTION;
        }
        TimeDuration pause = TimeDuration.valueOf(pauseMicros(event.getAttemptCount()), TimeUnit.MICROSECONDS);
        return () -> pause;
    }

    @Override
    public String toString() {
        return "Backoff(1 ms doubling to " + ceilingMicros / 1_000 + " ms)";
    }
}
