package io.mooseng.s3.handler;

import io.mooseng.core.model.LifecycleRule;
import io.mooseng.core.model.StorageClass;
import io.mooseng.s3.error.S3Error;
import io.mooseng.s3.error.S3Exception;
import io.mooseng.s3.xml.LifecycleConfiguration;
import io.mooseng.s3.xml.S3Xml;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class LifecycleRulesTest {
    private static List<LifecycleRule> parse(String rule) {
        String xml = "<LifecycleConfiguration xmlns=\"http://s3.amazonaws.com/doc/2006-03-01/\">" + rule + "</LifecycleConfiguration>";
        return LifecycleRules.fromDocument(S3Xml.read(xml.getBytes(StandardCharsets.UTF_8), LifecycleConfiguration.class));
    }

    private static S3Error error(String rule) {
        return assertThrows(S3Exception.class, () -> parse(rule)).error();
    }

    private static String expiringOn(String date) {
        return "<Rule><ID>d</ID><Filter/><Status>Enabled</Status><Expiration><Date>" + date + "</Date></Expiration></Rule>";
    }

    @Test
    void datesAreMidnightUtcInAnyIsoForm() {
        long midnight = Instant.parse("2030-01-01T00:00:00Z").toEpochMilli();
        for (String d : List.of("2030-01-01", "2030-01-01T00:00:00Z", "2030-01-01T00:00:00.000Z", "2030-01-01T01:00:00+01:00")) {
            assertEquals(midnight, parse(expiringOn(d)).getFirst().expirationDateMillis(), d);
        }
        assertEquals(S3Error.INVALID_ARGUMENT, error(expiringOn("2030-01-01T00:00:01Z")));
        assertEquals(S3Error.INVALID_ARGUMENT, error(expiringOn("tomorrow")));
    }

    @Test
    void filtersBecomeOneConditionSet() {
        LifecycleRule r = parse("<Rule><ID>a</ID><Filter><And><Prefix>p/</Prefix><Tag><Key>k1</Key><Value>v1</Value></Tag>"
                + "<Tag><Key>k2</Key><Value>v2</Value></Tag><ObjectSizeLessThan>100</ObjectSizeLessThan></And></Filter>"
                + "<Status>Enabled</Status><Transition><Days>0</Days><StorageClass>GLACIER</StorageClass></Transition></Rule>").getFirst();
        assertEquals(new LifecycleRule.Filter("p/", Map.of("k1", "v1", "k2", "v2"), LifecycleRule.NONE, 100), r.filter());
        assertEquals(List.of(new LifecycleRule.Transition(0, LifecycleRule.NONE, StorageClass.erasure(8, 4))), r.transitions());
        LifecycleRule legacy = parse("<Rule><Prefix>old/</Prefix><Status>Disabled</Status><Expiration><Days>3</Days></Expiration></Rule>")
                .getFirst();
        assertEquals("rule-1", legacy.id());
        assertEquals("old/", legacy.filter().prefix());
        assertEquals(3, legacy.expirationDays());
        assertEquals(S3Error.MALFORMED_XML, error("<Rule><Filter><Prefix>a</Prefix><ObjectSizeLessThan>5</ObjectSizeLessThan></Filter>"
                + "<Status>Enabled</Status><Expiration><Days>3</Days></Expiration></Rule>"));
        assertEquals(S3Error.INVALID_ARGUMENT, error("<Rule><Filter><And><ObjectSizeGreaterThan>5</ObjectSizeGreaterThan>"
                + "<ObjectSizeLessThan>5</ObjectSizeLessThan></And></Filter><Status>Enabled</Status><Expiration><Days>3</Days>"
                + "</Expiration></Rule>"));
    }

    @Test
    void actionsFollowS3sRules() {
        assertEquals(S3Error.MALFORMED_XML, error("<Rule><Filter/><Status>Enabled</Status><Expiration><Days>3</Days>"
                + "<ExpiredObjectDeleteMarker>true</ExpiredObjectDeleteMarker></Expiration></Rule>"));
        assertEquals(S3Error.MALFORMED_XML, error("<Rule><Filter/><Status>Enabled</Status><Expiration><Days>x</Days></Expiration></Rule>"));
        assertEquals(S3Error.INVALID_ARGUMENT, error("<Rule><Filter/><Status>Enabled</Status><Expiration><Days>5</Days></Expiration>"
                + "<Transition><Days>5</Days><StorageClass>EC_8_4</StorageClass></Transition></Rule>"));
        assertEquals(S3Error.INVALID_ARGUMENT, error("<Rule><Filter/><Status>Enabled</Status><NoncurrentVersionExpiration>"
                + "<NoncurrentDays>1</NoncurrentDays><NewerNoncurrentVersions>101</NewerNoncurrentVersions></NoncurrentVersionExpiration></Rule>"));
        assertEquals(S3Error.INVALID_ARGUMENT, error("<Rule><Filter/><Status>Enabled</Status><NoncurrentVersionExpiration>"
                + "<NoncurrentDays>3</NoncurrentDays></NoncurrentVersionExpiration><NoncurrentVersionTransition>"
                + "<NoncurrentDays>3</NoncurrentDays><StorageClass>EC_8_4</StorageClass></NoncurrentVersionTransition></Rule>"));
        assertEquals(S3Error.INVALID_ARGUMENT, error("<Rule><Filter/><Status>Enabled</Status><NoncurrentVersionTransition>"
                + "<NoncurrentDays>1</NoncurrentDays><StorageClass>EC_8_4</StorageClass></NoncurrentVersionTransition>"
                + "<NoncurrentVersionTransition><NoncurrentDays>2</NoncurrentDays><StorageClass>GLACIER</StorageClass>"
                + "</NoncurrentVersionTransition></Rule>"));
        assertEquals(S3Error.MALFORMED_XML, error("<Rule><Filter/><Status>Enabled</Status><NoncurrentVersionTransition>"
                + "<StorageClass>EC_8_4</StorageClass></NoncurrentVersionTransition></Rule>"));
        assertEquals(S3Error.INVALID_STORAGE_CLASS, error("<Rule><Filter/><Status>Enabled</Status><Transition><Days>1</Days>"
                + "<StorageClass>INTELLIGENT_TIERING</StorageClass></Transition></Rule>"));
    }

    @Test
    void noncurrentVersionTransitionsRoundTrip() {
        List<LifecycleRule> rules = parse("<Rule><ID>n</ID><Filter><Prefix>v/</Prefix></Filter><Status>Enabled</Status>"
                + "<NoncurrentVersionTransition><NoncurrentDays>0</NoncurrentDays><NewerNoncurrentVersions>2</NewerNoncurrentVersions>"
                + "<StorageClass>STANDARD_IA</StorageClass></NoncurrentVersionTransition><NoncurrentVersionTransition>"
                + "<NoncurrentDays>30</NoncurrentDays><StorageClass>GLACIER</StorageClass></NoncurrentVersionTransition></Rule>");
        assertEquals(List.of(new LifecycleRule.NoncurrentTransition(0, 2, StorageClass.EC_4_2),
                new LifecycleRule.NoncurrentTransition(30, 0, StorageClass.erasure(8, 4))), rules.getFirst().noncurrentTransitions());
        LifecycleConfiguration answered = LifecycleRules.toDocument(rules);
        assertEquals(rules, LifecycleRules.fromDocument(S3Xml.read(S3Xml.write(answered), LifecycleConfiguration.class)));
    }
}
