package io.mooseng.s3.handler;

import io.mooseng.s3.error.S3Error;
import io.mooseng.s3.error.S3Exception;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** x-amz-copy-source-range of UploadPartCopy: stricter than a GET's Range (both ends, inside the source). */
class CopyPartRangeTest {
    @Test
    void bothEndsInsideTheSource() {
        assertArrayEquals(new long[]{0, 1000}, CopyObjectHandler.copyRange(null, 1000), "no range: the whole source");
        assertArrayEquals(new long[]{10, 90}, CopyObjectHandler.copyRange("bytes=10-99", 1000));
        assertArrayEquals(new long[]{999, 1}, CopyObjectHandler.copyRange(" bytes=999-999 ", 1000));
    }

    @Test
    void malformedIsInvalidArgumentOutsideIsInvalidRequest() {
        for (String h : new String[]{"bytes=10-", "bytes=-10", "bytes=1-2,3-4", "items=1-2", "bytes=a-b"}) {
            assertEquals(S3Error.INVALID_ARGUMENT, assertThrows(S3Exception.class, () -> CopyObjectHandler.copyRange(h, 1000)).error(), h);
        }
        for (String h : new String[]{"bytes=5-4", "bytes=0-1000", "bytes=1000-1000"}) {
            assertEquals(S3Error.INVALID_REQUEST, assertThrows(S3Exception.class, () -> CopyObjectHandler.copyRange(h, 1000)).error(), h);
        }
    }
}
