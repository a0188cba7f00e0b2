package io.mooseng.cli.node;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.mooseng.chunkserver.ChunkServer;
import io.mooseng.metadata.raft.MetadataServer;

/** The Prometheus gauges of each kind of node, named alike in every process. */
public final class Metrics {
    private Metrics() {
    }

    public static void bindJvm(MeterRegistry registry) {
        new JvmMemoryMetrics().bindTo(registry);
        new JvmGcMetrics().bindTo(registry);
    }

    public static void bindMetadataPeer(MeterRegistry registry, MetadataServer server) {
        Gauge.builder("mooseng_raft_term", () -> server.status().term()).register(registry);
        Gauge.builder("mooseng_raft_commit_index", () -> server.status().commitIndex()).register(registry);
        Gauge.builder("mooseng_raft_applied_index", () -> server.status().lastAppliedIndex()).register(registry);
        Gauge.builder("mooseng_raft_snapshot_index", () -> server.status().snapshotIndex()).register(registry);
        Gauge.builder("mooseng_raft_leader", () -> server.status().leader() ? 1 : 0).register(registry);
    }

    public static void bindChunkserver(MeterRegistry registry, ChunkServer cs) {
        Gauge.builder("mooseng_chunkserver_shards", () -> cs.store().usage().shards()).tag("node", cs.nodeId()).register(registry);
        Gauge.builder("mooseng_chunkserver_live_bytes", () -> cs.store().usage().liveBytes()).tag("node", cs.nodeId()).register(registry);
        Gauge.builder("mooseng_chunkserver_disk_bytes", () -> cs.store().usage().diskBytes()).tag("node", cs.nodeId()).register(registry);
        Gauge.builder("mooseng_chunkserver_free_bytes", () -> cs.store().usage().freeBytes()).tag("node", cs.nodeId()).register(registry);
    }
}
