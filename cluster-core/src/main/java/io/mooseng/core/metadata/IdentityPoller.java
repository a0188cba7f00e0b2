package io.mooseng.core.metadata;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.concurrent.Callable;

/**
 * Asks the namespace each second whether users and keys changed, for those who follow them
 * (gateways' credentials, a mount's key): each round is one {@link IdentityStore#identities}
 * read, which answers only a version while nothing changed. A failed round is retried at the
 * next (the metadata group may be electing a leader). Runs on a virtual thread.
 */
public final class IdentityPoller implements AutoCloseable {
    public static final Duration EVERY = Duration.ofSeconds(1);
    private static final Logger LOG = LoggerFactory.getLogger(IdentityPoller.class);

    private final Thread thread;
    private volatile boolean closed;

    /** @param round reads and installs a change; runs every {@link #EVERY} until closed */
    public IdentityPoller(String name, Callable<?> round) {
        this.thread = Thread.ofVirtual().name(name).start(() -> {
            while (!closed) {
                try {
                    Thread.sleep(EVERY);
                    round.call();
                } catch (InterruptedException e) {
                    return;
                } catch (Exception e) {
                    LOG.debug("{}: {}", name, e.toString());
                }
            }
        });
    }

    @Override
    public void close() {
        closed = true;
        thread.interrupt();
    }
}
