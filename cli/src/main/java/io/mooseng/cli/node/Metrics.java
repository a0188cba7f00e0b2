package io.mooseng.cli.node;

import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.mooseng.chunkserver.ChunkServer;
import io.mooseng.core.chunk.ec.ErasureCodecs;
import io.mooseng.core.memory.ByteBudget;
import io.mooseng.metadata.raft.MetadataServer;

import io.mooseng.core.maintenance.MaintenanceService;
import io.mooseng.core.model.MaintenanceReport;

import java.util.function.ToDoubleFunction;

/** The Prometheus gauges of each kind of node, named alike in every process. */
public final class Metrics {
    private Metrics() {
    }

    /** The registry of one process, with its JVM memory and GC gauges. */
    public static PrometheusMeterRegistry processRegistry() {
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        new JvmMemoryMetrics().bindTo(registry);
        new JvmGcMetrics().bindTo(registry);
        Gauge.builder("mooseng_erasure_kernel_info", () -> 1).tag("kernel", ErasureCodecs.kernel()).register(registry);
        return registry;
    }

    public static void bindMetadataPeer(MeterRegistry registry, MetadataServer server) {
        Gauge.builder("mooseng_raft_term", () -> server.status().term()).register(registry);
        Gauge.builder("mooseng_raft_commit_index", () -> server.status().commitIndex()).register(registry);
        Gauge.builder("mooseng_raft_applied_index", () -> server.status().lastAppliedIndex()).register(registry);
        Gauge.builder("mooseng_raft_snapshot_index", () -> server.status().snapshotIndex()).register(registry);
        Gauge.builder("mooseng_raft_leader", () -> server.status().leader() ? 1 : 0).register(registry);
    }

    /** Gauges of the maintenance service's last report (0 until this master has run a cycle as leader). */
    public static void bindMaintenance(MeterRegistry registry, MaintenanceService service) {
        maintenanceGauge(registry, service, "mooseng_blocks", MaintenanceReport::blocks);
        maintenanceGauge(registry, service, "mooseng_blocks_under_replicated", MaintenanceReport::underReplicated);
        maintenanceGauge(registry, service, "mooseng_blocks_endangered", MaintenanceReport::endangered);
        maintenanceGauge(registry, service, "mooseng_blocks_lost", MaintenanceReport::lost);
        maintenanceGauge(registry, service, "mooseng_repair_shards_total", MaintenanceReport::repairedShards);
        maintenanceGauge(registry, service, "mooseng_repair_bytes_total", MaintenanceReport::repairedBytes);
        maintenanceGauge(registry, service, "mooseng_repair_mib_per_second", MaintenanceReport::repairMiBPerSecond);
        maintenanceGauge(registry, service, "mooseng_recode_pending_objects", MaintenanceReport::recodePending);
        maintenanceGauge(registry, service, "mooseng_recoded_objects_total", MaintenanceReport::recodedObjects);
        maintenanceGauge(registry, service, "mooseng_rebalance_moved_shards_total", MaintenanceReport::movedShards);
        maintenanceGauge(registry, service, "mooseng_gc_deleted_shards_total", MaintenanceReport::orphanShardsDeleted);
        maintenanceGauge(registry, service, "mooseng_trash_purged_total", MaintenanceReport::trashPurged);
    }

    private static void maintenanceGauge(MeterRegistry registry, MaintenanceService service, String name,
                                         ToDoubleFunction<MaintenanceReport> value) {
        Gauge.builder(name, () -> {
            MaintenanceReport r = service.latest();
            return r == null ? 0 : value.applyAsDouble(r);
        }).register(registry);
    }

    /** Gauges of one byte budget, tagged with its name. */
    public static void bindBudget(MeterRegistry registry, ByteBudget budget) {
        Gauge.builder("mooseng_memory_budget_bytes", budget::capacity).tag("budget", budget.name()).register(registry);
        Gauge.builder("mooseng_memory_in_use_bytes", budget::inUse).tag("budget", budget.name()).register(registry);
        Gauge.builder("mooseng_memory_waiting_requests", budget::waiting).tag("budget", budget.name()).register(registry);
        Gauge.builder("mooseng_memory_granted_total", budget::granted).tag("budget", budget.name()).register(registry);
        Gauge.builder("mooseng_memory_refused_total", budget::refused).tag("budget", budget.name()).register(registry);
    }

    public static void bindChunkserver(MeterRegistry registry, ChunkServer cs) {
        Gauge.builder("mooseng_chunkserver_shards", () -> cs.store().usage().shards()).tag("node", cs.nodeId()).register(registry);
        Gauge.builder("mooseng_chunkserver_live_bytes", () -> cs.store().usage().liveBytes()).tag("node", cs.nodeId()).register(registry);
        Gauge.builder("mooseng_chunkserver_disk_bytes", () -> cs.store().usage().diskBytes()).tag("node", cs.nodeId()).register(registry);
        Gauge.builder("mooseng_chunkserver_free_bytes", () -> cs.store().usage().freeBytes()).tag("node", cs.nodeId()).register(registry);
        Gauge.builder("mooseng_chunkserver_scrubbed_bytes_total", () -> cs.scrubber().scrubbedBytes()).tag("node", cs.nodeId()).register(registry);
        Gauge.builder("mooseng_chunkserver_scrub_passes_total", () -> cs.scrubber().completedPasses()).tag("node", cs.nodeId()).register(registry);
        Gauge.builder("mooseng_chunkserver_quarantined_shards_total", () -> cs.store().quarantinedShards()).tag("node", cs.nodeId()).register(registry);
        Gauge.builder("mooseng_chunkserver_compacted_segments_total", () -> cs.store().compactedSegments()).tag("node", cs.nodeId()).register(registry);
        Gauge.builder("mooseng_chunkserver_compaction_reclaimed_bytes_total", () -> cs.store().reclaimedBytes()).tag("node", cs.nodeId()).register(registry);
    }
}
