package io.mooseng.s3.error;

import io.mooseng.core.error.ErrorCode;
import io.mooseng.core.error.MooseException;
import org.junit.jupiter.api.Test;

import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.CompletionException;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class StorageErrorsTest {

    @Test
    void everyStorageCodeMapsToAnS3ErrorOfTheRightClass() {
        for (ErrorCode code : ErrorCode.values()) {
            S3Error e = StorageErrors.toS3(code);
            assertNotNull(e, code.name());
            assertTrue(e.status() >= 400, code + " -> " + e);
        }
        assertEquals(S3Error.NO_SUCH_BUCKET, StorageErrors.toS3(ErrorCode.NO_SUCH_BUCKET));
        assertEquals(409, StorageErrors.toS3(ErrorCode.BUCKET_ALREADY_EXISTS).status());
        assertEquals("ObjectPathConflict", StorageErrors.toS3(ErrorCode.KEY_CONFLICT).code());
        assertEquals(503, StorageErrors.toS3(ErrorCode.METADATA_UNAVAILABLE).status());
        assertEquals(507, StorageErrors.toS3(ErrorCode.NO_SPACE).status());
        assertEquals(500, StorageErrors.toS3(ErrorCode.INTERNAL).status());
    }

    @Test
    void theTableHasUniqueCodesAndValidStatuses() {
        Set<String> codes = new HashSet<>();
        for (S3Error e : S3Error.values()) {
            assertTrue(codes.add(e.code()), "duplicate code " + e.code());
            assertTrue(e.status() >= 300 && e.status() < 600, e.code());
            assertTrue(!e.message().isEmpty(), e.code());
        }
    }

    @Test
    void storageFailuresUnwrapAndKeepTheirMessageButInternalsDoNot() {
        S3Exception key = S3Exception.from(new CompletionException(new MooseException(ErrorCode.INVALID_KEY, "empty path segment: a//b")));
        assertEquals(S3Error.INVALID_ARGUMENT, key.error());
        assertEquals("empty path segment: a//b", key.getMessage());
        S3Exception internal = S3Exception.from(new IllegalStateException("secret internals"));
        assertEquals(S3Error.INTERNAL_ERROR, internal.error());
        assertEquals(S3Error.INTERNAL_ERROR.message(), internal.getMessage());
        S3Exception same = S3Error.NO_SUCH_KEY.exception();
        assertEquals(same, S3Exception.from(new CompletionException(same)));
    }
}
