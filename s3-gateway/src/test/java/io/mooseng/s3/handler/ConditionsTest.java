package io.mooseng.s3.handler;

import org.junit.jupiter.api.Test;

import static io.mooseng.s3.handler.Conditions.Outcome.NOT_MODIFIED;
import static io.mooseng.s3.handler.Conditions.Outcome.PRECONDITION_FAILED;
import static io.mooseng.s3.handler.Conditions.Outcome.PROCEED;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ConditionsTest {
    private static final String ETAG = "d41d8cd98f00b204e9800998ecf8427e";
    /** Last-Modified: Wed, 01 Jan 2025 00:00:00 GMT (plus some milliseconds, which HTTP dates drop). */
    private static final long MODIFIED = 1735689600_000L + 123;
    private static final String BEFORE = "Tue, 31 Dec 2024 23:59:59 GMT";
    private static final String AT = "Wed, 01 Jan 2025 00:00:00 GMT";
    private static final String AFTER = "Wed, 01 Jan 2025 00:00:01 GMT";

    private static Conditions.Outcome eval(String ifMatch, String ifNoneMatch, String ifModifiedSince, String ifUnmodifiedSince) {
        return Conditions.evaluate(ifMatch, ifNoneMatch, ifModifiedSince, ifUnmodifiedSince, ETAG, MODIFIED);
    }

    @Test
    void singleConditions() {
        assertEquals(PROCEED, eval(null, null, null, null));
        assertEquals(PROCEED, eval("\"" + ETAG + "\"", null, null, null));
        assertEquals(PRECONDITION_FAILED, eval("\"other\"", null, null, null));
        assertEquals(NOT_MODIFIED, eval(null, "\"" + ETAG + "\"", null, null));
        assertEquals(PROCEED, eval(null, "\"other\"", null, null));
        assertEquals(NOT_MODIFIED, eval(null, null, AT, null));
        assertEquals(PROCEED, eval(null, null, BEFORE, null));
        assertEquals(PROCEED, eval(null, null, null, AT));
        assertEquals(PRECONDITION_FAILED, eval(null, null, null, BEFORE));
    }

    @Test
    void s3Precedence() {
        // If-Match true wins over If-Unmodified-Since false
        assertEquals(PROCEED, eval(ETAG, null, null, BEFORE));
        // If-None-Match false (it matches) with If-Modified-Since true is still 304
        assertEquals(NOT_MODIFIED, eval(null, ETAG, BEFORE, null));
        // If-None-Match true wins over If-Modified-Since false
        assertEquals(PROCEED, eval(null, "other", AFTER, null));
        // 412 is decided before 304
        assertEquals(PRECONDITION_FAILED, eval("other", ETAG, null, null));
    }

    @Test
    void entityTagLists() {
        assertTrue(Conditions.matches("*", ETAG));
        assertTrue(Conditions.matches("\"x\", W/\"" + ETAG + "\"", ETAG));
        assertTrue(Conditions.matches(ETAG, ETAG));
        assertFalse(Conditions.matches("\"x\",\"y\"", ETAG));
    }

    @Test
    void unparsableDatesAreIgnored() {
        assertEquals(PROCEED, eval(null, null, "yesterday", "tomorrow"));
    }
}
