package io.mooseng.cli;

import java.util.Locale;

/** Parses sizes such as 4KiB, 64MiB, 1GiB, 512 (bytes). */
public final class ByteSizes {
    private ByteSizes() {
    }

    public static long parse(String s) {
        String t = s.trim().toLowerCase(Locale.ROOT);
        long unit = 1;
        for (String[] u : new String[][]{{"kib", "1024"}, {"mib", "1048576"}, {"gib", "1073741824"}, {"k", "1024"}, {"m", "1048576"}, {"g", "1073741824"}, {"b", "1"}}) {
            if (t.endsWith(u[0])) {
                unit = Long.parseLong(u[1]);
                t = t.substring(0, t.length() - u[0].length()).trim();
                break;
            }
        }
        return Long.parseLong(t) * unit;
    }

    public static String format(long bytes) {
        if (bytes >= (1L << 30) && bytes % (1L << 30) == 0) {
            return (bytes >> 30) + " GiB";
        }
        if (bytes >= (1 << 20) && bytes % (1 << 20) == 0) {
            return (bytes >> 20) + " MiB";
        }
        if (bytes >= 1024 && bytes % 1024 == 0) {
            return (bytes >> 10) + " KiB";
        }
        return bytes + " B";
    }

    /** A size to three figures for progress lines: 1.23 GiB, 45.6 MiB, 789 B. */
    public static String approximate(long bytes) {
        String[] units = {"B", "KiB", "MiB", "GiB", "TiB"};
        double v = bytes;
        int u = 0;
        while (v >= 1024 && u < units.length - 1) {
            v /= 1024;
            u++;
        }
        return u == 0 ? bytes + " B" : String.format(v >= 100 ? "%.0f %s" : v >= 10 ? "%.1f %s" : "%.2f %s", v, units[u]);
    }
}
