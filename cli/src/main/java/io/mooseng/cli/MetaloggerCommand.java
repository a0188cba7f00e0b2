package io.mooseng.cli;

import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.mooseng.cli.node.Metrics;
import io.mooseng.cli.node.MetricsEndpoint;
import io.mooseng.cli.node.ProcessVertx;
import io.mooseng.cli.node.RaftMetrics;
import io.vertx.core.Vertx;

import io.mooseng.core.config.HostPort;
import io.mooseng.core.security.ClusterTls;
import io.mooseng.metadata.client.GroupAdmin;
import io.mooseng.metadata.raft.MetadataServerConfig;
import io.mooseng.metadata.raft.RaftMember;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;

/**
 * {@code mooseng metalogger}: a live, non-voting copy of all metadata (a Ratis listener),
 * from which {@code admin metadata restore} rebuilds a master group.
 */
@Command(name = "metalogger", mixinStandardHelpOptions = true,
        description = "Keep a live non-voting copy of all metadata (restore source if every master is lost).")
final class MetaloggerCommand implements Callable<Integer> {
    @Mixin
    MastersOption masters;

    @Option(names = "--data", required = true, paramLabel = "DIR", description = "Folder of the copy.")
    Path data;

    @Option(names = "--raft-address", required = true, paramLabel = "HOST:PORT",
            description = "Where this metalogger listens for the leader's log.")
    String raftAddress;

    @Option(names = "--id", paramLabel = "ID", description = "Its id in the group (default: derived from --raft-address).")
    String id;

    @Option(names = "--snapshot-every", defaultValue = "" + MetadataServerConfig.DEFAULT_SNAPSHOT_THRESHOLD, paramLabel = "ENTRIES",
            description = "Log entries between snapshots of the copy (default: ${DEFAULT-VALUE}).")
    long snapshotEvery;

    @Option(names = "--metrics-address", paramLabel = "HOST:PORT",
            description = "Serve Prometheus /metrics here (how far the copy is: the mooseng_raft_* gauges; (HTTPS with a client certificate of the cluster CA required when TLS is on); off by default.")
    String metricsAddress;

    /** The group's configuration, waiting up to a minute for a master to answer (they may be starting beside it). */
    private static GroupAdmin.Membership awaitMembership(GroupAdmin admin) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(1);
        while (true) {
            try {
                return admin.membership();
            } catch (IOException e) {
                if (System.nanoTime() > deadline) {
                    throw e;
                }
                Thread.sleep(500);
            }
        }
    }

    @Override
    public Integer call() throws Exception {
        String address = HostPort.parse(raftAddress).toString();
        RaftMember self = id == null ? RaftMember.of(address) : new RaftMember(id, address);
        ClusterTls tls = masters.tls(data.resolve("tls"), address, metricsAddress);
        GroupAdmin admin = GroupAdmin.connect(masters.addresses(), tls);
        MetadataServerConfig config = MetadataServerConfig.listener(self, awaitMembership(admin).voters(), data.resolve("meta"))
                .withSnapshotThreshold(snapshotEvery).withTls(tls);
        return MetadataPeerProcess.run(config, "metalogger " + self, server -> {
            if (metricsAddress != null) {
                PrometheusMeterRegistry registry = Metrics.processRegistry();
                RaftMetrics.bind(registry, server);
                Vertx vertx = ProcessVertx.create();
                MetricsEndpoint.start(vertx, registry, HostPort.parse(metricsAddress), tls);
                Runtime.getRuntime().addShutdownHook(new Thread(vertx::close, "mooseng-metrics-shutdown"));
            }
            // joining the configuration (a log entry) lets the leader start sending it the log
            admin.addListener(self);
        });
    }
}
