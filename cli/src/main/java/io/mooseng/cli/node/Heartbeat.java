package io.mooseng.cli.node;

import io.vertx.core.Vertx;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;

/**
 * Reports a node to the metadata service at a fixed interval (registration, capacity, liveness).
 * A beat that fails is logged once until one succeeds again: during a failover or while the
 * masters are down, the next beat simply tries again.
 */
public final class Heartbeat implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Heartbeat.class);

    private final Vertx vertx;
    private final String node;
    private final Supplier<CompletableFuture<Void>> beat;
    private final long timer;
    private volatile boolean failing;
    private volatile boolean inFlight;

    private Heartbeat(Vertx vertx, String node, Duration interval, Supplier<CompletableFuture<Void>> beat) {
        this.vertx = vertx;
        this.node = node;
        this.beat = beat;
        this.timer = vertx.setPeriodic(interval.toMillis(), id -> beatOnce());
    }

    /** Beats once now (the caller waits for it: a node is registered before it serves), then every interval. */
    public static Heartbeat start(Vertx vertx, String node, Duration interval, Supplier<CompletableFuture<Void>> beat)
            throws Exception {
        beat.get().get(60, java.util.concurrent.TimeUnit.SECONDS);
        return new Heartbeat(vertx, node, interval, beat);
    }

    /** Beats once now without waiting for it (a node that serves all the same), then every interval. */
    public static Heartbeat startInBackground(Vertx vertx, String node, Duration interval, Supplier<CompletableFuture<Void>> beat) {
        Heartbeat h = new Heartbeat(vertx, node, interval, beat);
        h.beatOnce();
        return h;
    }

    private void beatOnce() {
        if (inFlight) {
            return;
        }
        inFlight = true;
        // off the event loop: a beat may read the disk (a chunkserver's capacity is a statfs)
        vertx.executeBlocking(beat::get).toCompletionStage().thenCompose(f -> f).whenComplete((ok, e) -> {
            inFlight = false;
            if (e != null && !failing) {
                failing = true;
                LOG.warn("heartbeat failed, retrying: node={} cause={}", node, e.toString());
            } else if (e == null && failing) {
                failing = false;
                LOG.info("heartbeat recovered: node={}", node);
            }
        });
    }

    @Override
    public void close() {
        vertx.cancelTimer(timer);
    }
}
