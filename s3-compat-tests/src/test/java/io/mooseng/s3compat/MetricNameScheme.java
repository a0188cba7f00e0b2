package io.mooseng.s3compat;

import java.util.Set;
import java.util.regex.Pattern;

/**
 * The naming scheme of every exported metric (README, "Metrics"): {@code mooseng_} (or
 * {@code jvm_}, Micrometer's JVM meters), snake_case, base units spelled out, {@code _total}
 * on counters and only there, histograms of {@code _seconds} or {@code _bytes}.
 */
final class MetricNameScheme {
    private static final Pattern SNAKE_CASE = Pattern.compile("(mooseng|jvm)(_[a-z0-9]+)+");
    /** Units Prometheus would have in base units (bytes, seconds) or as a ratio. */
    private static final Set<String> NON_BASE_UNITS = Set.of("kib", "mib", "gib", "kb", "mb", "gb", "ms", "millis",
            "milliseconds", "micros", "nanos", "minutes", "hours", "percent");

    private MetricNameScheme() {
    }

    /** Why {@code name}, a family of Prometheus type {@code type}, breaks the scheme; null if it does not. */
    static String violation(String name, String type) {
        if (!SNAKE_CASE.matcher(name).matches()) {
            return "not mooseng_ (or jvm_) and snake_case";
        }
        for (String word : name.split("_")) {
            if (NON_BASE_UNITS.contains(word)) {
                return "unit " + word + " is not a base unit (bytes, seconds)";
            }
        }
        boolean total = name.endsWith("_total");
        if (type.equals("counter") != total) {
            return type.equals("counter") ? "a counter without _total" : "_total on a " + type;
        }
        if ((type.equals("histogram") || type.equals("summary")) && !name.endsWith("_seconds") && !name.endsWith("_bytes")) {
            return "a " + type + " without its unit (_seconds or _bytes)";
        }
        return null;
    }
}
