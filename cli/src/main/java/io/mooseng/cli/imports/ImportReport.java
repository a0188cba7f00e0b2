package io.mooseng.cli.imports;

import io.mooseng.cli.ByteSizes;
import io.mooseng.cli.ProgressLine;
import io.mooseng.core.error.Failures;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.LongAdder;

/** What an import did, counted as it goes (thread-safe): the progress line and the final report. */
public final class ImportReport {
    /** Failures listed by name; past this only counted. */
    private static final int LISTED_FAILURES = 100;

    private final long totalEntries;
    private final long totalBytes;
    private final long startNanos = System.nanoTime();
    private final LongAdder files = new LongAdder();
    private final LongAdder directories = new LongAdder();
    private final LongAdder symlinks = new LongAdder();
    private final LongAdder hardLinks = new LongAdder();
    private final LongAdder special = new LongAdder();
    private final LongAdder skipped = new LongAdder();
    private final LongAdder verified = new LongAdder();
    private final LongAdder bytes = new LongAdder();
    private final LongAdder failedCount = new LongAdder();
    private final List<String> failures = new ArrayList<>();

    /** @param totalEntries non-directory entries the source holds, @param totalBytes their bytes (for the ETA) */
    public ImportReport(long totalEntries, long totalBytes) {
        this.totalEntries = totalEntries;
        this.totalBytes = totalBytes;
    }

    void file() {
        files.increment();
    }

    void directory() {
        directories.increment();
    }

    void symlink() {
        symlinks.increment();
    }

    void hardLink() {
        hardLinks.increment();
    }

    void special() {
        special.increment();
    }

    void verified() {
        verified.increment();
    }

    void bytes(long n) {
        bytes.add(n);
    }

    /** An entry already in the cluster as the source has it (a resumed import); its bytes count as done. */
    void skipped(long size) {
        skipped.increment();
        bytes.add(size);
    }

    void failed(String path, Throwable e) {
        failedCount.increment();
        synchronized (failures) {
            if (failures.size() < LISTED_FAILURES) {
                failures.add((path.isEmpty() ? "." : path) + ": " + message(e));
            }
        }
    }

    public long failed() {
        return failedCount.sum();
    }

    private long entriesDone() {
        return files.sum() + symlinks.sum() + hardLinks.sum() + special.sum() + skipped.sum() + failedCount.sum();
    }

    /** One line: entries and bytes done of the totals, the rate, and the time left at that rate. */
    public String progressLine() {
        double seconds = Math.max(1e-3, (System.nanoTime() - startNanos) / 1e9);
        long done = bytes.sum();
        double rate = done / seconds;
        String eta = ProgressLine.eta(totalBytes - done, rate);
        return String.format("%,d/%,d entries  %s/%s  %s/s  ETA %s%s", entriesDone(), totalEntries, ByteSizes.approximate(done),
                ByteSizes.approximate(totalBytes), ByteSizes.approximate((long) rate), eta, failed() > 0 ? "  " + failed() + " failed" : "");
    }

    /** The final report, for {@code --json} and for people. */
    public Map<String, Object> summary() {
        double seconds = (System.nanoTime() - startNanos) / 1e9;
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("files", files.sum());
        m.put("directories", directories.sum());
        m.put("symlinks", symlinks.sum());
        m.put("hardLinks", hardLinks.sum());
        m.put("specialFiles", special.sum());
        m.put("skipped", skipped.sum());
        m.put("verified", verified.sum());
        m.put("bytes", bytes.sum());
        m.put("seconds", Math.round(seconds * 10) / 10.0);
        m.put("mibPerSecond", Math.round(bytes.sum() / 1048576.0 / Math.max(seconds, 1e-3) * 10) / 10.0);
        m.put("failed", failed());
        synchronized (failures) {
            m.put("failures", List.copyOf(failures));
        }
        return m;
    }

    private static String message(Throwable e) {
        Throwable c = Failures.unwrap(e);
        return c.getMessage() != null ? c.getMessage() : c.getClass().getSimpleName();
    }
}
