package io.mooseng.metadata.raft;

import io.mooseng.core.model.BlockId;
import io.mooseng.core.model.ChunkserverInfo;
import io.mooseng.core.model.GatewayInfo;
import io.mooseng.core.model.MaintenanceReport;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class NodeReportsTest {
    private final AtomicLong term = new AtomicLong(3);
    private final AtomicLong clock = new AtomicLong(1_000);
    private final NodeReports reports = new NodeReports(term::get, clock::get);

    private static ChunkserverInfo cs(String address, long capacity, long free, long heartbeat) {
        return new ChunkserverInfo("cs1", address, Map.of("zone", "a"), capacity, capacity - free, free, heartbeat);
    }

    @Test
    void anUnknownOrChangedChunkserverMustRegisterThroughTheLog() {
        ChunkserverInfo registered = cs("h:1", 100, 90, 500);
        assertFalse(reports.report(cs("h:1", 100, 80, 600), Optional.empty()));
        assertFalse(reports.report(cs("h:2", 100, 80, 600), Optional.of(registered)), "address changed");
        assertFalse(reports.report(cs("h:1", 200, 80, 600), Optional.of(registered)), "capacity changed");
        ChunkserverInfo relabelled = new ChunkserverInfo("cs1", "h:1", Map.of("zone", "b"), 100, 20, 80, 600);
        assertFalse(reports.report(relabelled, Optional.of(registered)), "labels changed");
        assertEquals(List.of(cs("h:1", 100, 90, 1_000)), reports.chunkservers(List.of(registered)), "nothing was kept");
    }

    @Test
    void aListingShowsEachChunkserverAsLastReported() {
        ChunkserverInfo registered = cs("h:1", 100, 90, 500);
        ChunkserverInfo other = new ChunkserverInfo("cs2", "h:9", Map.of(), 100, 0, 100, 2_000);
        assertTrue(reports.report(cs("h:1", 100, 70, 1_500), Optional.of(registered)));
        assertTrue(reports.report(cs("h:1", 100, 60, 1_700), Optional.of(registered)));
        assertEquals(List.of(cs("h:1", 100, 60, 1_700), other), reports.chunkservers(List.of(registered, other)));
        // a registration that changed since the report wins over it
        ChunkserverInfo moved = cs("h:3", 100, 90, 1_800);
        assertEquals(List.of(moved), reports.chunkservers(List.of(moved)));
    }

    @Test
    void aNewTermStartsEmptyAndShowsRegisteredNodesAsSeenAtItsStart() {
        ChunkserverInfo registered = cs("h:1", 100, 90, 500);
        GatewayInfo gateway = new GatewayInfo("gw1", "h:8", 400, "java-vector");
        assertTrue(reports.report(cs("h:1", 100, 70, 1_500), Optional.of(registered)));
        assertTrue(reports.report(new GatewayInfo("gw1", "h:8", 1_600, "java-vector"), Optional.of(gateway)));
        term.set(5);
        clock.set(9_000);
        assertEquals(List.of(cs("h:1", 100, 90, 9_000)), reports.chunkservers(List.of(registered)));
        assertEquals(List.of(new GatewayInfo("gw1", "h:8", 9_000, "java-vector")), reports.gateways(List.of(gateway)));
        clock.set(9_500);
        assertTrue(reports.report(cs("h:1", 100, 50, 9_400), Optional.of(registered)));
        assertEquals(List.of(cs("h:1", 100, 50, 9_400)), reports.chunkservers(List.of(registered)));
        assertFalse(reports.report(new GatewayInfo("gw1", "h:8", 9_600, "scalar"), Optional.of(gateway)), "kernel changed");
    }

    @Test
    void damagedBlocksAreTakenMostEndangeredThenOldestFirstWithTheirShardsMerged() {
        BlockId a = new BlockId(1, 1);
        BlockId b = new BlockId(2, 2);
        BlockId c = new BlockId(3, 3);
        assertTrue(reports.damaged(a, List.of(3), 2));
        assertTrue(reports.damaged(b, List.of(0), 2));
        assertTrue(reports.damaged(c, List.of(0), 1));
        assertTrue(reports.damaged(a, List.of(1, 3), 2));
        assertEquals(List.of(Map.entry(a, List.of(1, 3))), reports.takeDamaged(1), "no loss left to survive");
        assertEquals(List.of(Map.entry(c, List.of(0)), Map.entry(b, List.of(0))), reports.takeDamaged(10),
                "c survives no further loss, b one");
        assertEquals(List.of(), reports.takeDamaged(10));
        assertTrue(reports.damaged(a, List.of(2), 2));
        term.incrementAndGet();
        assertEquals(List.of(), reports.takeDamaged(10), "a new leader's queue starts empty (its census finds the rest)");
    }

    @Test
    void theDamagedQueueIsBounded() {
        for (int i = 0; i < NodeReports.MAX_DAMAGED; i++) {
            assertTrue(reports.damaged(new BlockId(0, i), List.of(0), 2));
        }
        assertFalse(reports.damaged(new BlockId(1, 0), List.of(0), 2));
        assertTrue(reports.damaged(new BlockId(0, 5), List.of(1), 2), "a queued block still gathers shards");
    }

    @Test
    void theMaintenanceReportIsTheLatestOfThisTerm() {
        MaintenanceReport first = new MaintenanceReport(1, "m1", 10, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, "", 0, 0, 0, 0);
        MaintenanceReport second = new MaintenanceReport(2, "m1", 11, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, "cs2", 0, 0, 0, 0);
        assertEquals(Optional.empty(), reports.maintenance());
        reports.maintenance(first);
        reports.maintenance(second);
        assertEquals(Optional.of(second), reports.maintenance());
        term.incrementAndGet();
        assertEquals(Optional.empty(), reports.maintenance(), "a new leader reports after its own first cycle");
    }
}
