package io.mooseng.s3compat;

import org.junit.jupiter.api.Test;

import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;

class PromQlMetricNamesTest {
    @Test
    void findsMetricsButNotFunctionsKeywordsLabelsOrVariables() {
        assertEquals(Set.of("mooseng_s3_requests_seconds_bucket"), PromQlMetricNames.of(
                "histogram_quantile(0.99, sum by (le) (rate(mooseng_s3_requests_seconds_bucket{operation=~\"Put.*\"}[$__rate_interval])))"));
        assertEquals(Set.of("a_total", "b"), PromQlMetricNames.of(
                "sum without (node) (rate(a_total[5m] offset 1h)) / on (instance) group_left (node) b > bool 0.5e3"));
        assertEquals(Set.of("x", "y"), PromQlMetricNames.of("1 - x/y and x unless y{state='}'}"));
        assertEquals(Set.of("term"), PromQlMetricNames.of("max(term)"));
    }
}
