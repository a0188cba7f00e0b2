package io.mooseng.cli.bench;

import io.mooseng.cli.ProgressOption;
import io.mooseng.s3.auth.Presigner;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Callable;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code mooseng bench sync-lag}: how long a write in one zone takes to show in the others.
 * PUTs go to the writing zone at a steady rate; each observed zone is listed every
 * {@code --poll-ms} from the oldest key it has not shown yet, and a key's lag is the time from
 * its PUT's acknowledgement to the first listing that shows it (so it includes up to one poll
 * interval). Also reports the PUT latency in the writing zone: run once against a zone of a group
 * and once against a lone server to see what sync costs the writer.
 */
@Command(name = "sync-lag", mixinStandardHelpOptions = true, description = "Replication lag between zones under a steady PUT load.")
public final class SyncLagBench implements Callable<Integer> {
    private static final Pattern KEY = Pattern.compile("<Key>([^<]+)</Key>");

    @Option(names = "--write", required = true, paramLabel = "URL", description = "S3 endpoint of the writing zone.")
    URI write;

    @Option(names = "--observe", split = ",", paramLabel = "URL", description = "S3 endpoints of the zones to watch (none: only PUT latency).")
    List<URI> observe = List.of();

    @Option(names = "--access-key", defaultValue = "${env:MOOSENG_ACCESS_KEY}", required = true)
    String accessKey;

    @Option(names = "--secret-key", defaultValue = "${env:MOOSENG_SECRET_KEY}", required = true)
    String secretKey;

    @Option(names = "--bucket", defaultValue = "synclag")
    String bucket;

    @Option(names = "--rate", defaultValue = "200", description = "PUTs per second (default: ${DEFAULT-VALUE}).")
    int rate;

    @Option(names = "--seconds", defaultValue = "30")
    int seconds;

    @Option(names = "--size", defaultValue = "4096", description = "Object size in bytes (default: ${DEFAULT-VALUE}).")
    int size;

    @Option(names = "--poll-ms", defaultValue = "20")
    long pollMs;

    @Option(names = "--wait-seconds", defaultValue = "60", description = "How long to wait for the last keys to show.")
    int waitSeconds;

    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    @Mixin
    ProgressOption progress;

    @Override
    public Integer call() throws Exception {
        Presigner writer = new Presigner(write, accessKey, secretKey, "us-east-1");
        send(writer.presign("PUT", bucket, null, 300), new byte[0]); // 200 or 409 BucketAlreadyOwnedByYou: either will do
        String run = Long.toString(System.currentTimeMillis(), 36);
        int total = rate * seconds;
        long[] ackNanos = new long[total];
        long[] putNanos = new long[total];
        List<Observer> observers = new ArrayList<>();
        for (URI zone : observe) {
            Observer o = new Observer(new Presigner(zone, accessKey, secretKey, "us-east-1"), "lag/" + run + "/", ackNanos, total);
            observers.add(o);
            o.thread = Thread.ofVirtual().start(o);
        }
        byte[] body = new byte[size];
        Semaphore inFlight = new Semaphore(256);
        AtomicLong failed = new AtomicLong();
        long start = System.nanoTime();
        List<Thread> puts = new ArrayList<>(total);
        try (BenchProgress shown = BenchProgress.start(progress.mode, "PUT at " + write.getAuthority(), total)) {
            for (int i = 0; i < total; i++) {
                long due = start + (long) (i * 1e9 / rate);
                long wait = due - System.nanoTime();
                if (wait > 0) {
                    TimeUnit.NANOSECONDS.sleep(wait);
                }
                inFlight.acquire();
                int n = i;
                String url = writer.presign("PUT", bucket, key(run, n), 300);
                puts.add(Thread.ofVirtual().start(() -> {
                    long t0 = System.nanoTime();
                    try {
                        if (send(url, body) != 200) {
                            failed.incrementAndGet();
                        }
                    } catch (Exception e) {
                        failed.incrementAndGet();
                    } finally {
                        long t1 = System.nanoTime();
                        putNanos[n] = t1 - t0;
                        ackNanos[n] = t1;
                        inFlight.release();
                        shown.done(1);
                    }
                }));
            }
            for (Thread t : puts) {
                t.join();
            }
        }
        double writeSeconds = (System.nanoTime() - start) / 1e9;
        System.out.println(LatencyStats.header());
        System.out.println(LatencyStats.of("PUT " + size + " B at " + write.getAuthority(), putNanos, (long) total * size, writeSeconds).row()
                + (failed.get() > 0 ? " (" + failed.get() + " failed)" : ""));
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(waitSeconds);
        for (Observer o : observers) {
            o.thread.join(Math.max(1, TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime())));
            o.stop = true;
            o.thread.join();
            long[] lags = o.lags();
            LatencyStats s = LatencyStats.of("lag to " + o.zone(), lags, 0, writeSeconds);
            System.out.printf("%s (max %.1f ms; %d of %d keys seen)%n", s.row(), max(lags) / 1e6, lags.length, total);
        }
        return failed.get() == 0 && observers.stream().allMatch(o -> o.lags().length == total) ? 0 : 1;
    }

    private static String key(String run, int n) {
        return String.format("lag/%s/%08d", run, n);
    }

    private int send(String url, byte[] body) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url));
        b.PUT(HttpRequest.BodyPublishers.ofByteArray(body));
        return http.send(b.build(), HttpResponse.BodyHandlers.discarding()).statusCode();
    }

    private static long max(long[] values) {
        long m = 0;
        for (long v : values) {
            m = Math.max(m, v);
        }
        return m;
    }

    /** Lists one zone from the oldest key it has not shown, noting when each key first shows. */
    private final class Observer implements Runnable {
        private final Presigner signer;
        private final String prefix;
        private final long[] ackNanos;
        private final int total;
        private final Map<Integer, Long> seenNanos = new ConcurrentHashMap<>();
        private volatile boolean stop;
        private Thread thread;

        Observer(Presigner signer, String prefix, long[] ackNanos, int total) {
            this.signer = signer;
            this.prefix = prefix;
            this.ackNanos = ackNanos;
            this.total = total;
        }

        String zone() {
            return signer.presign("GET", bucket, null, 60).replaceAll("^https?://([^/]+)/.*$", "$1");
        }

        @Override
        public void run() {
            int oldestUnseen = 0;
            while (!stop && seenNanos.size() < total) {
                try {
                    String after = oldestUnseen == 0 ? null : key(prefix.split("/")[1], oldestUnseen - 1);
                    Map<String, String> params = after == null
                            ? Map.of("list-type", "2", "prefix", prefix, "max-keys", "1000")
                            : Map.of("list-type", "2", "prefix", prefix, "max-keys", "1000", "start-after", after);
                    String xml = http.send(HttpRequest.newBuilder(URI.create(signer.presign("GET", bucket, null, params, 60))).build(),
                            HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8)).body();
                    long now = System.nanoTime();
                    Matcher m = KEY.matcher(xml);
                    while (m.find()) {
                        seenNanos.putIfAbsent(Integer.parseInt(m.group(1).substring(prefix.length())), now);
                    }
                    while (oldestUnseen < total && seenNanos.containsKey(oldestUnseen)) {
                        oldestUnseen++;
                    }
                    Thread.sleep(pollMs);
                } catch (InterruptedException e) {
                    return;
                } catch (Exception e) {
                    // a zone that does not answer shows nothing this round
                }
            }
        }

        long[] lags() {
            return seenNanos.entrySet().stream().filter(e -> ackNanos[e.getKey()] != 0)
                    .mapToLong(e -> Math.max(0, e.getValue() - ackNanos[e.getKey()])).toArray();
        }
    }
}
