package io.mooseng.cli.node;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.mooseng.core.maintenance.ChunkserverFleet;
import io.mooseng.core.maintenance.MaintenanceService;
import io.mooseng.core.model.MaintenanceReport;

import java.util.function.BooleanSupplier;
import java.util.function.ToDoubleFunction;

/**
 * Meters of a master's maintenance service: its last report and its count of chunkservers.
 * Only the leader answers (the others 0, and their figures from an earlier leadership are
 * stale), so a sum over the masters is the cluster's figure.
 */
final class MaintenanceMetrics {
    private static final MaintenanceReport NONE = new MaintenanceReport(0, "", 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, "", 0, 0, 0, 0);

    private final MaintenanceService service;
    private final BooleanSupplier leading;

    private MaintenanceMetrics(MaintenanceService service, BooleanSupplier leading) {
        this.service = service;
        this.leading = leading;
    }

    static void bind(MeterRegistry registry, MaintenanceService service, BooleanSupplier leading) {
        // the gauges hold m strongly, so the counters' weak hold on it lasts as long
        MaintenanceMetrics m = new MaintenanceMetrics(service, leading);
        m.reportGauge(registry, "mooseng_blocks", MaintenanceReport::blocks);
        m.reportGauge(registry, "mooseng_blocks_under_replicated", MaintenanceReport::underReplicated);
        m.reportGauge(registry, "mooseng_blocks_endangered", MaintenanceReport::endangered);
        m.reportGauge(registry, "mooseng_blocks_lost", MaintenanceReport::lost);
        m.reportGauge(registry, "mooseng_repair_bytes_per_second", r -> r.repairMiBPerSecond() * 1048576);
        m.reportGauge(registry, "mooseng_recode_pending_objects", MaintenanceReport::recodePending);
        m.reportCounter(registry, "mooseng_repair_shards", MaintenanceReport::repairedShards);
        m.reportCounter(registry, "mooseng_repair_bytes", MaintenanceReport::repairedBytes);
        m.reportCounter(registry, "mooseng_recoded_objects", MaintenanceReport::recodedObjects);
        m.reportCounter(registry, "mooseng_rebalance_moved_shards", MaintenanceReport::movedShards);
        m.reportCounter(registry, "mooseng_gc_deleted_shards", MaintenanceReport::orphanShardsDeleted);
        m.reportCounter(registry, "mooseng_trash_purged_entries", MaintenanceReport::trashPurged);
        m.reportCounter(registry, "mooseng_lifecycle_expired_objects", MaintenanceReport::lifecycleExpired);
        m.reportCounter(registry, "mooseng_lifecycle_transitioned_objects", MaintenanceReport::lifecycleTransitioned);
        m.reportCounter(registry, "mooseng_lifecycle_aborted_uploads", MaintenanceReport::lifecycleAborted);
        m.reportGauge(registry, "mooseng_lifecycle_last_pass_timestamp_seconds", r -> r.lifecyclePassMillis() / 1000.0);
        Metrics.gauge(registry, "mooseng_chunkservers", Tags.of("state", "up"), m, x -> x.fleet().up());
        Metrics.gauge(registry, "mooseng_chunkservers", Tags.of("state", "lost"), m, x -> x.fleet().lost());
        Metrics.gauge(registry, "mooseng_cluster_capacity_bytes", Tags.empty(), m, x -> x.fleet().capacityBytes());
        Metrics.gauge(registry, "mooseng_cluster_used_bytes", Tags.empty(), m, x -> x.fleet().usedBytes());
    }

    private void reportGauge(MeterRegistry registry, String name, ToDoubleFunction<MaintenanceReport> value) {
        Metrics.gauge(registry, name, Tags.empty(), this, m -> value.applyAsDouble(m.report()));
    }

    private void reportCounter(MeterRegistry registry, String name, ToDoubleFunction<MaintenanceReport> value) {
        Metrics.counter(registry, name, Tags.empty(), this, m -> value.applyAsDouble(m.report()));
    }

    private MaintenanceReport report() {
        MaintenanceReport r = service.latest();
        return r == null || !leading.getAsBoolean() ? NONE : r;
    }

    private ChunkserverFleet fleet() {
        return leading.getAsBoolean() ? service.fleet() : ChunkserverFleet.NONE;
    }
}
