package io.mooseng.cli.node;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.mooseng.chunkserver.ChunkServer;
import io.mooseng.core.chunk.ec.ErasureCodecs;
import io.mooseng.core.memory.ByteBudget;
import io.mooseng.core.memory.LentBytes;
import io.prometheus.metrics.core.metrics.Info;

import java.util.function.ToDoubleFunction;

/**
 * The Prometheus meters of each kind of node, named alike in every process: {@code mooseng_},
 * snake_case, base units in the name, and counters (which Micrometer names with {@code _total})
 * for every figure that only grows. The README's "Metrics" table lists them all.
 */
public final class Metrics {
    private Metrics() {
    }

    /**
     * The registry of one process, with its JVM memory and GC meters, the shard bytes its
     * transport has lent out, and the kernel it codes with.
     */
    public static PrometheusMeterRegistry processRegistry() {
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        new JvmMemoryMetrics().bindTo(registry);
        new JvmGcMetrics().bindTo(registry);
        gauge(registry, "mooseng_memory_lent_bytes", Tags.empty(), registry, r -> LentBytes.outstanding());
        // Micrometer has no info type (it would drop the _info suffix of a gauge): Prometheus' own
        Info.builder().name("mooseng_erasure_kernel_info").labelNames("kernel")
                .register(registry.getPrometheusRegistry()).setLabelValues(ErasureCodecs.kernel());
        return registry;
    }

    /** Meters of one byte budget, tagged with its name. */
    public static void bindBudget(MeterRegistry registry, ByteBudget budget) {
        Tags tags = Tags.of("budget", budget.name());
        gauge(registry, "mooseng_memory_budget_bytes", tags, budget, ByteBudget::capacity);
        gauge(registry, "mooseng_memory_in_use_bytes", tags, budget, ByteBudget::inUse);
        gauge(registry, "mooseng_memory_waiting_requests", tags, budget, ByteBudget::waiting);
        counter(registry, "mooseng_memory_granted_requests", tags, budget, ByteBudget::granted);
        counter(registry, "mooseng_memory_refused_requests", tags, budget, ByteBudget::refused);
    }

    /** Meters of one chunkserver's store, tagged with its id (a {@code mooseng server} runs several). */
    public static void bindChunkserver(MeterRegistry registry, ChunkServer cs) {
        Tags node = Tags.of("node", cs.nodeId());
        gauge(registry, "mooseng_chunkserver_shards", node, cs, c -> c.store().usage().shards());
        gauge(registry, "mooseng_chunkserver_capacity_bytes", node, cs, c -> c.store().usage().capacityBytes());
        gauge(registry, "mooseng_chunkserver_live_bytes", node, cs, c -> c.store().usage().liveBytes());
        gauge(registry, "mooseng_chunkserver_disk_bytes", node, cs, c -> c.store().usage().diskBytes());
        gauge(registry, "mooseng_chunkserver_free_bytes", node, cs, c -> c.store().usage().freeBytes());
        counter(registry, "mooseng_chunkserver_scrubbed_bytes", node, cs, c -> c.scrubber().scrubbedBytes());
        counter(registry, "mooseng_chunkserver_scrub_passes", node, cs, c -> c.scrubber().completedPasses());
        counter(registry, "mooseng_chunkserver_quarantined_shards", node, cs, c -> c.store().quarantinedShards());
        counter(registry, "mooseng_chunkserver_compacted_segments", node, cs, c -> c.store().compactedSegments());
        counter(registry, "mooseng_chunkserver_compaction_reclaimed_bytes", node, cs, c -> c.store().reclaimedBytes());
    }

    /** A gauge read from {@code source} at each scrape. */
    static <T> void gauge(MeterRegistry registry, String name, Tags tags, T source, ToDoubleFunction<T> value) {
        Gauge.builder(name, source, value).tags(tags).strongReference(true).register(registry);
    }

    /**
     * A counter read from {@code source} at each scrape (a figure the source counts itself);
     * {@code name} without {@code _total}, which the Prometheus registry appends. The source
     * must outlive the registry's use of it: the meter holds it weakly.
     */
    static <T> void counter(MeterRegistry registry, String name, Tags tags, T source, ToDoubleFunction<T> value) {
        FunctionCounter.builder(name, source, value).tags(tags).register(registry);
    }
}
