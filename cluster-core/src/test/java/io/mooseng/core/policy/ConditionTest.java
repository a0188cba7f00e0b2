package io.mooseng.core.policy;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Every condition operator, its IfExists and set forms, and IAM's rules for keys a request lacks. */
class ConditionTest {
    private static boolean holds(String operator, String key, List<String> values, RequestContext context) {
        return Condition.parse(operator, key, values, true).holds(context, true);
    }

    private static boolean holds(String operator, String key, String value, String requestValue) {
        RequestContext c = RequestContext.builder().put(key, requestValue).build();
        return holds(operator, key, List.of(value), c);
    }

    private static final RequestContext EMPTY = RequestContext.builder().build();

    @Test
    void stringOperators() {
        assertTrue(holds("StringEquals", "s3:prefix", "home/", "home/"));
        assertFalse(holds("StringEquals", "s3:prefix", "home/", "Home/"));
        assertTrue(holds("StringNotEquals", "s3:prefix", "home/", "Home/"));
        assertTrue(holds("StringEqualsIgnoreCase", "s3:x-amz-acl", "PUBLIC-READ", "public-read"));
        assertFalse(holds("StringNotEqualsIgnoreCase", "s3:x-amz-acl", "PUBLIC-READ", "public-read"));
        assertTrue(holds("StringLike", "aws:Referer", "https://*.example.com/*", "https://www.example.com/page"));
        assertFalse(holds("StringLike", "aws:Referer", "https://*.example.com/*", "https://evil.com/"));
        assertTrue(holds("StringNotLike", "aws:UserAgent", "curl/*", "aws-cli/2"));
        assertTrue(holds("StringEquals", "s3:prefix", List.of("a", "b"), RequestContext.builder().put("s3:prefix", "b").build()),
                "any of the values");
        assertFalse(holds("StringNotEquals", "s3:prefix", List.of("a", "b"), RequestContext.builder().put("s3:prefix", "b").build()),
                "a negated operator: none of the values");
    }

    @Test
    void numericOperators() {
        assertTrue(holds("NumericLessThan", "s3:max-keys", "100", "10"));
        assertFalse(holds("NumericLessThan", "s3:max-keys", "100", "100"));
        assertTrue(holds("NumericLessThanEquals", "s3:max-keys", "100", "100"));
        assertTrue(holds("NumericGreaterThan", "s3:max-keys", "10", "11"));
        assertTrue(holds("NumericGreaterThanEquals", "s3:max-keys", "10", "10"));
        assertTrue(holds("NumericEquals", "s3:max-keys", "10", "10.0"));
        assertTrue(holds("NumericNotEquals", "s3:max-keys", "10", "11"));
        assertFalse(holds("NumericLessThan", "s3:max-keys", "100", "many"), "not a number matches nothing");
    }

    @Test
    void dateOperators() {
        assertTrue(holds("DateLessThan", "aws:CurrentTime", "2030-01-01T00:00:00Z", "2026-06-01T12:00:00Z"));
        assertFalse(holds("DateGreaterThan", "aws:CurrentTime", "2030-01-01", "2026-06-01T12:00:00Z"));
        assertTrue(holds("DateGreaterThanEquals", "aws:EpochTime", "2020-01-01T00:00:00Z", "1577836800"));
        assertTrue(holds("DateLessThanEquals", "aws:EpochTime", "1577836800", "1577836800"));
        assertTrue(holds("DateEquals", "aws:CurrentTime", "2020-01-01T01:00:00+01:00", "2020-01-01T00:00:00Z"));
        assertTrue(holds("DateNotEquals", "aws:CurrentTime", "2020-01-01", "2020-01-02"));
    }

    @Test
    void boolIpAndNull() {
        assertTrue(holds("Bool", "aws:SecureTransport", "false", "false"));
        assertFalse(holds("Bool", "aws:SecureTransport", "true", "false"));
        assertTrue(holds("IpAddress", "aws:SourceIp", "127.0.0.0/8", "127.0.0.1"));
        assertTrue(holds("IpAddress", "aws:SourceIp", "192.0.2.7", "192.0.2.7"));
        assertFalse(holds("IpAddress", "aws:SourceIp", "10.0.0.0/8", "127.0.0.1"));
        assertTrue(holds("NotIpAddress", "aws:SourceIp", "10.0.0.0/8", "127.0.0.1"));
        assertTrue(holds("IpAddress", "aws:SourceIp", "2001:db8::/32", "2001:db8::1"));
        assertFalse(holds("IpAddress", "aws:SourceIp", "2001:db8::/32", "127.0.0.1"));
        assertTrue(holds("Null", "s3:x-amz-server-side-encryption", List.of("true"), EMPTY));
        assertFalse(holds("Null", "s3:x-amz-server-side-encryption", "true", "AES256"));
        assertTrue(holds("Null", "s3:x-amz-server-side-encryption", "false", "AES256"));
    }

    @Test
    void aMissingKeyFailsATestPassesANegatedOneAndAnIfExists() {
        assertFalse(holds("StringEquals", "aws:Referer", List.of("x"), EMPTY));
        assertTrue(holds("StringNotEquals", "aws:Referer", List.of("x"), EMPTY));
        assertTrue(holds("StringEqualsIfExists", "aws:Referer", List.of("x"), EMPTY));
        assertFalse(holds("StringEqualsIfExists", "aws:Referer", "x", "y"));
        assertTrue(holds("NumericLessThanIfExists", "s3:max-keys", List.of("5"), EMPTY));
    }

    @Test
    void setQualifiersQuantifyOverTheRequestsValues() {
        RequestContext tagged = RequestContext.builder().put(ConditionKeys.REQUEST_OBJECT_TAG_KEYS, List.of("project", "owner")).build();
        RequestContext untagged = RequestContext.builder().build();
        List<String> allowed = List.of("project", "owner", "cost-center");
        assertTrue(holds("ForAllValues:StringEquals", "s3:RequestObjectTagKeys", allowed, tagged));
        assertFalse(holds("ForAllValues:StringEquals", "s3:RequestObjectTagKeys", List.of("project"), tagged));
        assertTrue(holds("ForAllValues:StringEquals", "s3:RequestObjectTagKeys", List.of("project"), untagged), "vacuously");
        assertTrue(holds("ForAnyValue:StringEquals", "s3:RequestObjectTagKeys", List.of("owner"), tagged));
        assertFalse(holds("ForAnyValue:StringEquals", "s3:RequestObjectTagKeys", List.of("owner"), untagged));
        assertTrue(holds("ForAnyValue:StringNotLike", "s3:RequestObjectTagKeys", List.of("proj*"), tagged));
        assertFalse(holds("ForAllValues:StringNotLike", "s3:RequestObjectTagKeys", List.of("proj*"), tagged));
    }

    @Test
    void keyNamesIgnoreCaseTagKeysDoNot() {
        RequestContext c = RequestContext.builder().put("s3:ExistingObjectTag/Class", "secret").build();
        assertTrue(holds("StringEquals", "S3:EXISTINGOBJECTTAG/Class", List.of("secret"), c));
        assertFalse(holds("StringEquals", "s3:ExistingObjectTag/class", List.of("secret"), c));
        assertEquals("s3:existingobjecttag/Class", ConditionKeys.normalize("S3:ExistingObjectTag/Class"));
    }

    @Test
    void variablesInStringValues() {
        RequestContext c = RequestContext.builder().put(ConditionKeys.USERNAME, "alice").put(ConditionKeys.PREFIX, "home/alice/").build();
        assertTrue(holds("StringLike", "s3:prefix", List.of("home/${aws:username}/*"), c));
        assertFalse(holds("StringLike", "s3:prefix", List.of("home/${aws:userid}/*"), c), "a variable without a value matches nothing");
    }
}
