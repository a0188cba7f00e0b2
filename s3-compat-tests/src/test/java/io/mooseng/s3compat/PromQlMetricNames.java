package io.mooseng.s3compat;

import java.util.LinkedHashSet;
import java.util.Set;

/**
 * The metric names a PromQL expression reads: identifiers that are not a function call, a
 * keyword, a label (inside braces or a grouping list) or a Grafana variable. Enough of PromQL
 * for dashboards; strings, label matchers and range brackets are skipped whole.
 */
final class PromQlMetricNames {
    /** Keywords followed by a parenthesised list of label names. */
    private static final Set<String> GROUPING = Set.of("by", "without", "on", "ignoring", "group_left", "group_right");
    /** Operators, and aggregations (which may put their grouping before the parenthesis: sum by (x) (...)). */
    private static final Set<String> KEYWORDS = Set.of("and", "or", "unless", "offset", "bool", "inf", "nan",
            "sum", "min", "max", "avg", "group", "stddev", "stdvar", "count", "count_values", "bottomk", "topk",
            "quantile", "limitk", "limit_ratio");

    private final String expr;
    private int i;

    private PromQlMetricNames(String expr) {
        this.expr = expr;
    }

    static Set<String> of(String expr) {
        return new PromQlMetricNames(expr).scan();
    }

    private Set<String> scan() {
        Set<String> names = new LinkedHashSet<>();
        while (i < expr.length()) {
            char c = expr.charAt(i);
            if (c == '"' || c == '\'' || c == '`') {
                skipString(c);
            } else if (c == '{') {
                skipPast('}');
            } else if (c == '[') {
                skipPast(']');
            } else if (c == '$' || Character.isDigit(c) || c == '.') {
                i++;
                word(); // a variable, a number or a duration: never a metric
            } else if (identifierStart(c)) {
                String word = word();
                if (GROUPING.contains(word)) {
                    if (next() == '(') {
                        skipPast(')');
                    }
                } else if (!KEYWORDS.contains(word) && next() != '(') {
                    names.add(word);
                }
            } else {
                i++;
            }
        }
        return names;
    }

    private String word() {
        int start = i;
        while (i < expr.length() && (identifierStart(expr.charAt(i)) || Character.isDigit(expr.charAt(i)))) {
            i++;
        }
        return expr.substring(start, i);
    }

    /** The next character that is not white space, without consuming it; 0 at the end. */
    private char next() {
        while (i < expr.length() && Character.isWhitespace(expr.charAt(i))) {
            i++;
        }
        return i < expr.length() ? expr.charAt(i) : 0;
    }

    private void skipString(char quote) {
        i++;
        while (i < expr.length() && expr.charAt(i) != quote) {
            i += expr.charAt(i) == '\\' ? 2 : 1;
        }
        i++;
    }

    private void skipPast(char close) {
        while (i < expr.length() && expr.charAt(i) != close) {
            char c = expr.charAt(i);
            if (c == '"' || c == '\'' || c == '`') {
                skipString(c);
            } else {
                i++;
            }
        }
        i++;
    }

    private static boolean identifierStart(char c) {
        return c == '_' || c == ':' || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
    }
}
