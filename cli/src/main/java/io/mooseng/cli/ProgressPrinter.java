package io.mooseng.cli;

import java.util.function.Supplier;

/**
 * A long operation's progress on stderr: on a terminal one line rewritten every second, in a
 * log (not a terminal) a line every ten seconds; the last state is printed when it closes.
 * {@code --progress auto|always|never} chooses (auto: none when stdout carries JSON and
 * stderr is no terminal, so scripts see only the result).
 */
public final class ProgressPrinter implements AutoCloseable {
    private static final long TERMINAL_MILLIS = 1_000;
    private static final long LOG_MILLIS = 10_000;

    private final Thread ticker;
    private final Supplier<String> line;
    private final boolean terminal;

    private ProgressPrinter(Supplier<String> line, boolean terminal) {
        this.line = line;
        this.terminal = terminal;
        long every = terminal ? TERMINAL_MILLIS : LOG_MILLIS;
        this.ticker = Thread.ofPlatform().daemon().name("progress").start(() -> {
            try {
                while (true) {
                    Thread.sleep(every);
                    System.err.print(terminal ? "\r" + line.get() + "   " : line.get() + "\n");
                }
            } catch (InterruptedException e) {
                // closed
            }
        });
    }

    /**
     * @param mode auto, always or never (--progress)
     * @return a printer, or null when none is wanted
     */
    public static ProgressPrinter start(String mode, boolean jsonOutput, Supplier<String> line) {
        boolean terminal = System.console() != null;
        return switch (mode) {
            case "never" -> null;
            case "auto" -> jsonOutput && !terminal ? null : new ProgressPrinter(line, terminal);
            case "always" -> new ProgressPrinter(line, terminal);
            default -> throw new IllegalArgumentException("--progress is auto, always or never, not " + mode);
        };
    }

    /** Stops the ticker and prints the final state (on a terminal, ending its line). */
    @Override
    public void close() throws InterruptedException {
        ticker.interrupt();
        ticker.join();
        System.err.print(terminal ? "\r" + line.get() + "\n" : line.get() + "\n");
    }
}
