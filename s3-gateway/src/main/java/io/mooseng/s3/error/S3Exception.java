package io.mooseng.s3.error;

import io.mooseng.core.error.Failures;
import io.mooseng.core.error.MooseException;

import java.util.Map;

/**
 * A failure answered to the client as an S3 error document. Carries no stack trace:
 * these are expected outcomes, thrown on hot paths.
 */
public final class S3Exception extends RuntimeException {
    private static final String RETRY_AFTER_SECONDS = "1";

    private final S3Error error;
    private final Map<String, String> headers;
    private final String region;

    public S3Exception(S3Error error, String message) {
        this(error, message, Map.of(), null, null);
    }

    private S3Exception(S3Error error, String message, Map<String, String> headers, String region, Throwable cause) {
        super(message, cause, false, false);
        this.error = error;
        this.headers = Map.copyOf(headers);
        this.region = region;
    }

    public S3Error error() {
        return error;
    }

    /** Response headers the error needs, e.g. Content-Range on 416. */
    public Map<String, String> headers() {
        return headers;
    }

    public S3Exception withHeader(String name, String value) {
        Map<String, String> h = new java.util.HashMap<>(headers);
        h.put(name, value);
        return new S3Exception(error, getMessage(), h, region, getCause());
    }

    /** The region the request must be signed for, named in the error document; or null. */
    public String region() {
        return region;
    }

    public S3Exception withRegion(String name) {
        return new S3Exception(error, getMessage(), headers, name, getCause());
    }

    /** Any throwable as an S3 error: storage errors through {@link StorageErrors}, the rest as InternalError. */
    public static S3Exception from(Throwable t) {
        Throwable cur = Failures.unwrap(t);
        if (cur instanceof S3Exception s3) {
            return s3;
        }
        MooseException me = MooseException.of(cur);
        S3Error error = StorageErrors.toS3(me.code());
        String message = error == S3Error.INTERNAL_ERROR ? error.message() : me.getMessage();
        // clients back off by Retry-After where they read it, by their own schedule elsewhere
        Map<String, String> headers = error.status() == 503 ? Map.of("Retry-After", RETRY_AFTER_SECONDS) : Map.of();
        return new S3Exception(error, message, headers, null, me);
    }

    @Override
    public String toString() {
        return error.code() + ": " + getMessage();
    }
}
