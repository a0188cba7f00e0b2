package io.mooseng.core.placement;

import io.mooseng.core.error.ErrorCode;
import io.mooseng.core.error.MooseException;
import io.mooseng.core.model.BlockId;
import io.mooseng.core.model.ChunkserverInfo;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class RendezvousPlacementTest {
    private static final long TB = 1L << 40;
    private final RendezvousPlacement placement = new RendezvousPlacement();

    @Test
    void picksDistinctServers() {
        List<ChunkserverInfo> servers = flat(20, TB);
        for (int b = 0; b < 200; b++) {
            List<ChunkserverInfo> chosen = placement.place(block(b), 12, servers);
            assertEquals(12, chosen.size());
            assertEquals(12, new HashSet<>(chosen).size());
        }
    }

    @Test
    void answerDoesNotDependOnCandidateOrder() {
        List<ChunkserverInfo> servers = new ArrayList<>();
        for (int i = 0; i < 15; i++) {
            servers.add(server("cs" + i, "z" + i % 3, "r" + i % 2, "h" + i % 5, (i + 1) * TB));
        }
        Random random = new Random(3);
        for (int b = 0; b < 100; b++) {
            List<ChunkserverInfo> expected = placement.place(block(b), 6, servers);
            List<ChunkserverInfo> shuffled = new ArrayList<>(servers);
            Collections.shuffle(shuffled, random);
            assertEquals(expected, placement.place(block(b), 6, shuffled));
        }
    }

    @Test
    void sixShardsOverThreeZonesGoTwoPerZone() {
        List<ChunkserverInfo> servers = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            servers.add(server("cs" + i, "zone" + i / 2, null, null, (i + 1) * TB));
        }
        for (int b = 0; b < 200; b++) {
            Map<String, Integer> perZone = count(placement.place(block(b), 6, servers), "zone");
            assertEquals(Map.of("zone0", 2, "zone1", 2, "zone2", 2), perZone);
        }
    }

    @Test
    void spreadsOverHostsBeforeDoublingUp() {
        List<ChunkserverInfo> servers = new ArrayList<>();
        for (int i = 0; i < 12; i++) {
            servers.add(server("cs" + i, null, null, "host" + i % 4, TB));
        }
        for (int b = 0; b < 200; b++) {
            assertEquals(4, count(placement.place(block(b), 4, servers), "host").size());
            Map<String, Integer> eight = count(placement.place(block(b), 8, servers), "host");
            assertEquals(Map.of("host0", 2, "host1", 2, "host2", 2, "host3", 2), eight);
        }
    }

    @Test
    void spreadsOverZonesThenRacks() {
        List<ChunkserverInfo> servers = new ArrayList<>();
        for (int i = 0; i < 16; i++) {
            servers.add(server("cs" + i, "z" + i % 2, "z" + i % 2 + "-r" + i / 2 % 4, "h" + i, TB));
        }
        for (int b = 0; b < 200; b++) {
            List<ChunkserverInfo> chosen = placement.place(block(b), 8, servers);
            assertEquals(Map.of("z0", 4, "z1", 4), count(chosen, "zone"));
            assertEquals(8, count(chosen, "rack").size(), "each zone has four racks, so four shards per zone fit one per rack");
        }
    }

    @Test
    void weightsSkewTheChoiceProportionally() {
        List<ChunkserverInfo> servers = List.of(
                server("small", null, null, null, TB),
                server("medium", null, null, null, 2 * TB),
                server("large", null, null, null, 3 * TB),
                server("empty", null, null, null, 0));
        int blocks = 30_000;
        Map<String, Integer> wins = new HashMap<>();
        for (int b = 0; b < blocks; b++) {
            wins.merge(placement.place(block(b), 1, servers).get(0).id(), 1, Integer::sum);
        }
        assertEquals(1.0 / 6, wins.get("small") / (double) blocks, 0.015);
        assertEquals(2.0 / 6, wins.get("medium") / (double) blocks, 0.015);
        assertEquals(3.0 / 6, wins.get("large") / (double) blocks, 0.015);
        assertTrue(wins.getOrDefault("empty", 0) < 5, "capacity 0 counts as one byte");
    }

    @Test
    void removingAServerMovesOnlyWhatWasOnIt() {
        List<ChunkserverInfo> servers = flat(16, TB);
        Random random = new Random(11);
        for (int b = 0; b < 2000; b++) {
            List<ChunkserverInfo> before = placement.place(block(b), 6, servers);
            ChunkserverInfo removed = servers.get(random.nextInt(servers.size()));
            List<ChunkserverInfo> rest = new ArrayList<>(servers);
            rest.remove(removed);
            List<ChunkserverInfo> after = placement.place(block(b), 6, rest);
            Set<ChunkserverInfo> kept = new HashSet<>(before);
            kept.remove(removed);
            Set<ChunkserverInfo> added = new HashSet<>(after);
            added.removeAll(before);
            assertTrue(after.containsAll(kept), "block " + b + ": every surviving server keeps its shard");
            assertEquals(before.contains(removed) ? 1 : 0, added.size(), "block " + b);
            if (!before.contains(removed)) {
                assertEquals(before, after, "removing an unused server changes nothing");
            }
        }
    }

    @Test
    void tooFewCandidatesIsInsufficientChunkservers() {
        MooseException e = assertThrows(MooseException.class, () -> placement.place(block(1), 6, flat(5, TB)));
        assertEquals(ErrorCode.INSUFFICIENT_CHUNKSERVERS, e.code());
        assertEquals(List.of(), placement.place(block(1), 0, List.of()));
    }

    @Test
    void duplicateServersAreRejected() {
        List<ChunkserverInfo> servers = new ArrayList<>(flat(3, TB));
        servers.add(servers.get(0));
        assertThrows(IllegalArgumentException.class, () -> placement.place(block(1), 2, servers));
    }

    private static BlockId block(int n) {
        return new BlockId(0x9e3779b97f4a7c15L * (n + 1), n);
    }

    private static List<ChunkserverInfo> flat(int n, long capacity) {
        List<ChunkserverInfo> servers = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            servers.add(server("cs" + i, null, null, null, capacity));
        }
        return servers;
    }

    private static ChunkserverInfo server(String id, String zone, String rack, String host, long capacity) {
        Map<String, String> labels = new HashMap<>();
        if (zone != null) {
            labels.put("zone", zone);
        }
        if (rack != null) {
            labels.put("rack", rack);
        }
        if (host != null) {
            labels.put("host", host);
        }
        return new ChunkserverInfo(id, id + ":9000", labels, capacity, 0);
    }

    private static Map<String, Integer> count(List<ChunkserverInfo> chosen, String label) {
        Map<String, Integer> counts = new HashMap<>();
        for (ChunkserverInfo s : chosen) {
            counts.merge(s.label(label), 1, Integer::sum);
        }
        return counts;
    }
}
