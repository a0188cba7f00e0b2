package io.mooseng.s3compat;

import org.junit.jupiter.api.function.Executable;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.S3Exception;
import software.amazon.awssdk.services.s3.model.S3Object;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** Assertions on what S3 answered, as a client sees it. */
final class S3Assertions {
    private S3Assertions() {
    }

    /** The call fails with exactly this HTTP status and S3 error code. */
    static S3Exception assertS3Error(int status, String code, Executable call) {
        S3Exception e = assertThrows(S3Exception.class, call);
        String got = e.awsErrorDetails() == null ? null : e.awsErrorDetails().errorCode();
        assertEquals(status + " " + code, e.statusCode() + " " + got, () -> "S3 error: " + e.getMessage());
        return e;
    }

    /** The call fails with this HTTP status; for HEAD, which has no body and so no code. */
    static S3Exception assertS3Status(int status, Executable call) {
        S3Exception e = assertThrows(S3Exception.class, call);
        assertEquals(status, e.statusCode(), () -> "S3 error: " + e.getMessage());
        return e;
    }

    static void assertObjectAbsent(S3Client s3, String bucket, String key) {
        assertThrows(NoSuchKeyException.class, () -> s3.headObject(b -> b.bucket(bucket).key(key)),
                () -> bucket + "/" + key + " should not exist");
    }

    static List<String> allKeys(S3Client s3, String bucket) {
        return s3.listObjectsV2Paginator(b -> b.bucket(bucket)).contents().stream().map(S3Object::key).toList();
    }
}
