package io.mooseng.cli;

import io.mooseng.core.metadata.MaintenanceReports;
import io.mooseng.core.model.MaintenanceReport;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

/**
 * {@code admin class set --wait}: follows the leader's maintenance reports until one made after
 * the change finds no object whose class differs from its target, printing how many are left,
 * the rate and the time to go.
 */
final class RecodeWait {
    private static final long POLL_MILLIS = 2_000;

    private RecodeWait() {
    }

    /** @return 0 when re-coding is done, 3 when {@code timeoutMillis} passed first (it goes on) */
    static int await(MaintenanceReports reports, long changedAtMillis, long timeoutMillis, String progress, boolean json) throws Exception {
        long start = System.currentTimeMillis();
        AtomicReference<MaintenanceReport> first = new AtomicReference<>();
        AtomicReference<MaintenanceReport> last = new AtomicReference<>();
        ProgressPrinter printer = ProgressPrinter.start(progress, json, () -> line(first.get(), last.get()));
        try {
            while (true) {
                MaintenanceReport r = reports.maintenance().get(30, TimeUnit.SECONDS).orElse(null);
                if (r != null) {
                    first.compareAndSet(null, r);
                    last.set(r);
                    if (r.atMillis() > changedAtMillis && r.recodePending() == 0) {
                        return 0;
                    }
                }
                if (System.currentTimeMillis() - start > timeoutMillis) {
                    System.err.println("still re-coding after " + DurationArg.format(timeoutMillis) + "; `mooseng admin status` follows it");
                    return 3;
                }
                Thread.sleep(POLL_MILLIS);
            }
        } finally {
            if (printer != null) {
                printer.close();
            }
        }
    }

    static String line(MaintenanceReport first, MaintenanceReport last) {
        if (last == null) {
            return "re-coding: waiting for the first maintenance report";
        }
        long done = last.recodedObjects() - first.recodedObjects();
        double seconds = (last.atMillis() - first.atMillis()) / 1000.0;
        double rate = seconds > 0 ? done / seconds : 0;
        String eta = ProgressLine.eta(last.recodePending(), rate);
        return String.format("re-coding: %,d objects left, %,d done (%.1f/s), ETA %s", last.recodePending(), done, rate, eta);
    }
}
