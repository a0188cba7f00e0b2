package io.mooseng.core.status;

import io.mooseng.core.error.Failures;
import io.mooseng.core.metadata.MaintenanceReports;
import io.mooseng.core.metadata.MetadataService;
import io.mooseng.core.metadata.MountRegistry;
import io.mooseng.core.metadata.NodeRegistry;
import io.mooseng.core.model.ChunkserverInfo;
import io.mooseng.core.model.GatewayInfo;
import io.mooseng.core.model.MaintenanceReport;
import io.mooseng.core.model.MountInfo;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * Gathers a status view from the masters: the metadata group's members, then the leader's
 * node registry, mounts and maintenance report. One gathering for {@code mooseng admin status}
 * and the web console's status call. What cannot be read is said in the reading's error; the
 * rest is still shown.
 */
public final class ClusterStatusReader {
    private static final long TIMEOUT_SECONDS = 10;

    private final MetadataGroupStatus masters;
    private final NodeRegistry nodes;
    private final MountRegistry mounts;
    private final MaintenanceReports maintenance;

    /** @param masters the metadata group's members, or null to show none (a process that cannot ask them) */
    public ClusterStatusReader(MetadataGroupStatus masters, NodeRegistry nodes, MountRegistry mounts, MaintenanceReports maintenance) {
        this.masters = masters;
        this.nodes = nodes;
        this.mounts = mounts;
        this.maintenance = maintenance;
    }

    public static ClusterStatusReader of(MetadataGroupStatus masters, MetadataService metadata) {
        return new ClusterStatusReader(masters, metadata, metadata, metadata);
    }

    /** Blocking: one question to each member and four to the leader, each bounded. */
    public StatusReading read() {
        List<String> errors = new ArrayList<>();
        List<MemberStatus> members = List.of();
        if (masters != null) {
            try {
                members = masters.status();
            } catch (Exception e) {
                errors.add("cannot read the masters' status: " + describe(e));
            }
        }
        List<ChunkserverInfo> chunkservers = List.of();
        List<GatewayInfo> gateways = List.of();
        List<MountInfo> mountList = List.of();
        MaintenanceReport report = null;
        try {
            // asked at once: four answers from the leader's memory
            CompletableFuture<List<ChunkserverInfo>> cs = nodes.listChunkservers();
            CompletableFuture<List<GatewayInfo>> gw = nodes.listGateways();
            CompletableFuture<List<MountInfo>> mt = mounts.listMounts();
            CompletableFuture<Optional<MaintenanceReport>> last = maintenance.maintenance();
            chunkservers = cs.get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
            gateways = gw.get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
            mountList = mt.get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
            report = last.get(TIMEOUT_SECONDS, TimeUnit.SECONDS).orElse(null);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            errors.add("interrupted while reading the node registry");
        } catch (Exception e) {
            errors.add("cannot read the node registry: " + describe(Failures.unwrap(e)));
        }
        return new StatusReading(members, chunkservers, gateways, mountList, report, errors.isEmpty() ? null : String.join("; ", errors));
    }

    /** A failure's message, or its kind when it has none (a timeout). */
    private static String describe(Throwable t) {
        return t.getMessage() != null ? t.getMessage() : t.getClass().getSimpleName();
    }
}
