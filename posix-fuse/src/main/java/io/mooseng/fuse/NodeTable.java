package io.mooseng.fuse;

import io.mooseng.fuse.kernel.Errno;
import io.mooseng.fuse.kernel.FuseException;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The nodes the kernel holds: for each nodeid (the inode id; 1 is the mount's root) the
 * names this mount knows it by, newest first (a file with hard links may have several), and
 * the lookups the kernel has not given back yet. A node leaves when the kernel forgets it.
 */
final class NodeTable {
    static final long ROOT = 1;

    private static final class Node {
        final List<FusePath> names = new ArrayList<>(1);
        /** The name a rename put another file at (while the kernel may still be opening this one by it). */
        FusePath replacedAt;
        long lookups;
    }

    private final FusePath root;
    private final Map<Long, Node> nodes = new HashMap<>();
    /** The node each known name leads to (the newest to be given that name). */
    /** Sorted, so that the names under a directory are one range (a directory's rename moves just those). */
    private final TreeMap<FusePath, Long> byName = new TreeMap<>(FusePath.ORDER);

    NodeTable(FusePath root) {
        this.root = root;
    }

    /** The kernel was given {@code nodeid} under {@code path}: one more lookup. */
    synchronized void looked(long nodeid, FusePath path) {
        if (nodeid == ROOT) {
            return;
        }
        Node n = nodes.computeIfAbsent(nodeid, id -> new Node());
        n.lookups++;
        n.names.remove(path);
        n.names.addFirst(path);
        Long before = byName.put(path, nodeid);
        if (before != null && before != nodeid) {
            Node other = nodes.get(before);
            if (other != null) {
                other.names.remove(path);
            }
        }
    }

    /** @return whether the kernel holds the node no longer (it dropped the inode, and its pages with it) */
    synchronized boolean forget(long nodeid, long count) {
        Node n = nodes.get(nodeid);
        if (n != null && (n.lookups -= count) <= 0) {
            nodes.remove(nodeid);
            n.names.forEach(p -> byName.remove(p, nodeid));
            return true;
        }
        return false;
    }

    /** The node the kernel holds under {@code path}, or 0. */
    synchronized long nodeAt(FusePath path) {
        if (path.equals(root)) {
            return ROOT;
        }
        Long id = byName.get(path);
        return id == null ? 0 : id;
    }

    /** Every node the kernel holds (the root aside). */
    synchronized List<Long> held() {
        return List.copyOf(nodes.keySet());
    }

    /**
     * The newest name of a node.
     *
     * @throws FuseException ESTALE for a node without a name (replaced by a rename or unlinked
     *                        since the kernel looked it up): the kernel then walks the path again
     */
    synchronized FusePath path(long nodeid) {
        if (nodeid == ROOT) {
            return root;
        }
        Node n = nodes.get(nodeid);
        if (n == null || n.names.isEmpty()) {
            throw new FuseException(Errno.ESTALE, "node " + nodeid + " has no name in this mount");
        }
        return n.names.getFirst();
    }

    /**
     * The name an open of the node resolves: its newest, or the one where a rename replaced
     * it (a process that looked the name up just before the rename opens what is there now).
     *
     * @throws FuseException ESTALE for a node without either
     */
    synchronized FusePath openName(long nodeid) {
        Node n = nodeid == ROOT ? null : nodes.get(nodeid);
        if (n != null && n.names.isEmpty() && n.replacedAt != null) {
            return n.replacedAt;
        }
        return path(nodeid);
    }

    /** Every name of a node this mount knows, newest first. */
    synchronized List<FusePath> names(long nodeid) {
        if (nodeid == ROOT) {
            return List.of(root);
        }
        Node n = nodes.get(nodeid);
        return n == null ? List.of() : List.copyOf(n.names);
    }

    /** Every name the kernel holds below {@code dir}. */
    synchronized List<FusePath> namesUnder(FusePath dir) {
        return List.copyOf(byName.subMap(dir.subtreeStart(), true, dir.subtreeEnd(), false).keySet());
    }

    /** A name is gone (unlink, rmdir, or the target a rename replaced). */
    synchronized void unlinked(FusePath path) {
        Long id = byName.remove(path);
        Node n = id == null ? null : nodes.get(id);
        if (n != null) {
            n.names.remove(path);
        }
    }

    /**
     * A rename: names at {@code from} (and with {@code directory}, under it) now start with
     * {@code to}; a file's rename touches only its node.
     */
    synchronized void renamed(FusePath from, FusePath to, boolean directory) {
        Long replaced = byName.remove(to);
        Node target = replaced == null ? null : nodes.get(replaced);
        if (target != null) {
            target.names.remove(to);
            target.replacedAt = to;
        }
        if (!directory) {
            Long moved = byName.remove(from);
            Node n = moved == null ? null : nodes.get(moved);
            if (n != null) {
                n.names.replaceAll(p -> p.equals(from) ? to : p);
                byName.put(to, moved);
            }
            return;
        }
        Map<FusePath, Long> under = namesAtAndUnder(from);
        under.keySet().forEach(byName::remove);
        moveNames(under, from, to);
    }

    /** RENAME_EXCHANGE: names at and under {@code a} now start with {@code b}, and the other way round. */
    synchronized void exchanged(FusePath a, FusePath b) {
        Map<FusePath, Long> atA = namesAtAndUnder(a);
        Map<FusePath, Long> atB = namesAtAndUnder(b);
        atA.keySet().forEach(byName::remove);
        atB.keySet().forEach(byName::remove);
        moveNames(atA, a, b);
        moveNames(atB, b, a);
    }

    private Map<FusePath, Long> namesAtAndUnder(FusePath p) {
        Map<FusePath, Long> under = new LinkedHashMap<>();
        Long self = byName.get(p);
        if (self != null) {
            under.put(p, self);
        }
        under.putAll(byName.subMap(p.subtreeStart(), true, p.subtreeEnd(), false));
        return under;
    }

    private void moveNames(Map<FusePath, Long> names, FusePath from, FusePath to) {
        names.forEach((p, id) -> {
            FusePath moved = p.moved(from, to);
            byName.put(moved, id);
            Node n = nodes.get(id);
            if (n != null) {
                n.names.replaceAll(name -> name.equals(p) ? moved : name);
            }
        });
    }

    /** Nodes held by the kernel. */
    synchronized int size() {
        return nodes.size();
    }

    /** Lookups the kernel holds of a node (0 if none). */
    synchronized long lookups(long nodeid) {
        Node n = nodes.get(nodeid);
        return n == null ? 0 : n.lookups;
    }
}
