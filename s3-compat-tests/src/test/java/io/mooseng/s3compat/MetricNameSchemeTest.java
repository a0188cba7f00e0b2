package io.mooseng.s3compat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

class MetricNameSchemeTest {
    @ParameterizedTest
    @CsvSource({"mooseng_repair_bytes_total, counter", "mooseng_chunkserver_capacity_bytes, gauge",
            "mooseng_s3_requests_seconds, histogram", "mooseng_erasure_kernel_info, gauge", "jvm_gc_pause_seconds, summary"})
    void acceptsTheScheme(String name, String type) {
        assertNull(MetricNameScheme.violation(name, type));
    }

    @ParameterizedTest
    @CsvSource({"moosengRepairBytes, gauge", "other_repair_bytes, gauge", "mooseng_repair_mib_per_second, gauge",
            "mooseng_repair_shards, counter", "mooseng_repair_shards_total, gauge", "mooseng_s3_requests, histogram"})
    void refusesWhatBreaksIt(String name, String type) {
        assertNotNull(MetricNameScheme.violation(name, type));
    }
}
