package io.mooseng.multisite.tree;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.SortedMap;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Random histories from three zones delivered in random orders with duplicates: every replica
 * ends identical to one that applied the moves in stamp order, and stays a tree throughout.
 */
@Timeout(10)
class ConvergenceTest {

    @Test
    void zonesExchangingMovesOutOfOrderConverge() {
        long skipped = 0, duplicates = 0, replayed = 0, collisions = 0;
        for (long seed = 0; seed < 5; seed++) {
            Random random = new Random(seed);
            ZoneSimulation sim = new ZoneSimulation(seed, 20 + random.nextInt(41), 0);
            List<Move> moves = sim.run(200 + random.nextInt(1801));
            SortedMap<Long, SortedMap<String, Long>> expected = assertConverged(seed, moves, sim.replicas());
            assertEquals(expected, TreeChecks.listing(applied(catchUpOrder(moves, random))), "seed " + seed + ": catching up");

            skipped += sim.outcomes.getOrDefault(Applied.Outcome.SKIPPED_AS_CYCLE, 0);
            duplicates += sim.outcomes.getOrDefault(Applied.Outcome.DUPLICATE, 0);
            replayed += sim.replayed;
            collisions += expected.values().stream().flatMap(d -> d.keySet().stream()).filter(n -> n.contains("~")).count();
        }
        // the histories exercised what they are meant to
        assertTrue(skipped > 0 && duplicates > 0 && replayed > 0 && collisions > 0,
                "skipped " + skipped + ", duplicates " + duplicates + ", replayed " + replayed + ", collisions " + collisions);
    }

    @Test
    void anyDeliveryOrderConverges() {
        for (long seed = 100; seed < 200; seed++) {
            Random random = new Random(seed);
            ZoneSimulation sim = new ZoneSimulation(seed, 20 + random.nextInt(41), 0);
            List<Move> moves = sim.run(20 + random.nextInt(181));
            SortedMap<Long, SortedMap<String, Long>> expected = assertConverged(seed, moves, sim.replicas());
            for (int order = 0; order < 3; order++) {
                List<Move> shuffled = new ArrayList<>(moves);
                shuffled.addAll(moves.subList(0, moves.size() / 10));
                Collections.shuffle(shuffled, random);
                assertEquals(expected, TreeChecks.listing(applied(shuffled)), "seed " + seed + ": shuffled");
            }
        }
    }

    @Test
    void zonesTruncatingAtStablePointsConverge() {
        for (long seed = 1000; seed < 1003; seed++) {
            ZoneSimulation sim = new ZoneSimulation(seed, 40, 50);
            assertConverged(seed, sim.run(1000), sim.replicas());
            assertTrue(sim.replicas().getFirst().logSize() < 200, "truncation kept the log short");
        }
    }

    // every replica equals the one that applied the moves in stamp order, whose nodes all hang off root or trash
    private static SortedMap<Long, SortedMap<String, Long>> assertConverged(long seed, List<Move> moves,
                                                                          List<ReplicatedTree> replicas) {
        ReplicatedTree reference = new ReplicatedTree();
        moves.stream().sorted(Comparator.comparing(Move::stamp)).forEach(m -> assertEquals(0, reference.apply(m).replayed()));
        TreeChecks.assertFullyReachable(reference);
        SortedMap<Long, SortedMap<String, Long>> expected = TreeChecks.listing(reference);
        for (ReplicatedTree replica : replicas) {
            assertEquals(expected, TreeChecks.listing(replica), "seed " + seed);
            TreeChecks.assertFullyReachable(replica);
        }
        return expected;
    }

    private static ReplicatedTree applied(List<Move> moves) {
        ReplicatedTree tree = new ReplicatedTree();
        for (Move m : moves) {
            tree.apply(m);
            TreeChecks.assertIsTree(tree);
        }
        return tree;
    }

    // a replica back from a long outage: each zone's moves in that zone's order, the zones interleaved at random, some twice
    private static List<Move> catchUpOrder(List<Move> moves, Random random) {
        List<List<Move>> streams = new ArrayList<>(moves.stream()
                .collect(Collectors.groupingBy(m -> m.stamp().zone(), Collectors.toCollection(ArrayList::new))).values());
        List<Move> order = new ArrayList<>();
        while (!streams.isEmpty()) {
            List<Move> stream = streams.get(random.nextInt(streams.size()));
            order.add(stream.removeFirst());
            if (random.nextInt(10) == 0) {
                order.add(order.get(random.nextInt(order.size())));
            }
            streams.removeIf(List::isEmpty);
        }
        return order;
    }
}
