package io.mooseng.multisite.tree;

import io.mooseng.core.model.ZoneStamp;

import io.mooseng.core.clock.HybridLogicalClock;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeSet;

import static io.mooseng.multisite.tree.ReplicatedTree.ROOT;
import static io.mooseng.multisite.tree.ReplicatedTree.TRASH;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * Zones that each make moves against their own replica's current state (stamped by a real
 * {@link HybridLogicalClock} on a skewed, coarse simulated wall clock, so ties across zones
 * happen) and receive the other zones' moves in random order, with duplicates. Every replica's
 * invariants are checked after every apply.
 */
final class ZoneSimulation {
    // few names, so same-name collisions are common
    private static final String[] NAMES = {"a", "b", "c", "d"};

    private final Random random;
    private final int nodeLimit;
    private final int truncateEvery; // steps between truncations at the causally stable point; 0: never
    private final List<Zone> zones = new ArrayList<>();
    private final List<Move> made = new ArrayList<>();
    final Map<Applied.Outcome, Integer> outcomes = new EnumMap<>(Applied.Outcome.class);
    long replayed;
    private long wallMillis = 1_000;
    private long nextId = 100;

    private final class Zone {
        final String name;
        final HybridLogicalClock clock;
        final ReplicatedTree replica = new ReplicatedTree();
        final List<Move> inbox = new ArrayList<>();     // sent to this zone, not yet delivered
        final List<Move> received = new ArrayList<>();  // delivered or made here, for duplicates
        ZoneStamp truncatedBefore;

        Zone(String name, long skewMillis) {
            this.name = name;
            this.clock = new HybridLogicalClock(() -> wallMillis + skewMillis);
        }

        void apply(Move move) {
            Applied applied = replica.apply(move);
            outcomes.merge(applied.outcome(), 1, Integer::sum);
            replayed += applied.replayed();
            TreeChecks.assertIsTree(replica);
        }
    }

    ZoneSimulation(long seed, int nodeLimit, int truncateEvery) {
        this.random = new Random(seed);
        this.nodeLimit = nodeLimit;
        this.truncateEvery = truncateEvery;
        for (String zone : List.of("eu", "us", "ap")) {
            zones.add(new Zone(zone, random.nextInt(7) - 3));
        }
    }

    /** Runs until {@code moves} moves are made, then delivers everything; returns them all. */
    List<Move> run(int moves) {
        for (int step = 1; made.size() < moves; step++) {
            wallMillis += random.nextInt(3);
            Zone zone = zones.get(random.nextInt(zones.size()));
            double r = random.nextDouble();
            if (r < 0.3 || zone.inbox.isEmpty()) {   // each move is sent twice: deliveries keep up with it
                make(zone);
            } else if (r < 0.95 || zone.received.isEmpty()) {
                deliver(zone);
            } else {
                redeliver(zone);
            }
            if (truncateEvery > 0 && step % truncateEvery == 0) {
                truncateAtStablePoint();
            }
        }
        for (Zone zone : zones) {
            while (!zone.inbox.isEmpty()) {
                deliver(zone);
            }
        }
        return made;
    }

    List<ReplicatedTree> replicas() {
        return zones.stream().map(z -> z.replica).toList();
    }

    private void make(Zone zone) {
        Move move = localMove(zone.replica, new ZoneStamp(zone.clock.now(), zone.name));
        made.add(move);
        zone.apply(move);
        zone.received.add(move);
        zones.stream().filter(z -> z != zone).forEach(z -> z.inbox.add(move));
    }

    // one of the eight oldest messages (the network reorders), now and then any (one held up long)
    private void deliver(Zone zone) {
        int size = zone.inbox.size();
        Move move = zone.inbox.remove(random.nextInt(random.nextInt(100) == 0 ? size : Math.min(size, 8)));
        zone.clock.update(move.stamp().hlc());
        zone.apply(move);
        zone.received.add(move);
    }

    private void redeliver(Zone zone) {
        Move move = zone.received.get(random.nextInt(zone.received.size()));
        if (isStale(zone, move.stamp())) {
            assertThrows(StaleMoveException.class, () -> zone.replica.apply(move));
        } else {
            zone.apply(move);
        }
    }

    private static boolean isStale(Zone zone, ZoneStamp stamp) {
        return zone.truncatedBefore != null && stamp.compareTo(zone.truncatedBefore) < 0;
    }

    // stable: every zone has every move before it, and every zone's clock is past it
    private void truncateAtStablePoint() {
        ZoneStamp clocksPast = new ZoneStamp(zones.stream().mapToLong(z -> z.clock.last()).min().orElseThrow(), "0");
        ZoneStamp stable = zones.stream().flatMap(z -> z.inbox.stream()).map(Move::stamp)
                .reduce(clocksPast, (a, b) -> a.compareTo(b) <= 0 ? a : b);
        for (Zone zone : zones) {
            long dropped = zone.received.stream().map(Move::stamp).distinct()
                    .filter(s -> s.compareTo(stable) < 0 && !isStale(zone, s)).count();
            int before = zone.replica.logSize();
            zone.replica.truncateBefore(stable);
            zone.truncatedBefore = stable;
            assertEquals(before - dropped, zone.replica.logSize(), "drops exactly the moves before the stable point");
            // the caller forgets what is stable, but keep a few to redeliver as stale
            zone.received.removeIf(m -> m.stamp().compareTo(stable) < 0 && random.nextInt(20) > 0);
        }
    }

    // what a user in the zone could do to the tree as the zone sees it: never a local cycle
    private Move localMove(ReplicatedTree tree, ZoneStamp stamp) {
        List<Long> visible = new ArrayList<>(new TreeSet<>(tree.nodes()));
        visible.removeIf(n -> !TreeChecks.isUnder(tree, n, ROOT));
        List<Long> trashed = List.copyOf(tree.children(TRASH).values());
        String name = NAMES[random.nextInt(NAMES.length)];
        int kind = random.nextInt(10);
        if (visible.isEmpty() || (kind < 3 && tree.nodes().size() < nodeLimit)) {
            return new Move(stamp, nextId++, pickParent(tree, visible, -1), name);              // create
        }
        if (kind == 6 && !trashed.isEmpty()) {
            long node = trashed.get(random.nextInt(trashed.size()));
            return new Move(stamp, node, pickParent(tree, visible, node), name);                // restore
        }
        long node = visible.get(random.nextInt(visible.size()));
        return switch (kind) {
            case 7, 8 -> new Move(stamp, node, tree.parent(node).orElseThrow(), name);          // rename
            case 9 -> new Move(stamp, node, TRASH, name);                                       // delete
            default -> new Move(stamp, node, pickParent(tree, visible, node), name);            // move
        };
    }

    private long pickParent(ReplicatedTree tree, List<Long> visible, long moving) {
        List<Long> parents = new ArrayList<>(List.of(ROOT));
        visible.stream().filter(n -> n != moving && !TreeChecks.isUnder(tree, n, moving)).forEach(parents::add);
        return parents.get(random.nextInt(parents.size()));
    }
}
