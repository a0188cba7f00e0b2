package io.mooseng.cli.node;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.mooseng.metadata.raft.MetadataServer;
import io.mooseng.metadata.raft.RaftStatus;
import org.apache.ratis.metrics.MetricRegistries;
import org.apache.ratis.metrics.RatisMetricRegistry;
import org.apache.ratis.server.metrics.LeaderElectionMetrics;

import java.util.function.ToDoubleFunction;

/** Meters of the metadata peer a process runs: its Raft status, and Ratis' election counters. */
public final class RaftMetrics {
    private RaftMetrics() {
    }

    public static void bind(MeterRegistry registry, MetadataServer server) {
        status(registry, server, "mooseng_raft_term", RaftStatus::term);
        status(registry, server, "mooseng_raft_commit_index", RaftStatus::commitIndex);
        status(registry, server, "mooseng_raft_applied_index", RaftStatus::lastAppliedIndex);
        status(registry, server, "mooseng_raft_snapshot_index", RaftStatus::snapshotIndex);
        status(registry, server, "mooseng_raft_leader", s -> s.leader() ? 1 : 0);
        Metrics.gauge(registry, "mooseng_mounts", Tags.empty(), server, MetadataServer::knownMounts);
        // Ratis keeps these in its own registry, per group member; this process runs one member
        Metrics.counter(registry, "mooseng_raft_elections_won", Tags.empty(), server,
                s -> ratisElectionCounter(LeaderElectionMetrics.LEADER_ELECTION_COUNT_METRIC));
        Metrics.counter(registry, "mooseng_raft_election_timeouts", Tags.empty(), server,
                s -> ratisElectionCounter(LeaderElectionMetrics.LEADER_ELECTION_TIMEOUT_COUNT_METRIC));
    }

    private static void status(MeterRegistry registry, MetadataServer server, String name, ToDoubleFunction<RaftStatus> value) {
        Metrics.gauge(registry, name, Tags.empty(), server, s -> value.applyAsDouble(s.status()));
    }

    private static double ratisElectionCounter(String name) {
        long total = 0;
        for (RatisMetricRegistry r : MetricRegistries.global().getMetricRegistries()) {
            if (LeaderElectionMetrics.RATIS_LEADER_ELECTION_METRICS.equals(r.getMetricRegistryInfo().getMetricsComponentName())) {
                total += r.counter(name).getCount();
            }
        }
        return total;
    }
}
