package io.mooseng.core.notify;

import io.mooseng.core.metadata.NotificationQueue;
import io.mooseng.core.model.NotificationEvent;
import io.mooseng.core.model.NotifyTarget;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.BooleanSupplier;

/**
 * Delivers bucket notifications from the namespace's queue while this master leads: each event
 * is POSTed to its target as an S3 event document ({@link S3EventJson}) and acknowledged (removed
 * from the queue) after a 2xx answer. A target that fails is retried with exponential backoff,
 * and its later events wait behind the failed one, so a target gets its events in order.
 * Delivery is at least once: an event delivered just before a leader failover, or whose
 * acknowledgement was lost, is delivered again by the next leader. Runs on one virtual thread.
 */
public final class NotificationSender implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(NotificationSender.class);
    /** What events name as their region where no region is configured (masters have none). */
    public static final String DEFAULT_REGION = "us-east-1";

    /**
     * @param idlePoll   how long to wait when there is nothing to deliver (or this master does not lead)
     * @param firstRetry the wait after a target's first failure, doubled with each further one up to {@code maxRetry}
     * @param batch      events read from the queue per round
     */
    public record Settings(Duration idlePoll, Duration firstRetry, Duration maxRetry, Duration requestTimeout, int batch) {
        public static final Settings DEFAULTS = new Settings(Duration.ofMillis(250), Duration.ofMillis(200), Duration.ofSeconds(60),
                Duration.ofSeconds(10), 500);
    }

    /** A failing target: how many failures in a row, and when it may be tried again. */
    private record Backoff(int failures, long retryAtNanos) {
    }

    private final NotificationQueue queue;
    private final BooleanSupplier leading;
    private final S3EventJson json;
    private final Settings settings;
    private final HttpClient http;
    private final Map<String, Backoff> failing = new HashMap<>();
    private final Thread thread;
    private volatile boolean closed;

    private NotificationSender(NotificationQueue queue, BooleanSupplier leading, String region, Settings settings) {
        this.queue = queue;
        this.leading = leading;
        this.json = new S3EventJson(region);
        this.settings = settings;
        this.http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(settings.requestTimeout()).build();
        this.thread = Thread.ofVirtual().name("notification-sender").unstarted(this::run);
    }

    /** @param region what the events name as awsRegion */
    public static NotificationSender start(NotificationQueue queue, BooleanSupplier leading, String region, Settings settings) {
        NotificationSender s = new NotificationSender(queue, leading, region, settings);
        s.thread.start();
        return s;
    }

    private void run() {
        while (!closed) {
            boolean delivered = false;
            try {
                delivered = leading.getAsBoolean() && round();
            } catch (InterruptedException e) {
                return;
            } catch (ExecutionException | TimeoutException | RuntimeException e) {
                LOG.debug("notification round failed; retrying", e); // a leader change or a slow master: the next round retries
            }
            if (!delivered) {
                try {
                    Thread.sleep(settings.idlePoll());
                } catch (InterruptedException e) {
                    return;
                }
            }
        }
    }

    /** Tries every queued event whose target is not waiting out a backoff; @return whether any left the queue. */
    private boolean round() throws InterruptedException, ExecutionException, TimeoutException {
        List<NotificationEvent> events = await(queue.pendingNotifications(0, settings.batch()));
        if (events.isEmpty()) {
            return false;
        }
        Map<String, String> urls = new HashMap<>();
        for (NotifyTarget t : await(queue.notifyTargets())) {
            urls.put(t.name(), t.url());
        }
        List<Long> done = new ArrayList<>();
        long now = System.nanoTime();
        for (NotificationEvent e : events) {
            Backoff b = failing.get(e.target());
            if (b != null && now - b.retryAtNanos() < 0) {
                continue;
            }
            String url = urls.get(e.target());
            if (url == null) {
                LOG.warn("dropping notification {} of {}/{}: target {} no longer exists", e.sequence(), e.bucket(), e.key(), e.target());
                done.add(e.sequence());
            } else if (deliver(url, e)) {
                if (failing.remove(e.target()) != null) {
                    LOG.info("notification target {} accepts events again", e.target());
                }
                done.add(e.sequence());
            } else {
                int failures = b == null ? 1 : b.failures() + 1;
                long wait = Math.min(settings.maxRetry().toNanos(), settings.firstRetry().toNanos() << Math.min(failures - 1, 30));
                failing.put(e.target(), new Backoff(failures, System.nanoTime() + wait));
                now = System.nanoTime();
            }
        }
        if (!done.isEmpty()) {
            await(queue.ackNotifications(done.stream().mapToLong(Long::longValue).toArray()));
        }
        return !done.isEmpty();
    }

    private boolean deliver(String url, NotificationEvent e) throws InterruptedException {
        try {
            HttpResponse<Void> res = http.send(HttpRequest.newBuilder(URI.create(url)).timeout(settings.requestTimeout())
                    .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(json.of(e))).build(),
                    HttpResponse.BodyHandlers.discarding());
            if (res.statusCode() / 100 == 2) {
                return true;
            }
            logFailure(e, "HTTP " + res.statusCode());
        } catch (IOException | IllegalArgumentException ex) {
            logFailure(e, ex.toString());
        }
        return false;
    }

    /** The first failure of a run of them is a warning; the retries of it only debug lines. */
    private void logFailure(NotificationEvent e, String why) {
        if (failing.containsKey(e.target())) {
            LOG.debug("notification target {} still fails: {}", e.target(), why);
        } else {
            LOG.warn("notification target {} failed ({}); retrying with backoff", e.target(), why);
        }
    }

    private <T> T await(java.util.concurrent.CompletableFuture<T> f) throws InterruptedException, ExecutionException, TimeoutException {
        return f.get(settings.requestTimeout().toMillis(), TimeUnit.MILLISECONDS);
    }

    @Override
    public void close() {
        closed = true;
        thread.interrupt();
        http.close();
    }
}
