package io.mooseng.multisite.tree;

/**
 * What {@link ReplicatedTree#apply} did with a move, for logs and metrics.
 *
 * @param outcome  whether the move took effect, as of the moves known when it arrived (a move
 *                 that arrives later with a smaller stamp can change that on redo)
 * @param replayed how many logged moves with larger stamps were undone and redone to slot it
 *                 into history: 0 when it arrives in order
 */
public record Applied(Outcome outcome, int replayed) {
    public enum Outcome {
        /** The child now has the move's placement. */
        MOVED,
        /** The child is the new parent or one of its ancestors: nothing changed, the move stays logged. */
        SKIPPED_AS_CYCLE,
        /** A move with this stamp was already logged: nothing changed. */
        DUPLICATE
    }
}
