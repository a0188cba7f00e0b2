package io.mooseng.core.fuzz;

import java.lang.management.ManagementFactory;
import java.util.Arrays;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Collectors;

/**
 * Seeded random trials for the parsers' fuzz tests: property-based testing without a
 * framework. Each trial gets a {@link SplittableRandom} of its own seed, so a failure names
 * the one seed that replays it. Trials run on a thread of their own, watched: a trial that
 * takes longer than {@link #HANG_MILLIS} fails as a hang, with its stack.
 *
 * <p>System properties (given to Maven with {@code -D}):
 * <ul>
 *   <li>{@code mooseng.fuzz.tries}: trials per property (default: the test's own, small for CI);</li>
 *   <li>{@code mooseng.fuzz.seconds}: run each property this long instead, from a random start
 *       (a new region of inputs each run; {@code scripts/fuzz.sh});</li>
 *   <li>{@code mooseng.fuzz.seed}: replay the one trial of that seed.</li>
 * </ul>
 */
public final class Fuzz {
    public static final long HANG_MILLIS = 10_000;

    /** One trial: returns normally when the property holds, throws (an AssertionError) when not. */
    @FunctionalInterface
    public interface Trial {
        void run(SplittableRandom random) throws Exception;
    }

    private Fuzz() {
    }

    /**
     * Runs {@code trial} over many seeds.
     *
     * @throws AssertionError naming the property, the failing seed and the cause
     */
    public static void check(String property, int defaultTries, Trial trial) {
        Long replay = Long.getLong("mooseng.fuzz.seed");
        long seconds = Long.getLong("mooseng.fuzz.seconds", 0);
        int tries = Integer.getInteger("mooseng.fuzz.tries", defaultTries);
        long base = seconds > 0 ? System.nanoTime() : property.hashCode();
        long deadline = System.nanoTime() + seconds * 1_000_000_000L;
        Runner runner = new Runner(property, trial, i -> replay != null ? replay : mix(base + i),
                replay != null ? 1 : seconds > 0 ? Long.MAX_VALUE : tries, seconds > 0 ? deadline : Long.MAX_VALUE);
        runner.runWatched();
    }

    /** Bytes the calling thread allocated so far (HotSpot's count): for properties on memory use. */
    public static long allocatedBytes() {
        return ((com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean()).getCurrentThreadAllocatedBytes();
    }

    /** SplitMix64's finalizer: neighbouring indexes give unrelated seeds. */
    private static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xbf58476d1ce4e5b9L;
        z = (z ^ (z >>> 27)) * 0x94d049bb133111ebL;
        return z ^ (z >>> 31);
    }

    private static final class Runner implements Runnable {
        private final String property;
        private final Trial trial;
        private final java.util.function.LongUnaryOperator seeds;
        private final long tries;
        private final long deadline;
        private final AtomicReference<Throwable> failure = new AtomicReference<>();
        private volatile long seed;
        private volatile long trialStart;
        private volatile long done;

        Runner(String property, Trial trial, java.util.function.LongUnaryOperator seeds, long tries, long deadline) {
            this.property = property;
            this.trial = trial;
            this.seeds = seeds;
            this.tries = tries;
            this.deadline = deadline;
        }

        @Override
        public void run() {
            for (long i = 0; i < tries && System.nanoTime() < deadline; i++) {
                seed = seeds.applyAsLong(i);
                trialStart = System.nanoTime();
                try {
                    trial.run(new SplittableRandom(seed));
                } catch (Throwable t) {
                    failure.set(t);
                    return;
                }
                done = i + 1;
            }
        }

        void runWatched() {
            Thread worker = Thread.ofPlatform().name("fuzz-" + property).daemon().start(this);
            try {
                while (!worker.join(java.time.Duration.ofMillis(100))) {
                    long running = (System.nanoTime() - trialStart) / 1_000_000;
                    if (trialStart != 0 && running > HANG_MILLIS) {
                        String stack = Arrays.stream(worker.getStackTrace()).map(e -> "\n\tat " + e).collect(Collectors.joining());
                        worker.interrupt();
                        throw new AssertionError(property + ": the trial of seed " + seed + " (-Dmooseng.fuzz.seed=" + seed
                                + ") ran " + running + " ms: a hang" + stack);
                    }
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError(property + ": interrupted", e);
            }
            Throwable t = failure.get();
            if (t != null) {
                throw new AssertionError(property + ": fails for seed " + seed + " (replay: -Dmooseng.fuzz.seed=" + seed
                        + ") after " + done + " passing trials: " + t, t);
            }
            System.out.println("fuzz " + property + ": " + done + " trials passed");
        }
    }
}
