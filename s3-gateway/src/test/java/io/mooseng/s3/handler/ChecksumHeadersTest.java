package io.mooseng.s3.handler;

import io.mooseng.core.checksum.ChecksumAlgorithm;
import io.mooseng.core.checksum.ChecksumType;
import io.mooseng.core.model.UploadChecksum;
import io.mooseng.s3.error.S3Error;
import io.mooseng.s3.error.S3Exception;
import io.vertx.core.MultiMap;
import org.junit.jupiter.api.Test;

import java.util.EnumSet;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** What CreateMultipartUpload's checksum headers and GetObjectAttributes' attribute list mean, and refuse. */
class ChecksumHeadersTest {
    private static MultiMap headers(String... pairs) {
        MultiMap h = MultiMap.caseInsensitiveMultiMap();
        for (int i = 0; i < pairs.length; i += 2) {
            h.add(pairs[i], pairs[i + 1]);
        }
        return h;
    }

    private static S3Error refusal(String... pairs) {
        return assertThrows(S3Exception.class, () -> Checksums.forUpload(headers(pairs))).error();
    }

    @Test
    void anUploadsChecksumTypeDefaultsAsS3s() {
        assertNull(Checksums.forUpload(headers()));
        assertEquals(new UploadChecksum(ChecksumAlgorithm.CRC32, ChecksumType.COMPOSITE), Checksums.forUpload(headers(Checksums.ALGORITHM, "CRC32")));
        assertEquals(new UploadChecksum(ChecksumAlgorithm.CRC64NVME, ChecksumType.FULL_OBJECT),
                Checksums.forUpload(headers(Checksums.ALGORITHM, "crc64nvme")));
        assertEquals(new UploadChecksum(ChecksumAlgorithm.CRC32C, ChecksumType.FULL_OBJECT),
                Checksums.forUpload(headers(Checksums.ALGORITHM, "CRC32C", Checksums.TYPE, "FULL_OBJECT")));
        assertEquals(S3Error.INVALID_REQUEST, refusal(Checksums.ALGORITHM, "MD5"));
        assertEquals(S3Error.INVALID_REQUEST, refusal(Checksums.TYPE, "COMPOSITE"));
        assertEquals(S3Error.INVALID_REQUEST, refusal(Checksums.ALGORITHM, "SHA256", Checksums.TYPE, "FULL_OBJECT"));
        assertEquals(S3Error.INVALID_REQUEST, refusal(Checksums.ALGORITHM, "CRC64NVME", Checksums.TYPE, "COMPOSITE"));
        assertEquals(S3Error.INVALID_REQUEST, refusal(Checksums.ALGORITHM, "CRC32", Checksums.TYPE, "PARTIAL"));
    }

    @Test
    void objectAttributesAreNamedInOneHeaderOrMore() {
        assertEquals(EnumSet.of(ObjectAttributesHandler.Attribute.ETag, ObjectAttributesHandler.Attribute.ObjectSize,
                        ObjectAttributesHandler.Attribute.Checksum),
                ObjectAttributesHandler.attributes(List.of("ETag, ObjectSize", "Checksum")));
        assertEquals(S3Error.INVALID_ARGUMENT, assertThrows(S3Exception.class, () -> ObjectAttributesHandler.attributes(List.of())).error());
        assertEquals(S3Error.INVALID_ARGUMENT, assertThrows(S3Exception.class, () -> ObjectAttributesHandler.attributes(List.of(" , "))).error());
        assertEquals(S3Error.INVALID_ARGUMENT, assertThrows(S3Exception.class,
                () -> ObjectAttributesHandler.attributes(List.of("ETag,etag"))).error());
    }
}
