package io.mooseng.s3.handler;

import io.mooseng.core.model.BucketInfo;
import io.mooseng.core.model.ObjectLock;
import io.mooseng.s3.error.S3Error;
import io.vertx.core.MultiMap;
import io.vertx.core.http.HttpServerResponse;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.Locale;

/** S3 Object Lock in headers: what a write asks for, what GET and HEAD answer, and the governance bypass. */
final class ObjectLockHeaders {
    static final String MODE = "x-amz-object-lock-mode";
    static final String RETAIN_UNTIL = "x-amz-object-lock-retain-until-date";
    static final String LEGAL_HOLD = "x-amz-object-lock-legal-hold";
    static final String BYPASS_GOVERNANCE = "x-amz-bypass-governance-retention";
    static final String BYPASS_PERMISSION = "s3:BypassGovernanceRetention";
    private static final String ENABLED_ON_CREATE = "x-amz-bucket-object-lock-enabled";

    private ObjectLockHeaders() {
    }

    /** CreateBucket's x-amz-bucket-object-lock-enabled: true. */
    static boolean lockEnabledOnCreate(MultiMap headers) {
        String v = headers.get(ENABLED_ON_CREATE);
        return v != null && v.trim().equalsIgnoreCase("true");
    }

    /**
     * The lock a write (PutObject, CopyObject, CreateMultipartUpload) asks for; {@link ObjectLock#NONE} without lock headers (the
     * bucket's default retention then applies when the version is stored).
     *
     * @throws io.mooseng.s3.error.S3Exception InvalidRequest in a bucket without object lock; InvalidArgument for a mode without a
     *                                         date or the reverse, an unknown mode or legal hold status, a date not in the future
     */
    static ObjectLock requested(MultiMap headers, BucketInfo bucket, long nowMillis) {
        String mode = headers.get(MODE);
        String until = headers.get(RETAIN_UNTIL);
        String hold = headers.get(LEGAL_HOLD);
        if (mode == null && until == null && hold == null) {
            return ObjectLock.NONE;
        }
        if (bucket.policy().objectLock() == null) {
            throw S3Error.INVALID_REQUEST.exception("Bucket is missing ObjectLockConfiguration");
        }
        if ((mode == null) != (until == null)) {
            throw S3Error.INVALID_ARGUMENT.exception("x-amz-object-lock-retain-until-date and x-amz-object-lock-mode must both be supplied");
        }
        ObjectLock lock = ObjectLock.NONE.withLegalHold(hold != null && legalHold(hold));
        if (mode == null) {
            return lock;
        }
        long untilMillis = date(until);
        if (untilMillis <= nowMillis) {
            throw S3Error.INVALID_ARGUMENT.exception("The retain until date must be in the future!");
        }
        return lock.withRetention(mode(mode), untilMillis);
    }

    /**
     * S3 wants the body's integrity proven for a PutObject that sets a lock: Content-MD5 or an x-amz-checksum-* (a header, or a
     * trailer the SDK announces).
     */
    static void checkIntegrity(MultiMap headers) {
        if (headers.get(MODE) == null && headers.get(RETAIN_UNTIL) == null && headers.get(LEGAL_HOLD) == null) {
            return;
        }
        String trailer = headers.get("x-amz-trailer");
        boolean proven = headers.get("content-md5") != null || headers.get("x-amz-sdk-checksum-algorithm") != null
                || trailer != null && trailer.trim().toLowerCase(Locale.ROOT).startsWith("x-amz-checksum-")
                || headers.names().stream().anyMatch(n -> n.toLowerCase(Locale.ROOT).startsWith("x-amz-checksum-")
                && !n.equalsIgnoreCase(Checksums.TYPE));
        if (!proven) {
            throw S3Error.INVALID_REQUEST.exception("Content-MD5 OR x-amz-checksum- HTTP header is required for Put Object requests "
                    + "with Object Lock parameters");
        }
    }

    /** A GET or HEAD answer's lock headers (none for a version without a lock). */
    static void answer(HttpServerResponse r, ObjectLock lock) {
        if (lock.mode() != null) {
            r.putHeader(MODE, lock.mode().name());
            r.putHeader(RETAIN_UNTIL, Instant.ofEpochMilli(lock.retainUntilMillis()).toString());
        }
        if (lock.legalHold()) {
            r.putHeader(LEGAL_HOLD, "ON");
        }
    }

    static boolean bypassAsked(MultiMap headers) {
        String v = headers.get(BYPASS_GOVERNANCE);
        return v != null && v.trim().equalsIgnoreCase("true");
    }

    static ObjectLock.Mode mode(String text) {
        return switch (text.trim()) {
            case "GOVERNANCE" -> ObjectLock.Mode.GOVERNANCE;
            case "COMPLIANCE" -> ObjectLock.Mode.COMPLIANCE;
            default -> throw S3Error.INVALID_ARGUMENT.exception("Unknown wormMode directive.");
        };
    }

    static boolean legalHold(String text) {
        return switch (text.trim()) {
            case "ON" -> true;
            case "OFF" -> false;
            default -> throw S3Error.INVALID_ARGUMENT.exception("Legal Hold must be either of 'ON' or 'OFF'");
        };
    }

    /** An ISO 8601 date and time, as the SDKs send it ("2030-01-01T00:00:00Z", with or without fractions or an offset). */
    static long date(String text) {
        try {
            return OffsetDateTime.parse(text.trim()).toInstant().toEpochMilli();
        } catch (DateTimeParseException e) {
            throw S3Error.INVALID_ARGUMENT.exception("The retain until date is not a valid ISO 8601 date: " + text);
        }
    }
}
