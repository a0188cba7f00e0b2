package io.mooseng.cli.node;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.mooseng.fuse.FuseMount;
import io.mooseng.fuse.MountStats;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * A mount's metrics: every FUSE request it answered, by kind, with its latency (a histogram)
 * and failures by errno; the changes it answered before their commit and not yet committed;
 * the directory leases it holds.
 */
public final class MountMetrics implements MountStats {
    private final MeterRegistry registry;
    private final Map<String, Timer> requests = new ConcurrentHashMap<>();
    private final Map<String, Counter> failures = new ConcurrentHashMap<>();

    public MountMetrics(MeterRegistry registry) {
        this.registry = registry;
    }

    @Override
    public void served(String request, long nanos, int errno) {
        requests.computeIfAbsent(request, r -> Timer.builder("mooseng.mount.requests").tag("request", r)
                .description("FUSE requests answered, and how long the mount took").publishPercentileHistogram()
                .register(registry)).record(nanos, TimeUnit.NANOSECONDS);
        if (errno != 0) {
            failures.computeIfAbsent(request + "/" + errno, k -> Counter.builder("mooseng.mount.request.failures")
                    .tag("request", request).tag("errno", Integer.toString(errno))
                    .description("FUSE requests answered with an error").register(registry)).increment();
        }
    }

    /** The mount's own gauges, once it is mounted. */
    public void bind(FuseMount mount) {
        Gauge.builder("mooseng.mount.pending.changes", mount, FuseMount::pendingChanges)
                .description("changes answered before their commit (in leased directories) and not committed yet").register(registry);
        Gauge.builder("mooseng.mount.leases", mount, FuseMount::heldLeases)
                .description("directory leases this mount holds").register(registry);
    }
}
