package io.mooseng.core.status;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class StatusCacheTest {
    private final AtomicLong clock = new AtomicLong(1_000);
    private final AtomicInteger readings = new AtomicInteger();

    @Test
    void aReadingServesEveryCallerUntilItIsOlderThanTheMaxAge() throws Exception {
        StatusCache<Integer> cache = new StatusCache<>(readings::incrementAndGet, Duration.ofSeconds(1), clock::get);
        for (int tab = 0; tab < 10; tab++) {
            assertEquals(1, cache.get());
        }
        clock.set(1_999);
        assertEquals(1, cache.get());
        clock.set(2_000);
        assertEquals(2, cache.get());
        assertEquals(2, readings.get());
    }

    @Test
    void aFailedReadingIsTriedAgainByTheNextCaller() throws Exception {
        boolean[] fail = {true};
        StatusCache<Integer> cache = new StatusCache<>(() -> {
            if (fail[0]) {
                throw new IOException("masters down");
            }
            return readings.incrementAndGet();
        }, Duration.ofSeconds(1), clock::get);
        assertThrows(IOException.class, cache::get);
        fail[0] = false;
        assertEquals(1, cache.get());
    }
}
