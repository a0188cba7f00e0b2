package io.mooseng.multisite.tree;

import io.mooseng.core.model.ZoneStamp;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import static io.mooseng.multisite.tree.ReplicatedTree.ROOT;
import static io.mooseng.multisite.tree.ReplicatedTree.TRASH;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Cost: moves in stamp order replay nothing, and a late move replays only the moves stamped after it. */
@Timeout(10)
class ScalingTest {
    private static final int MOVES = 100_000;

    @Test
    void movesInStampOrderReplayNothing() {
        List<Move> moves = history(MOVES, 1);
        ReplicatedTree tree = new ReplicatedTree();
        long start = System.nanoTime();
        for (Move m : moves) {
            assertEquals(0, tree.apply(m).replayed());
        }
        long millis = (System.nanoTime() - start) / 1_000_000;
        // a few hundred ms here; quadratic work (5e9 steps) could not come near the bound even on a slow machine
        assertTrue(millis < 3_000, MOVES + " moves took " + millis + " ms");
        assertEquals(MOVES, tree.logSize());
        TreeChecks.assertIsTree(tree);
    }

    @Test
    void aLateMoveReplaysOnlyTheMovesStampedAfterIt() {
        List<Move> moves = history(MOVES, 2);
        Move late = moves.get(MOVES - 10);
        ReplicatedTree tree = new ReplicatedTree();
        moves.stream().filter(m -> m != late).forEach(tree::apply);
        assertEquals(9, tree.apply(late).replayed());

        ReplicatedTree inOrder = new ReplicatedTree();
        moves.forEach(inOrder::apply);
        assertEquals(TreeChecks.listing(inOrder), TreeChecks.listing(tree));
    }

    // creates (a fifth), moves under random nodes (some would make cycles), deletes; stamps strictly increasing
    private static List<Move> history(int count, long seed) {
        Random random = new Random(seed);
        String[] zones = {"eu", "us", "ap"};
        List<Long> ids = new ArrayList<>(List.of(ROOT));
        List<Move> moves = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            boolean create = ids.size() < 2 || random.nextInt(5) == 0;
            long child = create ? 100 + i : ids.get(1 + random.nextInt(ids.size() - 1));
            long parent = random.nextInt(20) == 0 ? TRASH : ids.get(random.nextInt(ids.size()));
            moves.add(new Move(new ZoneStamp(i + 1, zones[random.nextInt(zones.length)]), child, parent, "n" + random.nextInt(50)));
            if (create) {
                ids.add(child);
            }
        }
        return moves;
    }
}
