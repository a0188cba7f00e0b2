package io.mooseng.chunkserver.repair;

import io.mooseng.core.error.ErrorCode;
import io.mooseng.core.error.MooseException;

import java.util.ArrayDeque;
import java.util.Queue;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;

/**
 * Runs at most {@code running} asynchronous tasks at once; later ones wait their turn in
 * arrival order, up to {@code waiting} of them, and beyond that are refused. No thread is
 * held while waiting. Thread-safe.
 */
final class ConcurrencyLimit {
    private final String what;
    private final int maxRunning;
    private final int maxWaiting;
    private final Queue<Runnable> waiting = new ArrayDeque<>();
    private int running;

    /** @param what names the tasks in the error of a refused one */
    ConcurrencyLimit(String what, int maxRunning, int maxWaiting) {
        if (maxRunning < 1 || maxWaiting < 0) {
            throw new IllegalArgumentException("need maxRunning >= 1 and maxWaiting >= 0: " + maxRunning + ", " + maxWaiting);
        }
        this.what = what;
        this.maxRunning = maxRunning;
        this.maxWaiting = maxWaiting;
    }

    /**
     * Starts {@code task} now or once a slot frees up.
     *
     * @return the task's outcome, or INTERNAL at once if {@code maxWaiting} tasks already wait
     */
    <T> CompletableFuture<T> submit(Supplier<CompletableFuture<T>> task) {
        CompletableFuture<T> outcome = new CompletableFuture<>();
        Runnable start = () -> startNow(task, outcome);
        synchronized (this) {
            if (running < maxRunning) {
                running++;
            } else if (waiting.size() < maxWaiting) {
                waiting.add(start);
                return outcome;
            } else {
                return CompletableFuture.failedFuture(new MooseException(ErrorCode.INTERNAL,
                        what + " busy: " + running + " running and " + waiting.size() + " waiting; retry later"));
            }
        }
        start.run();
        return outcome;
    }

    private <T> void startNow(Supplier<CompletableFuture<T>> task, CompletableFuture<T> outcome) {
        CompletableFuture<T> started;
        try {
            started = task.get();
        } catch (RuntimeException e) {
            started = CompletableFuture.failedFuture(e);
        }
        started.whenComplete((value, failure) -> {
            release();
            if (failure == null) {
                outcome.complete(value);
            } else {
                outcome.completeExceptionally(failure);
            }
        });
    }

    /** Hands the slot to the next waiting task, or frees it. */
    private void release() {
        Runnable next;
        synchronized (this) {
            next = waiting.poll();
            if (next == null) {
                running--;
            }
        }
        if (next != null) {
            next.run();
        }
    }
}
