package io.mooseng.multisite.tree;

import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.TreeSet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Whole-state views of a {@link ReplicatedTree} for tests: its listing, and its invariants. */
final class TreeChecks {
    private TreeChecks() {
    }

    /** Every directory listing (shown name -> node), by parent: the whole visible state. */
    static SortedMap<Long, SortedMap<String, Long>> listing(ReplicatedTree tree) {
        SortedMap<Long, SortedMap<String, Long>> all = new TreeMap<>();
        Set<Long> parents = new TreeSet<>(Set.of(ReplicatedTree.ROOT, ReplicatedTree.TRASH));
        tree.nodes().forEach(n -> parents.add(tree.parent(n).orElseThrow()));
        for (long p : parents) {
            all.put(p, new TreeMap<>(tree.children(p)));
        }
        return all;
    }

    /**
     * No cycles; each node listed exactly once, under its parent; shown names are valid
     * segments; every node leads up to the root, the trash, or a node not placed yet (a
     * detached subtree, whose creating move is in flight). Linear in the nodes: it runs after
     * every apply.
     */
    static void assertIsTree(ReplicatedTree tree) {
        Set<Long> nodes = tree.nodes();
        Set<Long> parents = new HashSet<>();
        nodes.forEach(n -> parents.add(tree.parent(n).orElseThrow()));
        Set<Long> listed = new HashSet<>();
        for (long parent : parents) {
            for (Map.Entry<String, Long> child : tree.children(parent).entrySet()) {
                assertTrue(listed.add(child.getValue()), "listed twice: " + child.getValue());
                assertEquals(parent, tree.parent(child.getValue()).orElseThrow());
                assertValidSegment(child.getKey());
            }
        }
        assertEquals(nodes, listed, "every placed node is listed once");
        Set<Long> leadOut = new HashSet<>(); // nodes known to lead up to a node that is not placed
        for (long n : nodes) {
            Set<Long> path = new HashSet<>();
            for (long at = n; nodes.contains(at) && !leadOut.contains(at); at = tree.parent(at).orElseThrow()) {
                assertTrue(path.add(at), "cycle through " + at);
            }
            leadOut.addAll(path);
        }
    }

    /** With every move's causes delivered: each node reachable from exactly one of root and trash, once. */
    static void assertFullyReachable(ReplicatedTree tree) {
        Set<Long> seen = new HashSet<>();
        Deque<Long> todo = new ArrayDeque<>(List.of(ReplicatedTree.ROOT, ReplicatedTree.TRASH));
        while (!todo.isEmpty()) {
            for (long child : tree.children(todo.pop()).values()) {
                assertTrue(seen.add(child), "reached twice: " + child);
                todo.push(child);
            }
        }
        assertEquals(tree.nodes(), seen);
        for (long n : seen) {
            assertEquals(isUnder(tree, n, ReplicatedTree.ROOT), tree.pathOf(n).isPresent(), "path of " + n);
            assertEquals(n, tree.children(tree.parent(n).orElseThrow()).get(tree.name(n).orElseThrow()), "name of " + n);
        }
    }

    static boolean isUnder(ReplicatedTree tree, long node, long ancestor) {
        for (long at = node; tree.parent(at).isPresent(); ) {
            at = tree.parent(at).getAsLong();
            if (at == ancestor) {
                return true;
            }
        }
        return false;
    }

    private static void assertValidSegment(String name) {
        assertFalse(name.isEmpty() || name.contains("/") || name.equals(".") || name.equals(".."), name);
        assertTrue(name.getBytes(StandardCharsets.UTF_8).length <= 255, name);
    }
}
