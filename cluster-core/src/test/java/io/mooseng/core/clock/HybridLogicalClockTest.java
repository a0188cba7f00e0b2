package io.mooseng.core.clock;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class HybridLogicalClockTest {

    @Test
    void followsTheWallClock() {
        AtomicLong wall = new AtomicLong(1_000);
        HybridLogicalClock clock = new HybridLogicalClock(wall::get);
        long t = clock.now();
        assertEquals(1_000, HybridLogicalClock.physicalMillis(t));
        assertEquals(0, HybridLogicalClock.counter(t));
        assertEquals(HybridLogicalClock.timestamp(1_000, 1), clock.now(), "same millisecond: counter ticks");
        wall.set(1_005);
        assertEquals(HybridLogicalClock.timestamp(1_005, 0), clock.now(), "wall clock moved on: counter resets");
    }

    @Test
    void staysMonotonicWhenTheWallClockGoesBackwards() {
        AtomicLong wall = new AtomicLong(50_000);
        HybridLogicalClock clock = new HybridLogicalClock(wall::get);
        long previous = clock.now();
        for (int i = 0; i < 1_000; i++) {
            wall.addAndGet(i % 3 == 0 ? -7 : 2);
            long t = clock.now();
            assertTrue(t > previous, "timestamps must strictly increase");
            previous = t;
        }
    }

    @Test
    void counterOverflowCarriesIntoTheMillis() {
        HybridLogicalClock clock = new HybridLogicalClock(() -> 10);
        long t = 0;
        for (int i = 0; i <= HybridLogicalClock.MAX_COUNTER + 1; i++) {
            t = clock.now();
        }
        assertEquals(HybridLogicalClock.timestamp(11, 0), t);
    }

    @Test
    void updateMovesPastARemoteTimestampAhead() {
        AtomicLong wall = new AtomicLong(1_000);
        HybridLogicalClock clock = new HybridLogicalClock(wall::get);
        clock.now();
        long remote = HybridLogicalClock.timestamp(9_000, 4);
        long received = clock.update(remote);
        assertEquals(HybridLogicalClock.timestamp(9_000, 5), received);
        long next = clock.now();
        assertTrue(next > received, "later local events follow the received time");
        assertEquals(9_000, HybridLogicalClock.physicalMillis(next));
        wall.set(20_000);
        assertEquals(HybridLogicalClock.timestamp(20_000, 0), clock.update(remote), "a stale remote does not hold the clock back");
    }

    @Test
    void updateWithARemoteBehindStillTicks() {
        HybridLogicalClock clock = new HybridLogicalClock(() -> 5_000);
        long local = clock.now();
        long received = clock.update(HybridLogicalClock.timestamp(4_000, 0));
        assertTrue(received > local);
    }

    @Test
    void concurrentCallsNeverReturnDuplicates() throws Exception {
        HybridLogicalClock clock = new HybridLogicalClock();
        int threads = 4;
        int perThread = 50_000;
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        CountDownLatch start = new CountDownLatch(1);
        try {
            List<Future<long[]>> futures = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                int id = t;
                futures.add(pool.submit(() -> {
                    start.await();
                    long[] seen = new long[perThread];
                    for (int i = 0; i < perThread; i++) {
                        seen[i] = i % 10 == id ? clock.update(clock.last()) : clock.now();
                        if (i > 0) {
                            assertTrue(seen[i] > seen[i - 1], "monotonic within a thread");
                        }
                    }
                    return seen;
                }));
            }
            start.countDown();
            Set<Long> all = new HashSet<>();
            for (Future<long[]> f : futures) {
                for (long t : f.get()) {
                    assertTrue(all.add(t), "duplicate timestamp " + HybridLogicalClock.format(t));
                }
            }
            assertEquals(threads * perThread, all.size());
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void timestampPartsRoundTripAndAreChecked() {
        long t = HybridLogicalClock.timestamp(HybridLogicalClock.MAX_PHYSICAL_MILLIS, HybridLogicalClock.MAX_COUNTER);
        assertEquals(HybridLogicalClock.MAX_PHYSICAL_MILLIS, HybridLogicalClock.physicalMillis(t));
        assertEquals(HybridLogicalClock.MAX_COUNTER, HybridLogicalClock.counter(t));
        assertThrows(IllegalArgumentException.class, () -> HybridLogicalClock.timestamp(-1, 0));
        assertThrows(IllegalArgumentException.class, () -> HybridLogicalClock.timestamp(0, 1 << 16));
        assertEquals("1718000000123.7", HybridLogicalClock.format(HybridLogicalClock.timestamp(1_718_000_000_123L, 7)));
    }
}
