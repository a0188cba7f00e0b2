package io.mooseng.multisite.tree;

import io.mooseng.core.model.ZoneStamp;

import java.util.ArrayDeque;
import java.util.Collections;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * A namespace tree replicated across zones by one operation, the {@link Move}, after Kleppmann
 * et al., "A highly-available move operation for replicated trees" (IEEE TPDS, 2021). Any zone
 * may apply any move at any time; replicas that have applied the same set of moves, in any
 * order and with any duplicates, are in the same state, visible names included.
 *
 * <p>Rules:
 * <ol>
 * <li><b>State.</b> Each node has at most one placement: (parent, name, stamp of the move that
 *     placed it there). A node without one is absent. {@link #ROOT} and {@link #TRASH} are
 *     never placed; deleting is moving under TRASH, and moving out of it restores.
 * <li><b>Order.</b> Moves take effect in {@link ZoneStamp} order. A move that arrives after moves
 *     with larger stamps undoes those (newest first), does itself, and redoes them (oldest
 *     first): the state is always that of doing the logged moves in stamp order.
 * <li><b>Cycles.</b> A move whose child is its new parent or an ancestor of it is skipped: it
 *     changes nothing but stays logged, so undo and redo stay exact. Every redo checks again,
 *     so whether a move is skipped depends only on the moves before it in stamp order. Of two
 *     concurrent crossed moves ({@code mv a b/} and {@code mv b a/}) the later-stamped one is
 *     skipped everywhere.
 * <li><b>Duplicates.</b> A move whose stamp is logged changes nothing; a different move with a
 *     logged stamp is refused ({@link IllegalArgumentException}): stamps name moves.
 * <li><b>Moves out of causal order.</b> A node may be placed under a node not placed here yet
 *     (the move creating it is still in flight): it then sits in a detached subtree, neither
 *     under the root nor the trash, until that move arrives. With every move that causally
 *     precedes the logged ones, every node is reachable from exactly one of ROOT and TRASH.
 * <li><b>Same-name collisions.</b> Names are never refused. Under one parent, the children
 *     placed with the same name form a group ordered by the stamp of the move that placed each
 *     there (every move re-places its child, a rename to the same name included). The first of
 *     each group is shown under its own name. Every other is shown as {@code name~zone~hlc},
 *     zone and hlc being its placing move's (hlc in decimal; name cut at a code point so the
 *     whole fits 255 UTF-8 bytes); should that string be taken, {@code ~2}, {@code ~3}, ... is
 *     appended, the first not taken. Taken means: the own name of a group's first, or a name
 *     derived for an earlier-placed child of the directory. So a derived name never hides an
 *     own name, shown names are unique per directory, and they depend only on the directory's
 *     placements: the same on every replica. A derived name leads back to its move (zone,
 *     hlc) and to its own name: the name its group's first is shown under. A file and a
 *     directory with one name are two nodes with one name: the same rule.
 * <li><b>Truncation.</b> {@link #truncateBefore} drops the undo records of the moves stamped
 *     before a point the caller knows is causally stable; a move stamped before it that
 *     arrives afterwards is refused with {@link StaleMoveException}.
 * </ol>
 *
 * <p>Pure and deterministic (no I/O, clocks or randomness), not thread-safe. Applying a move
 * costs O(log n + depth), plus the same for each later-stamped move it replays.
 */
public final class ReplicatedTree {
    public static final long ROOT = 1;
    public static final long TRASH = 2;

    private final NavigableMap<ZoneStamp, LogEntry> log = new TreeMap<>();
    private final Map<Long, Placement> placements = new HashMap<>();
    private final Map<Long, Directory> directories = new HashMap<>();
    private ZoneStamp truncatedBefore; // null until the first truncation

    // a logged move and its child's placement just before it (null: absent), which undo restores
    private record LogEntry(Move move, Placement before) {
    }

    /** Applies a move received from any zone, this one included; see the class rules. */
    public Applied apply(Move move) {
        if (truncatedBefore != null && move.stamp().compareTo(truncatedBefore) < 0) {
            throw new StaleMoveException(move, truncatedBefore);
        }
        LogEntry logged = log.get(move.stamp());
        if (logged != null) {
            if (!logged.move().equals(move)) {
                throw new IllegalArgumentException("two different moves stamped " + move.stamp() + ": "
                        + logged.move() + " and " + move);
            }
            return new Applied(Applied.Outcome.DUPLICATE, 0);
        }
        NavigableMap<ZoneStamp, LogEntry> later = log.tailMap(move.stamp(), false);
        List<Move> redo = later.values().stream().map(LogEntry::move).toList();
        later.descendingMap().values().forEach(this::undo);
        boolean moved = doMove(move);
        redo.forEach(this::doMove);
        return new Applied(moved ? Applied.Outcome.MOVED : Applied.Outcome.SKIPPED_AS_CYCLE, redo.size());
    }

    /**
     * Forgets the undo records of moves stamped before {@code causallyStable}, which every zone
     * must have applied, and refuses moves stamped before it from now on. An earlier point than
     * the current one changes nothing.
     */
    public void truncateBefore(ZoneStamp causallyStable) {
        if (truncatedBefore == null || causallyStable.compareTo(truncatedBefore) > 0) {
            log.headMap(causallyStable, false).clear();
            truncatedBefore = causallyStable;
        }
    }

    /** The node's parent, or empty when the node is absent. */
    public OptionalLong parent(long node) {
        Placement p = placements.get(node);
        return p == null ? OptionalLong.empty() : OptionalLong.of(p.parent());
    }

    /** The name the node is shown under in its parent (see the collision rule), or empty when absent. */
    public Optional<String> name(long node) {
        Placement p = placements.get(node);
        return p == null ? Optional.empty() : Optional.of(visibleName(node, p));
    }

    /** Shown name -> node, sorted by name, for the children of {@code parent}. */
    public SortedMap<String, Long> children(long parent) {
        Directory d = directories.get(parent);
        return d == null ? Collections.emptySortedMap() : Collections.unmodifiableSortedMap(d.visibleNames());
    }

    /**
     * The node's path from the root in shown names ("/" for the root), or empty when the node
     * is absent, deleted (under the trash) or detached.
     */
    public Optional<String> pathOf(long node) {
        Deque<String> names = new ArrayDeque<>();
        for (long n = node; n != ROOT; ) {
            Placement p = placements.get(n);
            if (p == null) {
                return Optional.empty();
            }
            names.addFirst(visibleName(n, p));
            n = p.parent();
        }
        return Optional.of("/" + String.join("/", names));
    }

    /** Every placed node (absent ones, the root and the trash excluded); a read-only view. */
    public Set<Long> nodes() {
        return Collections.unmodifiableSet(placements.keySet());
    }

    /** How many moves are logged with undo records: those since the truncation point. */
    public int logSize() {
        return log.size();
    }

    // does the move (or skips it as a cycle) and logs it with what it replaced; true if it moved
    private boolean doMove(Move move) {
        Placement before = placements.get(move.child());
        log.put(move.stamp(), new LogEntry(move, before));
        if (isSelfOrAncestor(move.child(), move.newParent())) {
            return false;
        }
        if (before != null) {
            detach(move.child(), before);
        }
        attach(move.child(), new Placement(move.newParent(), move.name(), move.stamp()));
        return true;
    }

    private void undo(LogEntry entry) {
        long child = entry.move().child();
        Placement now = placements.get(child);
        if (!Objects.equals(now, entry.before())) { // equal when the move was skipped
            detach(child, now);
            if (entry.before() != null) {
                attach(child, entry.before());
            }
        }
    }

    // terminates: the placements never form a cycle
    private boolean isSelfOrAncestor(long node, long of) {
        for (long n = of; ; ) {
            if (n == node) {
                return true;
            }
            Placement p = placements.get(n);
            if (p == null) {
                return false;
            }
            n = p.parent();
        }
    }

    private void attach(long child, Placement placement) {
        placements.put(child, placement);
        directories.computeIfAbsent(placement.parent(), p -> new Directory()).add(child, placement);
    }

    private void detach(long child, Placement placement) {
        placements.remove(child);
        Directory d = directories.get(placement.parent());
        d.remove(placement);
        if (d.isEmpty()) {
            directories.remove(placement.parent());
        }
    }

    private String visibleName(long node, Placement p) {
        return directories.get(p.parent()).visibleName(node, p);
    }
}
