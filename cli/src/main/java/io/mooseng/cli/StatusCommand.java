package io.mooseng.cli;

import io.mooseng.core.status.MemberStatus;
import io.mooseng.metadata.client.RaftMetadataService;
import io.mooseng.core.model.MaintenanceReport;
import io.mooseng.core.status.ClusterStatus;
import io.mooseng.core.status.ClusterStatusReader;
import io.mooseng.core.status.MountStatus;
import io.mooseng.core.status.NodeStatus;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.concurrent.Callable;

/** {@code admin status}: masters (role, term, indexes, lag), chunkservers, gateways and mounts. */
@Command(name = "status", mixinStandardHelpOptions = true, description = "Show the masters, chunkservers, gateways and mounts of a cluster.")
final class StatusCommand implements Callable<Integer> {
    @Mixin
    MastersOption masters;

    @Option(names = "--json", description = "Print JSON instead of tables.")
    boolean json;

    @Option(names = "--lost-after-ms", defaultValue = "10000", paramLabel = "MS",
            description = "A node or mount silent this long is shown LOST (default: ${DEFAULT-VALUE}).")
    long lostAfterMs;

    @Override
    public Integer call() throws Exception {
        ClusterStatus status;
        try (RaftMetadataService metadata = RaftMetadataService.connect(masters.addresses(),
                masters.clientConfig(null).withRetryTimeout(Duration.ofSeconds(5)))) {
            status = ClusterStatusReader.of(masters.groupAdmin(), metadata).read().view(System.currentTimeMillis(), lostAfterMs);
        }
        if (json) {
            System.out.println(OutputOption.JSON.writeValueAsString(status));
        } else {
            print(status);
        }
        return status.masters().stream().anyMatch(m -> m.role().equals("LEADER")) ? 0 : 2;
    }

    private static void print(ClusterStatus s) {
        System.out.println("MASTERS");
        System.out.printf("  %-16s %-22s %-10s %6s %10s %10s %10s %8s%n", "ID", "ADDRESS", "ROLE", "TERM", "COMMIT", "APPLIED", "SNAPSHOT", "LAG");
        for (MemberStatus m : s.masters()) {
            System.out.printf("  %-16s %-22s %-10s %6d %10d %10d %10d %8d%s%n", m.id(), m.address(), m.role(), m.term(),
                    m.commitIndex(), m.appliedIndex(), m.snapshotIndex(), m.lag(), m.error() == null ? "" : "  " + m.error());
        }
        System.out.println("CHUNKSERVERS");
        System.out.printf("  %-16s %-22s %-5s %10s %10s %10s %9s  %s%n", "ID", "ADDRESS", "STATE", "USED_MIB", "FREE_MIB",
                "CAP_MIB", "SEEN_AGO", "LABELS");
        for (NodeStatus n : s.chunkservers()) {
            System.out.printf("  %-16s %-22s %-5s %10d %10d %10d %8.1fs  %s%n", n.id(), n.address(), n.state(), n.usedBytes() >> 20,
                    n.freeBytes() >> 20, n.capacityBytes() >> 20, n.lastSeenMillisAgo() / 1000.0, new LinkedHashMap<>(n.labels()));
        }
        System.out.println("GATEWAYS");
        System.out.printf("  %-16s %-22s %-5s %9s  %s%n", "ID", "ADDRESS", "STATE", "SEEN_AGO", "EC_KERNEL");
        for (NodeStatus n : s.gateways()) {
            System.out.printf("  %-16s %-22s %-5s %8.1fs  %s%n", n.id(), n.address(), n.state(), n.lastSeenMillisAgo() / 1000.0,
                    n.ecKernel());
        }
        System.out.println("MOUNTS");
        System.out.printf("  %-36s %-16s %-5s %9s %10s %-8s  %s%n", "ID", "HOST", "STATE", "SEEN_AGO", "UPTIME", "VERSION", "MOUNT_POINT");
        for (MountStatus n : s.mounts()) {
            System.out.printf("  %-36s %-16s %-5s %8.1fs %10s %-8s  %s%n", n.id(), n.host(), n.state(), n.lastSeenMillisAgo() / 1000.0,
                    DurationArg.clock(n.uptimeMillis() / 1000), n.version(), n.mountPoint());
        }
        MaintenanceReport m = s.maintenance();
        if (m != null) {
            System.out.printf("MAINTENANCE (leader %s, %.1fs ago)%n", m.reporter(), (System.currentTimeMillis() - m.atMillis()) / 1000.0);
            System.out.printf("  blocks %d: under-replicated %d, endangered %d, lost %d%n", m.blocks(), m.underReplicated(),
                    m.endangered(), m.lost());
            System.out.printf("  repaired %d shards (%d MiB), last cycle %.1f MiB/s; lost chunkservers: %s%n", m.repairedShards(),
                    m.repairedBytes() >> 20, m.repairMiBPerSecond(), m.lostChunkservers().isEmpty() ? "none" : m.lostChunkservers());
            System.out.printf("  class conversion: %d objects pending, %d re-coded; rebalanced %d shards; GC deleted %d shards; "
                    + "trash purged %d%n", m.recodePending(), m.recodedObjects(), m.movedShards(), m.orphanShardsDeleted(), m.trashPurged());
            System.out.printf("  lifecycle: last pass %s; expired %d, transitioned %d, uploads aborted %d%n",
                    m.lifecyclePassMillis() == 0 ? "none yet" : String.format("%.1fs ago", (System.currentTimeMillis() - m.lifecyclePassMillis()) / 1000.0),
                    m.lifecycleExpired(), m.lifecycleTransitioned(), m.lifecycleAborted());
        } else if (s.error() == null) {
            // the report lives in the leader's memory: a new leader has none before its first cycle
            System.out.println("MAINTENANCE: no cycle yet in this leader's term");
        }
        if (s.error() != null) {
            System.out.println("ERROR: " + s.error());
        }
    }
}
