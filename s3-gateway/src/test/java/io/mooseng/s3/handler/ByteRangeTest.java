package io.mooseng.s3.handler;

import io.mooseng.s3.error.S3Error;
import io.mooseng.s3.error.S3Exception;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

class ByteRangeTest {

    @Test
    void satisfiableForms() {
        assertEquals(new ByteRange(0, 9), ByteRange.parse("bytes=0-9", 100));
        assertEquals(new ByteRange(90, 99), ByteRange.parse("bytes=90-", 100));
        assertEquals(new ByteRange(90, 99), ByteRange.parse("bytes=-10", 100));
        assertEquals(new ByteRange(0, 99), ByteRange.parse("bytes=-1000", 100), "a suffix longer than the object is all of it");
        assertEquals(new ByteRange(50, 99), ByteRange.parse("bytes=50-1000", 100), "the end is clamped");
        assertEquals(new ByteRange(99, 99), ByteRange.parse(" Bytes=99-99 ", 100));
        assertEquals(new ByteRange(5, 99), ByteRange.parse("bytes=5-99999999999999999999999", 100), "huge ends saturate");
        assertEquals(10, new ByteRange(0, 9).length());
        assertEquals("bytes 0-9/100", new ByteRange(0, 9).contentRange(100));
    }

    @Test
    void ignoredAsS3Does() {
        assertNull(ByteRange.parse(null, 100));
        assertNull(ByteRange.parse("bytes=0-1,5-6", 100), "several ranges: the full object");
        assertNull(ByteRange.parse("bytes=5-1", 100));
        assertNull(ByteRange.parse("items=0-1", 100));
        assertNull(ByteRange.parse("bytes=a-b", 100));
        assertNull(ByteRange.parse("bytes=", 100));
        assertNull(ByteRange.parse("bytes=-", 100));
    }

    @Test
    void unsatisfiableIs416WithTheSize() {
        for (String h : new String[] {"bytes=100-", "bytes=100-200", "bytes=-0", "bytes=99999999999999999999-"}) {
            S3Exception e = assertThrows(S3Exception.class, () -> ByteRange.parse(h, 100), h);
            assertEquals(S3Error.INVALID_RANGE, e.error());
            assertEquals(416, e.error().status());
            assertEquals("bytes */100", e.headers().get("Content-Range"));
        }
        assertThrows(S3Exception.class, () -> ByteRange.parse("bytes=0-", 0), "an empty object has no byte 0");
        assertThrows(S3Exception.class, () -> ByteRange.parse("bytes=-5", 0));
    }
}
