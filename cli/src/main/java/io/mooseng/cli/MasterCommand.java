package io.mooseng.cli;

import io.mooseng.chunkserver.transport.ChunkClientOptions;
import io.mooseng.core.notify.NotificationSender;
import io.mooseng.core.config.HostPort;
import io.mooseng.core.metadata.KeySecrets;
import io.mooseng.core.security.ClusterTls;
import io.mooseng.metadata.client.MetadataClientConfig;
import io.mooseng.metadata.raft.MetadataServer;
import io.mooseng.metadata.raft.MetadataServerConfig;
import io.mooseng.metadata.raft.RaftMember;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.mooseng.cli.node.MaintenanceNode;
import io.mooseng.cli.node.SyncNode;
import io.mooseng.cli.node.Metrics;
import io.mooseng.cli.node.RaftMetrics;
import io.mooseng.cli.node.MetricsEndpoint;
import io.mooseng.cli.node.ProcessVertx;
import io.mooseng.core.maintenance.MaintenanceConfig;
import io.mooseng.core.memory.ByteBudget;
import io.mooseng.metadata.client.RaftMetadataService;
import io.vertx.core.Vertx;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;

/** {@code mooseng master}: one voting member of the metadata Raft group. */
@Command(name = "master", mixinStandardHelpOptions = true,
        description = "Run one metadata server (master) of a group of 1, 3 or 5.")
final class MasterCommand implements Callable<Integer> {
    @Option(names = "--id", required = true, description = "This master's id, as in --peers (e.g. m1).")
    String id;

    @Option(names = "--data", required = true, paramLabel = "DIR", description = "Folder of the Raft log and the metadata database.")
    Path data;

    @Option(names = "--raft-address", required = true, paramLabel = "HOST:PORT", description = "Where this master listens.")
    String raftAddress;

    @Option(names = "--peers", required = true, paramLabel = "ID=HOST:PORT,...",
            description = "Every master of the group, this one included (e.g. m1=10.0.0.1:9419,m2=10.0.0.2:9419,m3=10.0.0.3:9419); with --join, the current ones.")
    String peers;

    @Option(names = "--join", description = "Join a running group: --peers lists its current masters (without this one); "
            + "the master waits until `mooseng admin master add` adds it.")
    boolean join;

    @Option(names = "--election-timeout-ms", defaultValue = "150", paramLabel = "MS",
            description = "Minimum election timeout; the maximum is twice it. Leader loss to new leader takes about this long (default: ${DEFAULT-VALUE}).")
    long electionTimeoutMs;

    @Option(names = "--snapshot-every", defaultValue = "" + MetadataServerConfig.DEFAULT_SNAPSHOT_THRESHOLD, paramLabel = "ENTRIES",
            description = "Log entries between automatic snapshots; the log is purged behind each (default: ${DEFAULT-VALUE}).")
    long snapshotEvery;

    @Option(names = "--maintenance-interval-ms", defaultValue = "10000", paramLabel = "MS",
            description = "Pause between maintenance cycles of the leader: repair, GC, rebalancing, re-coding, trash expiry (default: ${DEFAULT-VALUE}).")
    long maintenanceIntervalMs;

    @Option(names = "--census-interval-ms", defaultValue = "600000", paramLabel = "MS",
            description = "Pause between full censuses (every chunkserver's inventory against the metadata), which find garbage and "
                    + "unreported losses; one also runs when this master takes over (default: ${DEFAULT-VALUE}, 10 minutes).")
    long censusIntervalMs;

    @Option(names = "--chunkserver-timeout-ms", defaultValue = "60000", paramLabel = "MS",
            description = "A chunkserver silent this long is lost and its shards are rebuilt elsewhere (default: ${DEFAULT-VALUE}).")
    long chunkserverTimeoutMs;

    @Option(names = "--repair-rate-mib", defaultValue = "64", paramLabel = "MIB",
            description = "MiB/s of shards rebuilt or moved at most, so client I/O keeps flowing; 0 = unbounded (default: ${DEFAULT-VALUE}).")
    long repairRateMib;

    @Option(names = "--gc-grace-ms", defaultValue = "3600000", paramLabel = "MS",
            description = "A shard no block references is deleted after staying unreferenced this long (default: ${DEFAULT-VALUE}).")
    long gcGraceMs;

    @Option(names = "--trash-retention-ms", defaultValue = "86400000", paramLabel = "MS",
            description = "How long deleted objects stay restorable in buckets using the cluster default (default: ${DEFAULT-VALUE}, one day).")
    long trashRetentionMs;

    @Option(names = "--lifecycle-rate", defaultValue = "100", paramLabel = "N",
            description = "Bucket lifecycle actions (expirations, version removals, upload aborts) per second at most (default: ${DEFAULT-VALUE}).")
    int lifecycleRate;

    @Option(names = "--lifecycle-day-ms", defaultValue = "86400000", paramLabel = "MS",
            description = "The length of a lifecycle rule's day (default: ${DEFAULT-VALUE}); shorten it only to try rules out.")
    long lifecycleDayMs;

    @Option(names = "--metrics-address", paramLabel = "HOST:PORT",
            description = "Serve Prometheus metrics (Raft, maintenance) at HOST:PORT/metrics (HTTPS with a client certificate of the cluster CA required when TLS is on) (default: off).")
    String metricsAddress;

    @Mixin
    MemoryOption memory;

    @Mixin
    TlsOption tlsOption;

    @Mixin
    AuditLogOption auditLog;

    @Mixin
    SyncOption syncOption;

    @Override
    public Integer call() throws Exception {
        RaftMember self = new RaftMember(id, HostPort.parse(raftAddress).toString());
        List<RaftMember> members = RaftMember.parseList(peers);
        if (!join && members.stream().noneMatch(m -> m.equals(self))) {
            throw new IllegalArgumentException("--peers " + peers + " must list this master as " + self);
        }
        List<String> groupAddresses = members.stream().map(RaftMember::address).toList();
        List<String> addresses = new java.util.ArrayList<>(groupAddresses);
        addresses.add(self.address());
        if (metricsAddress != null) {
            addresses.add(metricsAddress);
        }
        ClusterTls tls = tlsOption.resolve(data.resolve("tls"), addresses);
        MetadataServerConfig config = (join ? MetadataServerConfig.joining(self, members, data.resolve("meta"))
                : MetadataServerConfig.member(self, members, data.resolve("meta")))
                .withElectionTimeout(Duration.ofMillis(electionTimeoutMs), Duration.ofMillis(2 * electionTimeoutMs))
                .withSnapshotThreshold(snapshotEvery).withTls(tls).withAuditLog(auditLog.file);
        MetadataClientConfig clients = MetadataClientConfig.DEFAULTS.withTls(tls);
        MaintenanceConfig maintenance = MaintenanceConfig.DEFAULTS.withInterval(maintenanceIntervalMs)
                .withChunkserverTimeout(chunkserverTimeoutMs).withRepairRate(repairRateMib << 20).withGcGrace(gcGraceMs)
                .withTrashRetention(trashRetentionMs).withLifecycle(lifecycleRate, lifecycleDayMs).withCensusInterval(censusIntervalMs);
        return MetadataPeerProcess.run(config, "master " + self, server -> {
            // leader duties: the maintenance service runs on every master and acts while this one leads
            Vertx vertx = ProcessVertx.create();
            PrometheusMeterRegistry registry = Metrics.processRegistry();
            RaftMetrics.bind(registry, server);
            // maintenance reads the namespace as committed: it must not recall the leases of mounts at work
            RaftMetadataService metadata = RaftMetadataService.connectBackground(groupAddresses, clients, RaftMetadataService.LocalReads.NONE);
            ByteBudget budget = memory.plan(true, false).objects();
            Metrics.bindBudget(registry, budget);
            ChunkClientOptions shardClients = ChunkClientOptions.defaults().withTls(tls);
            MaintenanceNode node = MaintenanceNode.start(vertx, metadata, maintenance, server::leading, id, budget, registry, shardClients);
            // multisite sync acts while this master leads too, but writes as an ordinary client (leases recalled)
            RaftMetadataService syncMetadata = RaftMetadataService.connect(groupAddresses, clients);
            // the sync key's secret is sealed to the cluster key: a master of a zone holds it beside its certificate
            KeySecrets secrets = ClusterKeyFiles.secrets(syncMetadata, tlsOption.dir != null ? tlsOption.dir : data.resolve("tls"), data);
            SyncNode sync = SyncNode.start(vertx, syncMetadata, server::leading, budget, registry, syncOption.settings(), secrets, shardClients);
            // bucket notifications: the leader delivers the namespace's queue
            NotificationSender notifications = NotificationSender.start(metadata, server::leading, NotificationSender.DEFAULT_REGION,
                    NotificationSender.Settings.DEFAULTS);
            if (metricsAddress != null) {
                MetricsEndpoint.start(vertx, registry, HostPort.parse(metricsAddress), tls);
            }
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                notifications.close();
                sync.close();
                syncMetadata.close();
                node.close();
                metadata.close();
                vertx.close();
            }, "mooseng-maintenance-shutdown"));
        });
    }
}
