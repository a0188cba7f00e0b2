package io.mooseng.chunkserver.repair;

import io.mooseng.core.error.ErrorCode;
import io.mooseng.core.error.MooseException;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ConcurrencyLimitTest {

    @Test
    void runsAtMostTheLimitAndStartsWaitersInOrder() throws Exception {
        ConcurrencyLimit limit = new ConcurrencyLimit("tasks", 2, 2);
        List<CompletableFuture<Integer>> started = new ArrayList<>();
        List<CompletableFuture<Integer>> outcomes = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            outcomes.add(limit.submit(() -> {
                CompletableFuture<Integer> task = new CompletableFuture<>();
                started.add(task);
                return task;
            }));
        }
        assertEquals(2, started.size(), "two run, two wait");

        MooseException refused = (MooseException) assertThrows(ExecutionException.class,
                () -> limit.submit(CompletableFuture::new).get()).getCause();
        assertEquals(ErrorCode.INTERNAL, refused.code());
        assertTrue(refused.getMessage().contains("tasks busy: 2 running and 2 waiting"), refused.getMessage());

        started.get(1).complete(1);
        assertEquals(1, outcomes.get(1).get());
        assertEquals(3, started.size(), "the first waiter took the freed slot");
        started.get(0).completeExceptionally(new IllegalStateException("boom"));
        assertTrue(outcomes.get(0).isCompletedExceptionally());
        assertEquals(4, started.size(), "a failure frees its slot too");
        assertFalse(outcomes.get(2).isDone());
    }

    @Test
    void aTaskThatThrowsFailsAndFreesItsSlot() throws Exception {
        ConcurrencyLimit limit = new ConcurrencyLimit("tasks", 1, 0);
        CompletableFuture<Integer> thrown = limit.submit(() -> {
            throw new IllegalStateException("boom");
        });
        assertTrue(thrown.isCompletedExceptionally());
        assertEquals(7, limit.submit(() -> CompletableFuture.completedFuture(7)).get());
    }
}
