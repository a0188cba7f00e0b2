package io.mooseng.cli.bench;

import io.mooseng.cli.ProgressOption;
import io.mooseng.core.model.ChunkserverInfo;
import io.mooseng.metadata.client.GroupAdmin;
import io.mooseng.core.status.MemberStatus;
import io.mooseng.metadata.client.MetadataClientConfig;
import io.mooseng.metadata.client.RaftMetadataService;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.IntFunction;

/**
 * {@code mooseng bench heartbeats}: many simulated chunkservers heartbeating running masters,
 * as a thousand real ones would: what each beat costs (latency, log entries added) when it
 * only refreshes the leader's memory, and when every beat registers through the log (a
 * changed capacity each time), which is what every heartbeat used to cost.
 */
@Command(name = "heartbeats", mixinStandardHelpOptions = true,
        description = "Chunkserver heartbeats at scale: latency and log entries per beat.")
public final class HeartbeatBench implements Callable<Integer> {
    @Option(names = "--masters", split = ",", required = true, description = "Raft addresses of running masters.")
    List<String> masters;

    @Option(names = "--nodes", defaultValue = "1000", description = "Simulated chunkservers (default: ${DEFAULT-VALUE}).")
    int nodes;

    @Option(names = "--interval-ms", defaultValue = "2000", description = "Heartbeat interval of each (default: ${DEFAULT-VALUE}).")
    long intervalMs;

    @Option(names = "--seconds", defaultValue = "20", description = "Length of each phase (default: ${DEFAULT-VALUE}).")
    int seconds;

    @Mixin
    ProgressOption progress;

    @Override
    public Integer call() throws Exception {
        GroupAdmin admin = GroupAdmin.connect(masters);
        try (RaftMetadataService md = RaftMetadataService.connect(masters, MetadataClientConfig.DEFAULTS)) {
            String run = Long.toHexString(System.nanoTime() & 0xffffff);
            System.out.printf("masters %s, %,d simulated chunkservers beating every %d ms, %d s per phase%n",
                    masters, nodes, intervalMs, seconds);
            long t0 = System.nanoTime();
            long c0 = leaderCommit(admin);
            CompletableFuture<?>[] first = new CompletableFuture<?>[nodes];
            for (int i = 0; i < nodes; i++) {
                first[i] = md.registerChunkserver(info(run, i, 0));
            }
            CompletableFuture.allOf(first).get(120, TimeUnit.SECONDS);
            System.out.printf("registered %,d chunkservers in %.1f s, %,d log entries%n", nodes, (System.nanoTime() - t0) / 1e9,
                    leaderCommit(admin) - c0);
            System.out.println("\n| phase | ops | ops/s | MiB/s | p50 ms | p99 ms | log entries/s |\n|---|---|---|---|---|---|---|");
            print(admin, "heartbeat to the leader's memory", beat -> md.registerChunkserver(info(run, beat % nodes, 0)));
            print(admin, "heartbeat through the log (capacity changed)", beat -> md.registerChunkserver(info(run, beat % nodes, beat / nodes + 1)));
        }
        return 0;
    }

    private static ChunkserverInfo info(String run, int node, long capacityDelta) {
        long capacity = (1L << 40) + capacityDelta;
        return new ChunkserverInfo("sim-" + run + "-" + node, "10.0." + (node >> 8) + "." + (node & 255) + ":9420",
                Map.of("zone", "z" + node % 3, "rack", "r" + node % 40), capacity, node, capacity - node, System.currentTimeMillis());
    }

    /** Beats {@code nodes} times per interval, evenly spread, for the phase's length; prints its row. */
    private void print(GroupAdmin admin, String name, IntFunction<CompletableFuture<Void>> beat) throws Exception {
        long beats = (long) nodes * seconds * 1000 / intervalMs;
        long gapNanos = intervalMs * 1_000_000 / nodes;
        long[] latencies = new long[(int) beats];
        List<CompletableFuture<Void>> all = new ArrayList<>((int) beats);
        AtomicLong failures = new AtomicLong();
        long c0 = leaderCommit(admin);
        long start = System.nanoTime();
        try (BenchProgress shown = BenchProgress.start(progress.mode, name, beats)) {
            for (int i = 0; i < beats; i++) {
                long due = start + i * gapNanos;
                long wait = due - System.nanoTime();
                if (wait > 0) {
                    TimeUnit.NANOSECONDS.sleep(wait);
                }
                int idx = i;
                long sent = System.nanoTime();
                all.add(beat.apply(i).whenComplete((ok, e) -> {
                    latencies[idx] = System.nanoTime() - sent;
                    shown.done(1);
                    if (e != null) {
                        failures.incrementAndGet();
                    }
                }));
            }
            CompletableFuture.allOf(all.toArray(CompletableFuture[]::new)).get(120, TimeUnit.SECONDS);
        }
        double elapsed = (System.nanoTime() - start) / 1e9;
        long entries = leaderCommit(admin) - c0;
        System.out.printf("%s %,.0f |%n", LatencyStats.of(name, latencies, 0, elapsed).row(), entries / elapsed);
        if (failures.get() > 0) {
            throw new IllegalStateException(failures.get() + " heartbeats failed in " + name);
        }
    }

    private static long leaderCommit(GroupAdmin admin) throws Exception {
        return admin.status().stream().filter(m -> m.role().equals("LEADER")).mapToLong(MemberStatus::commitIndex)
                .findFirst().orElseThrow(() -> new IllegalStateException("no leader"));
    }
}
