package io.mooseng.s3compat;

import io.mooseng.core.maintenance.MaintenanceConfig;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.BucketLifecycleConfiguration;
import software.amazon.awssdk.services.s3.model.BucketVersioningStatus;
import software.amazon.awssdk.services.s3.model.ExpirationStatus;
import software.amazon.awssdk.services.s3.model.GetBucketLifecycleConfigurationResponse;
import software.amazon.awssdk.services.s3.model.LifecycleRule;
import software.amazon.awssdk.services.s3.model.LifecycleRuleFilter;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.NoncurrentVersionTransition;
import software.amazon.awssdk.services.s3.model.ObjectVersion;
import software.amazon.awssdk.services.s3.model.Tag;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static io.mooseng.s3compat.S3Assertions.assertS3Error;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * S3 bucket lifecycle: the configuration (round trip, S3's validation errors) and its execution by
 * the leader's maintenance, on a cluster whose lifecycle "day" is one second and whose
 * maintenance runs every 300 ms.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class LifecycleTest {
    private static final Duration WAIT = Duration.ofSeconds(30);

    @RegisterExtension
    static final ClusterExtension cluster = new ClusterExtension()
            .withMaintenance(MaintenanceConfig.DEFAULTS.withInterval(300).withLifecycle(1000, 1000));

    private static S3Client s3;

    @BeforeAll
    static void setUp() {
        s3 = cluster.client();
    }

    private static void put(String bucket, String key, String body) {
        s3.putObject(b -> b.bucket(bucket).key(key), RequestBody.fromString(body));
    }

    private static void setRules(String bucket, LifecycleRule... rules) {
        s3.putBucketLifecycleConfiguration(b -> b.bucket(bucket).lifecycleConfiguration(c -> c.rules(rules)));
    }

    private static boolean exists(String bucket, String key) {
        try {
            s3.headObject(b -> b.bucket(bucket).key(key));
            return true;
        } catch (NoSuchKeyException e) {
            return false;
        }
    }

    private static void await(String what, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                fail("not within " + WAIT + ": " + what);
            }
            Thread.sleep(100);
        }
    }

    @Test
    void configurationRoundTripsAndDeletes() {
        String bucket = cluster.newBucket("lc-conf");
        assertS3Error(404, "NoSuchLifecycleConfiguration", () -> s3.getBucketLifecycleConfiguration(b -> b.bucket(bucket)));
        setRules(bucket,
                LifecycleRule.builder().id("logs").status(ExpirationStatus.ENABLED)
                        .filter(f -> f.and(a -> a.prefix("logs/").tags(Tag.builder().key("t").value("v").build())
                                .objectSizeGreaterThan(10L)))
                        .expiration(e -> e.days(30))
                        .transitions(t -> t.days(7).storageClass("REPLICATED_2"), t -> t.days(14).storageClass("GLACIER"))
                        .noncurrentVersionExpiration(n -> n.noncurrentDays(3).newerNoncurrentVersions(2))
                        .build(),
                LifecycleRule.builder().id("uploads").status(ExpirationStatus.DISABLED).filter(f -> f.prefix("up/"))
                        .abortIncompleteMultipartUpload(a -> a.daysAfterInitiation(2)).build(),
                LifecycleRule.builder().id("markers").status(ExpirationStatus.ENABLED).filter(LifecycleRuleFilter.builder().build())
                        .expiration(e -> e.expiredObjectDeleteMarker(true)).build(),
                LifecycleRule.builder().id("dated").status(ExpirationStatus.ENABLED).prefix("old/")
                        .expiration(e -> e.date(Instant.parse("2030-01-01T00:00:00Z"))).build());

        GetBucketLifecycleConfigurationResponse got = s3.getBucketLifecycleConfiguration(b -> b.bucket(bucket));
        assertEquals(4, got.rules().size());
        LifecycleRule logs = got.rules().get(0);
        assertEquals("logs", logs.id());
        assertEquals(ExpirationStatus.ENABLED, logs.status());
        assertEquals("logs/", logs.filter().and().prefix());
        assertEquals(List.of(Tag.builder().key("t").value("v").build()), logs.filter().and().tags());
        assertEquals(10L, logs.filter().and().objectSizeGreaterThan());
        assertEquals(30, logs.expiration().days());
        assertEquals(List.of("REPLICATED_2", "EC_8_4"), logs.transitions().stream().map(t -> t.storageClassAsString()).toList(),
                "S3's archive class names the MooseNG class it maps to");
        assertEquals(2, logs.noncurrentVersionExpiration().newerNoncurrentVersions());
        assertEquals(3, logs.noncurrentVersionExpiration().noncurrentDays());
        assertEquals(ExpirationStatus.DISABLED, got.rules().get(1).status());
        assertEquals("up/", got.rules().get(1).filter().prefix());
        assertEquals(2, got.rules().get(1).abortIncompleteMultipartUpload().daysAfterInitiation());
        assertEquals(true, got.rules().get(2).expiration().expiredObjectDeleteMarker());
        assertEquals("old/", got.rules().get(3).filter().prefix(), "the legacy rule prefix answers as a filter");
        assertEquals(Instant.parse("2030-01-01T00:00:00Z"), got.rules().get(3).expiration().date());

        s3.deleteBucketLifecycle(b -> b.bucket(bucket));
        assertS3Error(404, "NoSuchLifecycleConfiguration", () -> s3.getBucketLifecycleConfiguration(b -> b.bucket(bucket)));
    }

    @Test
    void invalidConfigurationsAreRefusedAsS3Does() {
        String bucket = cluster.newBucket("lc-bad");
        LifecycleRule.Builder ok = LifecycleRule.builder().id("a").status(ExpirationStatus.ENABLED).filter(f -> f.prefix(""))
                .expiration(e -> e.days(1));
        assertS3Error(400, "InvalidArgument", () -> setRules(bucket, ok.build(), ok.build()));
        assertS3Error(400, "InvalidArgument", () -> setRules(bucket, ok.copy().expiration(e -> e.days(0)).build()));
        assertS3Error(400, "InvalidArgument", () -> setRules(bucket, ok.copy().expiration(e -> e.date(Instant.parse("2030-01-01T12:00:00Z"))).build()));
        assertS3Error(400, "InvalidArgument", () -> setRules(bucket, ok.copy().noncurrentVersionExpiration(n -> n.noncurrentDays(-1)).build()));
        assertS3Error(400, "MalformedXML", () -> setRules(bucket, ok.copy().status("Sometimes").build()));
        assertS3Error(400, "MalformedXML", () -> setRules(bucket, ok.copy().prefix("both/").build()));
        assertS3Error(400, "MalformedXML", () -> s3.putBucketLifecycleConfiguration(b -> b.bucket(bucket)
                .lifecycleConfiguration(BucketLifecycleConfiguration.builder().rules(List.of()).build())));
        assertS3Error(400, "InvalidRequest", () -> setRules(bucket, LifecycleRule.builder().id("none").status(ExpirationStatus.ENABLED)
                .filter(f -> f.prefix("")).build()));
        assertS3Error(400, "InvalidStorageClass", () -> setRules(bucket, ok.copy().transitions(t -> t.days(0).storageClass("STANDARD")).build()));
        assertS3Error(400, "InvalidStorageClass", () -> setRules(bucket, ok.copy().expiration(e -> e.days(9))
                .transitions(t -> t.days(1).storageClass("EC_5")).build()));
        assertS3Error(400, "InvalidArgument", () -> setRules(bucket, ok.copy().filter(f -> f.tag(Tag.builder().key("k").value("v").build()))
                .abortIncompleteMultipartUpload(a -> a.daysAfterInitiation(1)).build()));
        List<LifecycleRule> many = new ArrayList<>();
        for (int i = 0; i <= 1000; i++) {
            many.add(ok.copy().id("r" + i).build());
        }
        assertS3Error(400, "InvalidArgument", () -> s3.putBucketLifecycleConfiguration(b -> b.bucket(bucket)
                .lifecycleConfiguration(c -> c.rules(many))));
        s3.putBucketLifecycleConfiguration(b -> b.bucket(bucket).lifecycleConfiguration(c -> c.rules(many.subList(0, 1000))));
        assertEquals(1000, s3.getBucketLifecycleConfiguration(b -> b.bucket(bucket)).rules().size());
        s3.deleteBucketLifecycle(b -> b.bucket(bucket));
    }

    @Test
    void expirationDeletesWhatTheFiltersSelect() throws Exception {
        String bucket = cluster.newBucket("lc-expire");
        put(bucket, "tmp/a", "a");
        put(bucket, "keep/b", "b");
        s3.putObject(b -> b.bucket(bucket).key("keep/tagged").tagging("expire=yes"), RequestBody.fromString("c"));
        put(bucket, "keep/big", "0123456789abcdef");
        setRules(bucket,
                LifecycleRule.builder().id("tmp").status(ExpirationStatus.ENABLED).filter(f -> f.prefix("tmp/"))
                        .expiration(e -> e.days(1)).build(),
                LifecycleRule.builder().id("tagged").status(ExpirationStatus.ENABLED)
                        .filter(f -> f.tag(Tag.builder().key("expire").value("yes").build())).expiration(e -> e.days(1)).build(),
                LifecycleRule.builder().id("big").status(ExpirationStatus.ENABLED).filter(f -> f.objectSizeGreaterThan(10L))
                        .expiration(e -> e.days(1)).build(),
                LifecycleRule.builder().id("off").status(ExpirationStatus.DISABLED).filter(f -> f.prefix("keep/"))
                        .expiration(e -> e.days(1)).build());
        await("tmp/a, keep/tagged and keep/big expire", () -> !exists(bucket, "tmp/a") && !exists(bucket, "keep/tagged")
                && !exists(bucket, "keep/big"));
        assertTrue(exists(bucket, "keep/b"), "no enabled rule covers keep/b");
    }

    @Test
    void versionedBucketsGetDeleteMarkersAndLoseOldVersions() throws Exception {
        String bucket = cluster.newBucket("lc-versions");
        s3.putBucketVersioning(b -> b.bucket(bucket).versioningConfiguration(c -> c.status(BucketVersioningStatus.ENABLED)));
        List<String> ids = new ArrayList<>();
        for (int i = 1; i <= 4; i++) {
            int n = i;
            ids.add(s3.putObject(b -> b.bucket(bucket).key("history"), RequestBody.fromString("v" + n)).versionId());
        }
        put(bucket, "gone", "x");
        setRules(bucket,
                LifecycleRule.builder().id("noncurrent").status(ExpirationStatus.ENABLED).filter(f -> f.prefix("history"))
                        .noncurrentVersionExpiration(n -> n.noncurrentDays(1).newerNoncurrentVersions(1)).build(),
                LifecycleRule.builder().id("gone").status(ExpirationStatus.ENABLED).filter(f -> f.prefix("gone"))
                        .expiration(e -> e.days(1)).noncurrentVersionExpiration(n -> n.noncurrentDays(1)).build(),
                LifecycleRule.builder().id("markers").status(ExpirationStatus.ENABLED).filter(f -> f.prefix("gone"))
                        .expiration(e -> e.expiredObjectDeleteMarker(true)).build());
        // the newest noncurrent version stays (NewerNoncurrentVersions 1), the two older ones go
        await("history keeps its current and newest noncurrent version",
                () -> versions(bucket, "history").equals(List.of(ids.get(3), ids.get(2))));
        // expiration puts a delete marker on top, the version under it goes as noncurrent, and then the lone marker
        await("gone has no version left", () -> versions(bucket, "gone").isEmpty());
    }

    @Test
    void noncurrentVersionsTransitionAndFollowTheBucketsClass() throws Exception {
        String bucket = cluster.newBucket("lc-noncurrent");
        s3.putBucketVersioning(b -> b.bucket(bucket).versioningConfiguration(c -> c.status(BucketVersioningStatus.ENABLED)));
        List<String> ids = new ArrayList<>();
        for (int i = 1; i <= 3; i++) {
            byte[] data = TestData.bytes(i, 200_000); // blocks, not inline: a re-code moves shards
            ids.add(s3.putObject(b -> b.bucket(bucket).key("nc/doc"), RequestBody.fromBytes(data)).versionId());
        }
        String before = storageClass(bucket, "nc/doc", ids.get(2));
        setRules(bucket, LifecycleRule.builder().id("nct").status(ExpirationStatus.ENABLED).filter(f -> f.prefix("nc/"))
                .noncurrentVersionTransitions(t -> t.noncurrentDays(1).newerNoncurrentVersions(1).storageClass("REDUCED_REDUNDANCY")).build());
        NoncurrentVersionTransition answered = s3.getBucketLifecycleConfiguration(b -> b.bucket(bucket)).rules().getFirst()
                .noncurrentVersionTransitions().getFirst();
        assertEquals(1, answered.noncurrentDays());
        assertEquals(1, answered.newerNoncurrentVersions());
        assertEquals("REPLICATED_2", answered.storageClassAsString());

        // the oldest noncurrent version moves; the newest noncurrent (NewerNoncurrentVersions 1) and the current stay
        await("the oldest version is re-coded to REPLICATED_2", () -> "REPLICATED_2".equals(storageClass(bucket, "nc/doc", ids.get(0))));
        assertEquals(before, storageClass(bucket, "nc/doc", ids.get(1)));
        assertEquals(before, storageClass(bucket, "nc/doc", ids.get(2)));
        assertArrayEquals(TestData.bytes(1, 200_000), s3.getObjectAsBytes(b -> b.bucket(bucket).key("nc/doc").versionId(ids.get(0))).asByteArray());
        assertEquals(ids, versions(bucket, "nc/doc").reversed(), "a re-code keeps each version's id and place");

        // a class change of the bucket re-codes noncurrent versions too (a lifecycle transition keeps precedence)
        s3.deleteBucketLifecycle(b -> b.bucket(bucket));
        cluster.admin("class", "set", bucket, "REPLICATED_3");
        await("every version is re-coded to REPLICATED_3", () -> ids.stream().allMatch(id -> "REPLICATED_3".equals(storageClass(bucket, "nc/doc", id))));
        assertArrayEquals(TestData.bytes(2, 200_000), s3.getObjectAsBytes(b -> b.bucket(bucket).key("nc/doc").versionId(ids.get(1))).asByteArray());
    }

    private static String storageClass(String bucket, String key, String versionId) {
        return s3.headObject(b -> b.bucket(bucket).key(key).versionId(versionId)).storageClassAsString();
    }

    private static List<String> versions(String bucket, String key) {
        return s3.listObjectVersions(b -> b.bucket(bucket).prefix(key)).versions().stream().map(ObjectVersion::versionId).toList();
    }

    @Test
    void incompleteUploadsAreAbortedAndTransitionsRecode() throws Exception {
        String bucket = cluster.newBucket("lc-uploads");
        String uploadId = s3.createMultipartUpload(b -> b.bucket(bucket).key("up/big")).uploadId();
        String kept = s3.createMultipartUpload(b -> b.bucket(bucket).key("other/big")).uploadId();
        s3.putObject(b -> b.bucket(bucket).key("cold/data"), RequestBody.fromBytes(new byte[300_000]));
        setRules(bucket,
                LifecycleRule.builder().id("abort").status(ExpirationStatus.ENABLED).filter(f -> f.prefix("up/"))
                        .abortIncompleteMultipartUpload(a -> a.daysAfterInitiation(1)).build(),
                LifecycleRule.builder().id("cold").status(ExpirationStatus.ENABLED).filter(f -> f.prefix("cold/"))
                        .transitions(t -> t.days(1).storageClass("REPLICATED_2")).build());
        await("the upload under up/ is aborted", () -> s3.listMultipartUploads(b -> b.bucket(bucket)).uploads().stream()
                .noneMatch(u -> u.uploadId().equals(uploadId)));
        assertEquals(List.of(kept), s3.listMultipartUploads(b -> b.bucket(bucket)).uploads().stream().map(u -> u.uploadId()).toList());
        await("cold/data is re-coded to REPLICATED_2",
                () -> "REPLICATED_2".equals(s3.headObject(b -> b.bucket(bucket).key("cold/data")).storageClassAsString()));
        assertEquals(300_000, s3.getObjectAsBytes(b -> b.bucket(bucket).key("cold/data")).asByteArray().length);

        await("admin status counts the abort and the transition", () -> {
            String status = cluster.admin("status", "--json");
            return count(status, "lifecycleAborted") >= 1 && count(status, "lifecycleTransitioned") >= 1
                    && count(status, "lifecyclePassMillis") > 0;
        });
        assertTrue(cluster.admin("status").contains("lifecycle: last pass"));
        Map<String, String> families = PrometheusText.families(cluster.endpoint().resolve("/metrics"));
        for (String name : List.of("mooseng_lifecycle_expired_objects_total", "mooseng_lifecycle_transitioned_objects_total",
                "mooseng_lifecycle_aborted_uploads_total", "mooseng_lifecycle_last_pass_timestamp_seconds")) {
            assertTrue(families.containsKey(name), name + " in " + families.keySet());
            assertNull(MetricNameScheme.violation(name, families.get(name)), name);
        }
    }

    private static long count(String json, String field) {
        Matcher m = Pattern.compile("\"" + field + "\"\\s*:\\s*(\\d+)").matcher(json);
        return m.find() ? Long.parseLong(m.group(1)) : -1;
    }
}
