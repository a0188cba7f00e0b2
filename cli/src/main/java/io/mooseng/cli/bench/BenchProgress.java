package io.mooseng.cli.bench;

import io.mooseng.cli.ProgressLine;
import io.mooseng.cli.ProgressPrinter;

import java.util.concurrent.atomic.LongAdder;

/** One benchmark phase's progress on stderr (its table goes to stdout): operations done of all, the rate and the time left. */
final class BenchProgress implements AutoCloseable {
    private final LongAdder done = new LongAdder();
    private final long startNanos = System.nanoTime();
    private final ProgressPrinter printer;

    private BenchProgress(String mode, String phase, long total) {
        this.printer = ProgressPrinter.start(mode, false,
                () -> ProgressLine.of(phase, done.sum(), total, (System.nanoTime() - startNanos) / 1e9, ProgressLine.OPERATIONS));
    }

    /** @param mode --progress: auto, always or never */
    static BenchProgress start(String mode, String phase, long total) {
        return new BenchProgress(mode, phase, total);
    }

    void done(long operations) {
        done.add(operations);
    }

    @Override
    public void close() throws InterruptedException {
        if (printer != null) {
            printer.close();
        }
    }
}
