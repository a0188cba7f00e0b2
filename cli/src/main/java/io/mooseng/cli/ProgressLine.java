package io.mooseng.cli;

import java.util.Locale;
import java.util.function.LongFunction;

/** A long operation's progress as one line: done of total, the rate so far and the time left at that rate. */
public final class ProgressLine {
    /** Operations, counted with thousands separators. */
    public static final LongFunction<String> OPERATIONS = n -> String.format(Locale.ROOT, "%,d", n);

    private ProgressLine() {
    }

    /**
     * "restoring: 1.2 GiB/3.4 GiB  120 MiB/s  ETA 0:19"
     *
     * @param unit how an amount prints ({@link #OPERATIONS}, {@link ByteSizes#approximate})
     */
    public static String of(String what, long done, long total, double seconds, LongFunction<String> unit) {
        double rate = seconds > 0 ? done / seconds : 0;
        String perSecond = unit == OPERATIONS ? String.format(Locale.ROOT, "%,.0f ops", rate) : unit.apply((long) rate);
        return String.format("%s: %s/%s  %s/s  ETA %s", what, unit.apply(done), unit.apply(total), perSecond, eta(total - done, rate));
    }

    /** The time {@code remaining} takes at {@code ratePerSecond}: m:ss (h:mm:ss from an hour), --:-- when unknown, 0:00 when done. */
    public static String eta(double remaining, double ratePerSecond) {
        if (remaining <= 0) {
            return DurationArg.clock(0);
        }
        return ratePerSecond > 0 ? DurationArg.clock((long) Math.ceil(remaining / ratePerSecond)) : "--:--";
    }
}
