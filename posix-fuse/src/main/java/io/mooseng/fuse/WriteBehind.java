package io.mooseng.fuse;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;

/**
 * Namespace changes this mount made in its leased directories and answered before the
 * masters committed them. They are sent at once and in order (the metadata client sends in
 * submission order and batches what queues up), so the masters hold a prefix of them at any
 * time: a crash of the mount loses the newest, never leaves a hole. At most
 * {@value #MAX_PENDING} wait for their commit; more wait for room.
 */
final class WriteBehind {
    private static final Logger LOG = LoggerFactory.getLogger(WriteBehind.class);
    static final int MAX_PENDING = 4096;

    private final Set<CompletableFuture<?>> pending = ConcurrentHashMap.newKeySet();
    private final Semaphore room = new Semaphore(MAX_PENDING);
    private final AtomicLong lost = new AtomicLong();

    /** Sends a change ({@code send} submits it before returning) without waiting for its commit; {@code what} names it in a log if refused. */
    <T> void submit(Supplier<String> what, Supplier<CompletableFuture<T>> send) {
        room.acquireUninterruptibly();
        CompletableFuture<T> f;
        try {
            f = send.get();
        } catch (RuntimeException e) {
            room.release();
            throw e;
        }
        pending.add(f);
        f.whenComplete((v, e) -> {
            pending.remove(f);
            room.release();
            if (e != null) {
                lost.incrementAndGet();
                // answered already: nobody else will hear of it (fsync reports it)
                LOG.error("a change answered before its commit was refused by the masters: change={} cause={}", what.get(), e.toString());
            }
        });
    }

    /** Waits until every change submitted so far is committed or refused; @return how many were refused, ever. */
    long drain() {
        for (CompletableFuture<?> f : List.copyOf(pending)) {
            try {
                f.join();
            } catch (RuntimeException e) {
                // counted and logged by submit
            }
        }
        return lost.get();
    }

    int pending() {
        return pending.size();
    }
}
