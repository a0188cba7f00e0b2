package io.mooseng.s3.error;

import io.mooseng.core.error.MooseException;

import java.util.Map;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;

/**
 * A failure answered to the client as an S3 error document. Carries no stack trace:
 * these are expected outcomes, thrown on hot paths.
 */
public final class S3Exception extends RuntimeException {
    private final S3Error error;
    private final Map<String, String> headers;

    public S3Exception(S3Error error, String message) {
        this(error, message, Map.of(), null);
    }

    private S3Exception(S3Error error, String message, Map<String, String> headers, Throwable cause) {
        super(message, cause, false, false);
        this.error = error;
        this.headers = Map.copyOf(headers);
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
        return new S3Exception(error, getMessage(), h, getCause());
    }

    /** Any throwable as an S3 error: storage errors through {@link StorageErrors}, the rest as InternalError. */
    public static S3Exception from(Throwable t) {
        Throwable cur = t;
        while ((cur instanceof CompletionException || cur instanceof ExecutionException) && cur.getCause() != null) {
            cur = cur.getCause();
        }
        if (cur instanceof S3Exception s3) {
            return s3;
        }
        MooseException me = MooseException.of(cur);
        S3Error error = StorageErrors.toS3(me.code());
        String message = error == S3Error.INTERNAL_ERROR ? error.message() : me.getMessage();
        return new S3Exception(error, message, Map.of(), me);
    }

    @Override
    public String toString() {
        return error.code() + ": " + getMessage();
    }
}
