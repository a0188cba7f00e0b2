package io.mooseng.multisite.tree;

import io.mooseng.core.model.ZoneStamp;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;

import static io.mooseng.multisite.tree.ReplicatedTree.ROOT;
import static io.mooseng.multisite.tree.ReplicatedTree.TRASH;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ReplicatedTreeTest {
    private static final long A = 10, B = 11, C = 12, D = 13;

    private static Move move(long hlc, String zone, long child, long parent, String name) {
        return new Move(new ZoneStamp(hlc, zone), child, parent, name);
    }

    private static ReplicatedTree treeOf(List<Move> moves) {
        ReplicatedTree tree = new ReplicatedTree();
        moves.forEach(m -> {
            tree.apply(m);
            TreeChecks.assertIsTree(tree);
        });
        return tree;
    }

    /** Applies the moves in the given order and in reverse; both replicas must be identical. */
    private static ReplicatedTree converged(List<Move> moves) {
        ReplicatedTree forward = treeOf(moves);
        ReplicatedTree backward = treeOf(moves.reversed());
        assertEquals(TreeChecks.listing(forward), TreeChecks.listing(backward));
        return forward;
    }

    @Test
    void createsMovesAndRenames() {
        ReplicatedTree tree = converged(List.of(
                move(1, "eu", A, ROOT, "docs"),
                move(2, "eu", B, A, "draft.txt"),
                move(3, "eu", C, ROOT, "old"),
                move(4, "eu", B, C, "final.txt"),   // mv docs/draft.txt old/final.txt
                move(5, "eu", C, A, "archive")));   // mv old docs/archive
        assertEquals(Map.of("docs", A), tree.children(ROOT));
        assertEquals(Map.of("archive", C), tree.children(A));
        assertEquals(Optional.of("/docs/archive/final.txt"), tree.pathOf(B));
        assertEquals(OptionalLong.of(C), tree.parent(B));
        assertEquals(Optional.of("final.txt"), tree.name(B));
        assertEquals(Optional.of("/"), tree.pathOf(ROOT));
        assertEquals(OptionalLong.empty(), tree.parent(D));
        assertEquals(Optional.empty(), tree.pathOf(D));
    }

    @Test
    void deletingMovesUnderTheTrashAndMovingBackRestores() {
        ReplicatedTree tree = treeOf(List.of(
                move(1, "eu", A, ROOT, "dir"),
                move(2, "eu", B, A, "f"),
                move(3, "eu", A, TRASH, "dir")));
        assertEquals(Map.of(), tree.children(ROOT));
        assertEquals(Map.of("dir", A), tree.children(TRASH));
        assertEquals(Optional.empty(), tree.pathOf(B), "deleted with its directory");
        assertEquals(OptionalLong.of(A), tree.parent(B), "the subtree stays whole in the trash");
        TreeChecks.assertFullyReachable(tree);

        tree.apply(move(4, "us", A, ROOT, "restored"));
        assertEquals(Optional.of("/restored/f"), tree.pathOf(B));
    }

    @Test
    void crossedMovesApplyOnlyTheEarlierOneOnEveryReplica() {
        List<Move> setup = List.of(move(1, "eu", A, ROOT, "a"), move(2, "eu", B, ROOT, "b"));
        Move aIntoB = move(5, "eu", A, B, "a");   // zone eu: mv a b/
        Move bIntoA = move(5, "us", B, A, "b");   // zone us, same tick: mv b a/; "eu" < "us" orders it second

        ReplicatedTree eu = treeOf(setup);
        assertEquals(Applied.Outcome.MOVED, eu.apply(aIntoB).outcome());
        assertEquals(new Applied(Applied.Outcome.SKIPPED_AS_CYCLE, 0), eu.apply(bIntoA));

        ReplicatedTree us = treeOf(setup);
        assertEquals(Applied.Outcome.MOVED, us.apply(bIntoA).outcome());
        assertEquals(new Applied(Applied.Outcome.MOVED, 1), us.apply(aIntoB), "undoes b-into-a, whose redo is skipped");

        for (ReplicatedTree tree : List.of(eu, us)) {
            TreeChecks.assertIsTree(tree);
            TreeChecks.assertFullyReachable(tree);
            assertEquals(Optional.of("/b/a"), tree.pathOf(A));
            assertEquals(OptionalLong.of(ROOT), tree.parent(B));
        }
        assertEquals(TreeChecks.listing(eu), TreeChecks.listing(us));
    }

    @Test
    void movingANodeUnderItselfOrItsDescendantIsSkippedButLogged() {
        ReplicatedTree tree = treeOf(List.of(
                move(1, "eu", A, ROOT, "a"), move(2, "eu", B, A, "b"), move(3, "eu", C, B, "c")));
        var before = TreeChecks.listing(tree);
        assertEquals(Applied.Outcome.SKIPPED_AS_CYCLE, tree.apply(move(4, "eu", A, C, "a")).outcome());
        assertEquals(Applied.Outcome.SKIPPED_AS_CYCLE, tree.apply(move(5, "eu", B, B, "b")).outcome());
        assertEquals(before, TreeChecks.listing(tree));
        assertEquals(5, tree.logSize());

        // once c leaves a's subtree (a move stamped before the skipped one), the skipped move applies on redo
        assertEquals(new Applied(Applied.Outcome.MOVED, 2), tree.apply(move(3, "us", C, ROOT, "c")));
        assertEquals(Optional.of("/c/a/b"), tree.pathOf(B));
        TreeChecks.assertIsTree(tree);
    }

    @Test
    void sameNameCollisionKeepsBothTheEarlierPlacedKeepingTheName() {
        Move fromEu = move(100, "eu", A, ROOT, "report");
        Move fromUs = move(90, "us", B, ROOT, "report");
        ReplicatedTree tree = converged(List.of(fromEu, fromUs));
        assertEquals(Map.of("report", B, "report~eu~100", A), tree.children(ROOT));
        assertEquals(Optional.of("/report~eu~100"), tree.pathOf(A));
        assertEquals(Optional.of("report~eu~100"), tree.name(A));

        tree.apply(move(120, "us", B, TRASH, "report"));
        assertEquals(Map.of("report", A), tree.children(ROOT), "the survivor gets its own name back");

        tree.apply(move(130, "eu", B, ROOT, "report"));
        assertEquals(Map.of("report", A, "report~eu~130", B), tree.children(ROOT), "the restore placed it later");
    }

    @Test
    void aFileAndADirectoryWithOneNameAreTwoEntries() {
        ReplicatedTree tree = converged(List.of(
                move(1, "eu", A, ROOT, "photos"),         // eu: mkdir photos
                move(2, "eu", B, A, "cat.jpg"),
                move(2, "us", C, ROOT, "photos")));       // us: a file named photos
        assertEquals(Map.of("photos", A, "photos~us~2", C), tree.children(ROOT));
        assertEquals(Optional.of("/photos/cat.jpg"), tree.pathOf(B));
    }

    @Test
    void aDerivedNameNeverHidesARealOneAndStaysUnique() {
        ReplicatedTree tree = converged(List.of(
                move(1, "eu", A, ROOT, "a"),
                move(2, "eu", B, ROOT, "a"),              // shown as a~eu~2 ...
                move(3, "eu", C, ROOT, "a~eu~2"),         // ... until someone uses that name for real
                move(4, "us", D, ROOT, "a~eu~2")));       // which collides in its own right
        assertEquals(Map.of("a", A, "a~eu~2", C, "a~eu~2~2", B, "a~eu~2~us~4", D), tree.children(ROOT));
    }

    @Test
    void aDerivedNameIsCutToFitASegment() {
        String longName = "é".repeat(127) + "x";   // 255 bytes
        ReplicatedTree tree = converged(List.of(move(1, "eu", A, ROOT, longName), move(2, "eu", B, ROOT, longName)));
        String shown = tree.name(B).orElseThrow();
        assertTrue(shown.endsWith("é~eu~2"), shown);
        assertTrue(shown.getBytes(StandardCharsets.UTF_8).length <= 255);
        TreeChecks.assertIsTree(tree);
    }

    @Test
    void applyingAMoveAgainChangesNothing() {
        Move create = move(1, "eu", A, ROOT, "a");
        ReplicatedTree tree = treeOf(List.of(create, move(2, "eu", B, A, "b")));
        var before = TreeChecks.listing(tree);
        assertEquals(new Applied(Applied.Outcome.DUPLICATE, 0), tree.apply(create));
        assertEquals(before, TreeChecks.listing(tree));
        assertEquals(2, tree.logSize());
        assertThrows(IllegalArgumentException.class, () -> tree.apply(move(1, "eu", A, ROOT, "other")),
                "one stamp, two different moves");
    }

    @Test
    void aLateMoveIsSlottedInBeforeTheLaterOnes() {
        ReplicatedTree tree = treeOf(List.of(
                move(1, "eu", A, ROOT, "a"),
                move(2, "eu", B, ROOT, "b"),
                move(6, "eu", A, B, "a"),       // mv a b/
                move(7, "eu", C, ROOT, "c")));
        assertEquals(Optional.of("/b/a"), tree.pathOf(A));

        // us moved b into a at 5, before eu's move: that one now makes a cycle and is skipped
        assertEquals(new Applied(Applied.Outcome.MOVED, 2), tree.apply(move(5, "us", B, A, "b")));
        assertEquals(Optional.of("/a/b"), tree.pathOf(B));
        assertEquals(Optional.of("/a"), tree.pathOf(A));
        assertEquals(Optional.of("/c"), tree.pathOf(C));
        TreeChecks.assertIsTree(tree);
    }

    @Test
    void aMoveUnderANodeNotCreatedYetWaitsDetached() {
        ReplicatedTree tree = new ReplicatedTree();
        tree.apply(move(2, "us", B, A, "inner"));   // arrived before a's creation
        assertEquals(Optional.empty(), tree.pathOf(B));
        TreeChecks.assertIsTree(tree);
        tree.apply(move(1, "eu", A, ROOT, "outer"));
        assertEquals(Optional.of("/outer/inner"), tree.pathOf(B));
        TreeChecks.assertFullyReachable(tree);
    }

    @Test
    void truncationDropsUndoRecordsAndRefusesOlderMoves() {
        List<Move> moves = new ArrayList<>();
        for (int i = 1; i <= 10; i++) {
            moves.add(move(i * 10L, "eu", 100 + i, ROOT, "f" + i));
        }
        ReplicatedTree tree = treeOf(moves);
        tree.truncateBefore(new ZoneStamp(60, "eu"));
        assertEquals(5, tree.logSize());
        tree.truncateBefore(new ZoneStamp(30, "eu"));
        assertEquals(5, tree.logSize(), "an earlier point changes nothing");

        StaleMoveException stale = assertThrows(StaleMoveException.class, () -> tree.apply(moves.get(2)));
        assertTrue(stale.getMessage().contains("60 eu"), stale.getMessage());
        assertThrows(StaleMoveException.class, () -> tree.apply(move(59, "us", 101, TRASH, "f1")));

        assertEquals(new Applied(Applied.Outcome.MOVED, 4), tree.apply(move(60, "us", 101, TRASH, "f1")), "60@us: after 60@eu");
        assertEquals(Applied.Outcome.DUPLICATE, tree.apply(moves.get(5)).outcome(), "at the point: still logged");
        assertEquals(OptionalLong.of(TRASH), tree.parent(101));
        assertEquals(10, tree.children(ROOT).size() + tree.children(TRASH).size());
    }

    @Test
    void refusesMalformedMoves() {
        ZoneStamp s = new ZoneStamp(1, "eu");
        assertThrows(IllegalArgumentException.class, () -> new Move(s, ROOT, TRASH, "root"));
        assertThrows(IllegalArgumentException.class, () -> new Move(s, TRASH, ROOT, "trash"));
        for (String bad : List.of("", ".", "..", "a/b", "nul\0", "x".repeat(256))) {
            assertThrows(IllegalArgumentException.class, () -> new Move(s, A, ROOT, bad), bad);
        }
        for (String zone : List.of("", "a~b", "a/b", "z".repeat(65))) {
            assertThrows(IllegalArgumentException.class, () -> new Move(new ZoneStamp(1, zone), A, ROOT, "a"), zone);
        }
        assertThrows(IllegalArgumentException.class, () -> new Move(new ZoneStamp(-1, "eu"), A, ROOT, "a"));
    }
}
