package io.mooseng.chunkserver.transport;

import java.util.concurrent.atomic.AtomicInteger;

/**
 * How many idle {@link CallerConnection}s the clients sharing it may keep together: each holds a
 * socket and a 68 KiB buffer, and a mount reading at random over many chunkservers would
 * otherwise keep some to every one of them.
 */
final class IdleLimit {
    private final int max;
    private final AtomicInteger idle = new AtomicInteger();

    IdleLimit(int max) {
        this.max = max;
    }

    /** @return whether one more may be kept; if so, {@link #release} it when it is taken or closed */
    boolean tryKeep() {
        for (int n = idle.get(); n < max; n = idle.get()) {
            if (idle.compareAndSet(n, n + 1)) {
                return true;
            }
        }
        return false;
    }

    void release() {
        idle.decrementAndGet();
    }

    int idle() {
        return idle.get();
    }
}
