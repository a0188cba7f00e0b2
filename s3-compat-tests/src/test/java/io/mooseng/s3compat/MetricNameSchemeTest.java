package io.mooseng.s3compat;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

class MetricNameSchemeTest {
    @Test
    void acceptsTheScheme() {
        assertNull(MetricNameScheme.violation("mooseng_repair_bytes_total", "counter"));
        assertNull(MetricNameScheme.violation("mooseng_chunkserver_capacity_bytes", "gauge"));
        assertNull(MetricNameScheme.violation("mooseng_s3_requests_seconds", "histogram"));
        assertNull(MetricNameScheme.violation("mooseng_erasure_kernel_info", "gauge"));
        assertNull(MetricNameScheme.violation("jvm_gc_pause_seconds", "summary"));
    }

    @Test
    void refusesWhatBreaksIt() {
        assertNotNull(MetricNameScheme.violation("moosengRepairBytes", "gauge"));
        assertNotNull(MetricNameScheme.violation("other_repair_bytes", "gauge"));
        assertNotNull(MetricNameScheme.violation("mooseng_repair_mib_per_second", "gauge"));
        assertNotNull(MetricNameScheme.violation("mooseng_repair_shards", "counter"));
        assertNotNull(MetricNameScheme.violation("mooseng_repair_shards_total", "gauge"));
        assertNotNull(MetricNameScheme.violation("mooseng_s3_requests", "histogram"));
    }
}
