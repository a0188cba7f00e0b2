package io.mooseng.cli.bench;

import java.util.Arrays;

/** Throughput and latency percentiles of one benchmark phase. */
public record LatencyStats(String name, long ops, long bytes, double seconds, double p50Millis, double p99Millis) {

    public static LatencyStats of(String name, long[] latencyNanos, long bytes, double seconds) {
        long[] sorted = latencyNanos.clone();
        Arrays.sort(sorted);
        return new LatencyStats(name, sorted.length, bytes, seconds, percentile(sorted, 0.50), percentile(sorted, 0.99));
    }

    private static double percentile(long[] sorted, double p) {
        if (sorted.length == 0) {
            return 0;
        }
        int i = (int) Math.min(sorted.length - 1, Math.ceil(p * sorted.length) - 1);
        return sorted[Math.max(0, i)] / 1e6;
    }

    public double opsPerSecond() {
        return ops / seconds;
    }

    public double mibPerSecond() {
        return bytes / seconds / (1 << 20);
    }

    public String row() {
        return String.format("| %s | %d | %.0f | %.1f | %.2f | %.2f |", name, ops, opsPerSecond(), mibPerSecond(), p50Millis, p99Millis);
    }

    public static String header() {
        return "| phase | ops | ops/s | MiB/s | p50 ms | p99 ms |\n|---|---|---|---|---|---|";
    }
}
