package io.mooseng.cli.node;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.FunctionCounter;
import io.mooseng.chunkserver.transport.ChunkClientOptions;
import io.mooseng.core.memory.ByteBudget;
import io.mooseng.core.metadata.KeySecrets;
import io.mooseng.core.metadata.MetadataService;
import io.mooseng.core.model.StorageClass;
import io.mooseng.core.object.ObjectServiceConfig;
import io.mooseng.multisite.PeerStatus;
import io.mooseng.multisite.SyncAgent;
import io.mooseng.multisite.SyncSettings;
import io.vertx.core.Vertx;

import java.util.HashSet;
import java.util.Set;
import java.util.function.BooleanSupplier;

/**
 * A cluster's multisite sync agent with its own data path (to store what peers wrote). It
 * writes as an ordinary client, not as background work: a peer's change in a directory a
 * mount leases recalls the lease like any other writer's. Idle until the cluster is a zone.
 */
public final class SyncNode implements AutoCloseable {
    private final DataPath data;
    private final SyncAgent agent;

    private SyncNode(DataPath data, SyncAgent agent) {
        this.data = data;
        this.agent = agent;
    }

    /**
     * @param metadata     an ordinary (not background) client: see the class comment
     * @param secrets      opens the sync key's secret from this zone's keys
     * @param chunkClients settings of its shard clients (with TLS: the master's certificate)
     */
    public static SyncNode start(Vertx vertx, MetadataService metadata, BooleanSupplier acting, ByteBudget budget, MeterRegistry registry,
                                 SyncSettings settings, KeySecrets secrets, ChunkClientOptions chunkClients) {
        DataPath data = DataPath.create(vertx, metadata, ObjectServiceConfig.defaults(StorageClass.EC_4_2), budget, chunkClients);
        SyncAgent agent = SyncAgent.start(data.objects(), acting, settings, secrets);
        SyncNode node = new SyncNode(data, agent);
        if (registry != null) {
            node.bindMetrics(registry);
        }
        return node;
    }

    public SyncAgent agent() {
        return agent;
    }

    /** Named after S3 Replication Time Control's metrics, per source zone. */
    private void bindMetrics(MeterRegistry registry) {
        Set<String> bound = new HashSet<>();
        // peers appear when the cluster joins a group: bind each on first sight, from a gauge read at every scrape
        Gauge.builder("mooseng_sync_peers", () -> {
            for (PeerStatus p : agent.peers()) {
                if (bound.add(p.peer())) {
                    bindPeer(registry, p);
                }
            }
            return agent.peers().size();
        }).description("Peer zones this zone pulls changes from").register(registry);
    }

    private void bindPeer(MeterRegistry registry, PeerStatus p) {
        String zone = p.peer();
        Gauge.builder("mooseng_sync_operations_pending", p, PeerStatus::pendingOperations).tag("source_zone", zone)
                .description("Changes in the source zone's log not applied here yet").register(registry);
        Gauge.builder("mooseng_sync_lag_seconds", p, s -> s.lagMillis(System.currentTimeMillis()) / 1000.0).tag("source_zone", zone)
                .description("How long the oldest change not applied here has waited").register(registry);
        Gauge.builder("mooseng_sync_replication_latency_seconds", p, s -> s.lastLatencyMillis() / 1000.0).tag("source_zone", zone)
                .description("From a change's stamp in its zone to its application here, of the last change applied").register(registry);
        Gauge.builder("mooseng_sync_operations_parked", p, PeerStatus::parked).tag("source_zone", zone)
                .description("Changes that kept failing, set aside and retried later").register(registry);
        FunctionCounter.builder("mooseng_sync_operations_replicated_total", p, PeerStatus::appliedOperations).tag("source_zone", zone)
                .description("Changes of the source zone applied here").register(registry);
        FunctionCounter.builder("mooseng_sync_bytes_replicated_total", p, PeerStatus::appliedBytes).tag("source_zone", zone)
                .description("Object bytes fetched from the source zone and stored here").register(registry);
        FunctionCounter.builder("mooseng_sync_operations_failed_total", p, PeerStatus::failures).tag("source_zone", zone)
                .description("Failed pulls from the source zone (retried)").register(registry);
        FunctionCounter.builder("mooseng_sync_anti_entropy_runs_total", p, PeerStatus::antiEntropyRuns).tag("source_zone", zone)
                .description("Anti-entropy comparisons with the source zone").register(registry);
        FunctionCounter.builder("mooseng_sync_anti_entropy_ranges_compared_total", p, PeerStatus::antiEntropyRanges).tag("source_zone", zone)
                .description("Digest ranges compared with the source zone's").register(registry);
        FunctionCounter.builder("mooseng_sync_anti_entropy_keys_repaired_total", p, PeerStatus::antiEntropyRepaired).tag("source_zone", zone)
                .description("Keys anti-entropy took from the source zone because the log had not brought them").register(registry);
        Gauge.builder("mooseng_sync_anti_entropy_last_run_timestamp_seconds", p,
                        s -> s.lastAntiEntropy() == null ? 0 : s.lastAntiEntropy().finishedMillis() / 1000.0).tag("source_zone", zone)
                .description("When the last anti-entropy comparison with the source zone ended (0: none since start)").register(registry);
    }

    @Override
    public void close() {
        agent.close();
        data.close();
    }
}
