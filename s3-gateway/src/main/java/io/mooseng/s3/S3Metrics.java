package io.mooseng.s3;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;

import java.time.Duration;
import java.util.function.LongSupplier;

/**
 * The gateway's meters (names as Prometheus shows them; listed in the README):
 * <ul>
 *   <li>{@code mooseng_s3_requests_seconds} timer (count, sum, max, buckets), tags
 *       {@code operation} (ListBuckets, PutObject, ...) and {@code status} (2xx..5xx, or
 *       {@code aborted} when the connection closed before the response ended)</li>
 *   <li>{@code mooseng_s3_received_bytes_total} / {@code mooseng_s3_sent_bytes_total}: object payload, tag {@code operation}</li>
 *   <li>{@code mooseng_s3_errors_total}: error responses, tag {@code code} (the S3 error code)</li>
 *   <li>{@code mooseng_s3_audit_dropped_total}: audit log lines dropped because the disk fell behind (with {@code --audit-log})</li>
 * </ul>
 */
final class S3Metrics {
    private static final Duration[] BUCKETS = {
        Duration.ofMillis(5), Duration.ofMillis(10), Duration.ofMillis(25), Duration.ofMillis(50),
        Duration.ofMillis(100), Duration.ofMillis(250), Duration.ofMillis(500), Duration.ofSeconds(1),
        Duration.ofMillis(2500), Duration.ofSeconds(5), Duration.ofSeconds(10), Duration.ofSeconds(30)};

    private final Meter.MeterProvider<Timer> requests;
    private final Meter.MeterProvider<Counter> received;
    private final Meter.MeterProvider<Counter> sent;
    private final Meter.MeterProvider<Counter> errors;
    private final MeterRegistry registry;

    S3Metrics(MeterRegistry registry) {
        this.registry = registry;
        requests = Timer.builder("mooseng.s3.requests")
                .description("S3 requests by operation and status class")
                .serviceLevelObjectives(BUCKETS)
                .withRegistry(registry);
        received = Counter.builder("mooseng.s3.received.bytes").baseUnit("bytes")
                .description("Object payload bytes received").withRegistry(registry);
        sent = Counter.builder("mooseng.s3.sent.bytes").baseUnit("bytes")
                .description("Object payload bytes sent").withRegistry(registry);
        errors = Counter.builder("mooseng.s3.errors")
                .description("S3 error responses by error code").withRegistry(registry);
    }

    /** @param status the HTTP status sent, or 0 when the response never completed */
    void request(String operation, int status, long nanos, long bytesIn, long bytesOut) {
        String statusClass = status == 0 ? "aborted" : (status / 100) + "xx";
        requests.withTags("operation", operation, "status", statusClass).record(Duration.ofNanos(nanos));
        if (bytesIn > 0) {
            received.withTags("operation", operation).increment(bytesIn);
        }
        if (bytesOut > 0) {
            sent.withTags("operation", operation).increment(bytesOut);
        }
    }

    void auditDrops(LongSupplier dropped) {
        FunctionCounter.builder("mooseng.s3.audit.dropped", dropped, LongSupplier::getAsLong)
                .description("Audit log lines dropped because the file's writer fell behind").register(registry);
    }

    void error(String code) {
        errors.withTags("code", code).increment();
    }
}
