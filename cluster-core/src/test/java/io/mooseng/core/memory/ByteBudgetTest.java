package io.mooseng.core.memory;

import io.mooseng.core.error.ErrorCode;
import io.mooseng.core.error.MooseException;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ByteBudgetTest {
    private static final Duration LONG = Duration.ofSeconds(10);

    @Test
    void grantsWhileBytesLastThenQueuesInOrder() {
        ByteBudget budget = new ByteBudget("t", 100);
        ByteBudget.Grant a = budget.acquire(60, LONG).join();
        CompletableFuture<ByteBudget.Grant> b = budget.acquire(50, LONG);
        CompletableFuture<ByteBudget.Grant> c = budget.acquire(10, LONG);
        assertFalse(b.isDone());
        assertFalse(c.isDone(), "a small request does not overtake a waiting larger one");
        assertNull(budget.tryAcquire(10), "tryAcquire does not jump the queue either");
        assertEquals(2, budget.waiting());
        a.close();
        assertTrue(b.isDone() && c.isDone());
        assertEquals(60, budget.inUse());
        b.join().close();
        c.join().close();
        assertEquals(0, budget.inUse());
    }

    @Test
    void refusesWithSlowDownAfterTheWaitAndLetsTheQueueMoveOn() {
        ByteBudget budget = new ByteBudget("t", 100);
        ByteBudget.Grant held = budget.acquire(90, LONG).join();
        CompletableFuture<ByteBudget.Grant> big = budget.acquire(50, Duration.ofMillis(50));
        CompletableFuture<ByteBudget.Grant> small = budget.acquire(10, LONG);
        CompletionException e = assertThrows(CompletionException.class, big::join);
        assertEquals(ErrorCode.SLOW_DOWN, ((MooseException) e.getCause()).code());
        assertEquals(10, small.orTimeout(5, TimeUnit.SECONDS).join().bytes(), "the refused head no longer blocks the queue");
        assertEquals(1, budget.refused());
        held.close();
        small.join().close();
        assertEquals(0, budget.inUse());
    }

    @Test
    void aRequestLargerThanTheBudgetRunsAlone() {
        ByteBudget budget = new ByteBudget("t", 100);
        ByteBudget.Grant huge = budget.acquire(1_000, LONG).join();
        assertEquals(100, huge.bytes());
        assertNull(budget.tryAcquire(1));
        huge.close();
        huge.close(); // closing twice gives back once
        assertEquals(0, budget.inUse());
    }

    @Test
    void neverGrantsMoreThanItsCapacityUnderConcurrency() throws Exception {
        ByteBudget budget = new ByteBudget("t", 1_000);
        AtomicLong held = new AtomicLong();
        AtomicLong peak = new AtomicLong();
        ExecutorService pool = Executors.newFixedThreadPool(8);
        List<CompletableFuture<Void>> all = new ArrayList<>();
        for (int i = 0; i < 2_000; i++) {
            long size = 1 + ThreadLocalRandom.current().nextInt(300);
            all.add(budget.acquire(size, LONG).thenAcceptAsync(g -> {
                peak.accumulateAndGet(held.addAndGet(g.bytes()), Math::max);
                held.addAndGet(-g.bytes());
                g.close();
            }, pool));
        }
        CompletableFuture.allOf(all.toArray(CompletableFuture[]::new)).get(30, TimeUnit.SECONDS);
        pool.shutdown();
        assertTrue(peak.get() <= 1_000, "peak " + peak.get());
        assertEquals(0, budget.inUse());
        assertEquals(2_000, budget.granted());
    }
}
