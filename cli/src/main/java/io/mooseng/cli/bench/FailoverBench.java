package io.mooseng.cli.bench;

import io.mooseng.cli.ProgressOption;
import io.mooseng.s3.auth.Presigner;

import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.mooseng.cli.EmbeddedCluster;
import io.mooseng.cli.node.GatewayNode;
import io.mooseng.cli.node.MemoryPlan;
import io.mooseng.cli.node.ProcessVertx;
import io.mooseng.core.model.StorageClass;
import io.mooseng.core.object.ObjectServiceConfig;
import io.mooseng.metadata.client.GroupAdmin;
import io.mooseng.core.status.MemberStatus;
import io.mooseng.metadata.client.RaftMetadataService;
import io.mooseng.s3.S3GatewayConfig;
import io.mooseng.s3.auth.Credentials;
import io.vertx.core.Vertx;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Failover time under load: three masters run as child processes, a gateway in this process
 * serves writers that PUT small objects in a loop; the leader is killed with SIGKILL again
 * and again, and each kill is timed to the first PUT that started after it and was
 * acknowledged. At the end every acknowledged object is read back.
 */
@Command(name = "failover", mixinStandardHelpOptions = true,
        description = "Kill the metadata leader repeatedly under PUT load; time each kill to the next acknowledged PUT.")
public final class FailoverBench implements Callable<Integer> {
    @Option(names = "--kills", defaultValue = "20", description = "Leader kills (default: ${DEFAULT-VALUE}).")
    int kills;

    @Option(names = "--writers", defaultValue = "8", description = "Concurrent PUT loops (default: ${DEFAULT-VALUE}).")
    int writers;

    @Option(names = "--election-timeout-ms", defaultValue = "150", description = "Masters' minimum election timeout (default: ${DEFAULT-VALUE}).")
    long electionTimeoutMs;

    @Option(names = "--data", defaultValue = "./bench-failover", description = "Folder for the masters (default: ${DEFAULT-VALUE}).")
    Path data;

    private final List<String> acked = Collections.synchronizedList(new ArrayList<>());
    private final AtomicInteger failedPuts = new AtomicInteger();
    private volatile long killedAt = Long.MAX_VALUE;
    private final AtomicLong firstAckAfterKill = new AtomicLong();
    /** The longest any PUT took: a request caught in a leaderless stretch shows here, not in the first ack. */
    private final AtomicLong slowestPutNanos = new AtomicLong();
    private volatile boolean running = true;

    @Mixin
    ProgressOption progress;

    @Override
    public Integer call() throws Exception {
        Path run = Files.createTempDirectory(Files.createDirectories(data), "run");
        Map<String, ChildMaster> masters = new LinkedHashMap<>();
        List<String> addresses = new ArrayList<>();
        StringBuilder peers = new StringBuilder();
        for (int i = 1; i <= 3; i++) {
            String address = "127.0.0.1:" + EmbeddedCluster.freePort("127.0.0.1");
            addresses.add(address);
            peers.append(peers.length() == 0 ? "" : ",").append("m").append(i).append('=').append(address);
        }
        for (int i = 1; i <= 3; i++) {
            ChildMaster m = new ChildMaster("m" + i, addresses.get(i - 1), peers.toString(), run.resolve("m" + i), electionTimeoutMs);
            m.start();
            masters.put("m" + i, m);
        }
        GroupAdmin admin = GroupAdmin.connect(addresses);
        Vertx vertx = ProcessVertx.create();
        RaftMetadataService metadata = RaftMetadataService.connect(addresses);
        GatewayNode gateway = null;
        List<Thread> loops = new ArrayList<>();
        try {
            awaitLeader(admin, Duration.ofSeconds(60));
            String ak = "bench" + UUID.randomUUID().toString().substring(0, 8);
            String sk = UUID.randomUUID().toString();
            gateway = GatewayNode.start(vertx, metadata, "bench-gw", Credentials.single(ak, sk), S3GatewayConfig.of("127.0.0.1", 0),
                    ObjectServiceConfig.defaults(StorageClass.EC_4_2), MemoryPlan.of(0, true, false).objects(),
                    new PrometheusMeterRegistry(PrometheusConfig.DEFAULT),
                    Duration.ofSeconds(5));
            Presigner presigner = new Presigner(URI.create("http://127.0.0.1:" + gateway.port()), ak, sk, "us-east-1");
            HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
            check(http.send(HttpRequest.newBuilder(URI.create(presigner.presign("PUT", "failover", null, 600)))
                    .PUT(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.discarding()), "create bucket");
            for (int w = 0; w < writers; w++) {
                int id = w;
                Thread t = new Thread(() -> writeLoop(http, presigner, id), "failover-writer-" + w);
                t.start();
                loops.add(t);
            }
            Thread.sleep(3_000); // warm-up under load
            System.out.printf("3 masters (child JVMs, ZGC, election timeout %d-%d ms), %d writers of 1 KiB PUTs, %d cores%n",
                    electionTimeoutMs, 2 * electionTimeoutMs, writers, Runtime.getRuntime().availableProcessors());
            System.out.println("| kill | leader | kill -> next acknowledged PUT (ms) |\n|---|---|---|");
            List<Double> times = new ArrayList<>();
            try (BenchProgress shown = BenchProgress.start(progress.mode, "leader kills", kills)) {
                for (int k = 1; k <= kills; k++) {
                    String leader = awaitLeader(admin, Duration.ofSeconds(60));
                    firstAckAfterKill.set(0);
                    killedAt = System.nanoTime();
                    masters.get(leader).kill();
                    long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
                    while (firstAckAfterKill.get() == 0 && System.nanoTime() < deadline) {
                        Thread.sleep(1);
                    }
                    double ms = firstAckAfterKill.get() == 0 ? Double.NaN : (firstAckAfterKill.get() - killedAt) / 1e6;
                    killedAt = Long.MAX_VALUE;
                    times.add(ms);
                    System.out.printf("| %d | %s | %.0f |%n", k, leader, ms);
                    masters.get(leader).start();
                    awaitCaughtUp(admin, leader, Duration.ofSeconds(60));
                    Thread.sleep(1_000);
                    shown.done(1);
                }
            }
            running = false;
            for (Thread t : loops) {
                t.join();
            }
            List<Double> sorted = times.stream().sorted().toList();
            System.out.printf("%nkills %d: median %.0f ms, p90 %.0f ms, max %.0f ms; slowest PUT %d ms; PUTs acknowledged %d, failed %d%n",
                    kills, sorted.get(sorted.size() / 2), sorted.get((int) Math.ceil(sorted.size() * 0.9) - 1),
                    sorted.get(sorted.size() - 1), slowestPutNanos.get() / 1_000_000, acked.size(), failedPuts.get());
            int missing = 0;
            for (String key : acked) {
                HttpResponse<Void> r = http.send(HttpRequest.newBuilder(URI.create(presigner.presign("HEAD", "failover", key, 600)))
                        .method("HEAD", HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.discarding());
                if (r.statusCode() != 200) {
                    missing++;
                }
            }
            System.out.printf("verified: %d of %d acknowledged objects present, %d missing%n", acked.size() - missing, acked.size(), missing);
            return missing == 0 ? 0 : 1;
        } finally {
            running = false;
            if (gateway != null) {
                gateway.close();
            }
            metadata.close();
            vertx.close();
            for (ChildMaster m : masters.values()) {
                m.stop();
            }
        }
    }

    private void writeLoop(HttpClient http, Presigner presigner, int writer) {
        byte[] body = new byte[1024];
        for (long n = 0; running; n++) {
            String key = "w" + writer + "/" + n;
            long start = System.nanoTime();
            try {
                HttpResponse<Void> r = http.send(HttpRequest.newBuilder(URI.create(presigner.presign("PUT", "failover", key, 600)))
                        .PUT(HttpRequest.BodyPublishers.ofByteArray(body)).timeout(Duration.ofSeconds(60)).build(),
                        HttpResponse.BodyHandlers.discarding());
                if (r.statusCode() == 200) {
                    acked.add(key);
                    slowestPutNanos.accumulateAndGet(System.nanoTime() - start, Math::max);
                    if (start >= killedAt) {
                        firstAckAfterKill.compareAndSet(0, System.nanoTime());
                    }
                } else {
                    failedPuts.incrementAndGet();
                }
            } catch (Exception e) {
                failedPuts.incrementAndGet();
            }
        }
    }

    private static String awaitLeader(GroupAdmin admin, Duration timeout) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            try {
                Optional<MemberStatus> leader = admin.status().stream().filter(m -> m.role().equals("LEADER")).findFirst();
                if (leader.isPresent()) {
                    return leader.get().id();
                }
            } catch (java.io.IOException e) {
                // no master answers yet (starting)
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("no leader within " + timeout);
            }
            Thread.sleep(50);
        }
    }

    private static void awaitCaughtUp(GroupAdmin admin, String id, Duration timeout) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        List<MemberStatus> status = List.of();
        while (System.nanoTime() < deadline) {
            status = admin.status();
            if (status.stream().anyMatch(m -> m.id().equals(id) && !m.role().equals("DOWN") && m.lag() >= 0 && m.lag() < 100)) {
                return;
            }
            Thread.sleep(100);
        }
        throw new IllegalStateException("restarted master " + id + " did not catch up within " + timeout + ": " + status);
    }

    private static void check(HttpResponse<?> r, String what) {
        if (r.statusCode() != 200) {
            throw new IllegalStateException(what + " failed: HTTP " + r.statusCode());
        }
    }
}
