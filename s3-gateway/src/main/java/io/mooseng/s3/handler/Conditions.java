package io.mooseng.s3.handler;

import io.mooseng.core.model.ObjectInfo;
import io.mooseng.s3.error.S3Error;
import io.mooseng.s3.error.S3Exception;
import io.vertx.core.MultiMap;

/**
 * Conditional requests as S3 evaluates them (RFC 7232 precedence): If-Match, else
 * If-Unmodified-Since, may fail with 412; then If-None-Match, else If-Modified-Since, may
 * answer 304. So If-Match true beats If-Unmodified-Since false, and If-None-Match true
 * beats If-Modified-Since false. Dates compare at whole seconds; unparsable dates are ignored.
 */
public final class Conditions {

    public enum Outcome { PROCEED, NOT_MODIFIED, PRECONDITION_FAILED }

    private Conditions() {
    }

    public static Outcome evaluate(String ifMatch, String ifNoneMatch, String ifModifiedSince, String ifUnmodifiedSince,
                                   String etag, long lastModifiedMillis) {
        long modified = Math.floorDiv(lastModifiedMillis, 1000);
        if (ifMatch != null) {
            if (!matches(ifMatch, etag)) {
                return Outcome.PRECONDITION_FAILED;
            }
        } else {
            long since = HttpDates.parseSeconds(ifUnmodifiedSince);
            if (since >= 0 && modified > since) {
                return Outcome.PRECONDITION_FAILED;
            }
        }
        if (ifNoneMatch != null) {
            if (matches(ifNoneMatch, etag)) {
                return Outcome.NOT_MODIFIED;
            }
        } else {
            long since = HttpDates.parseSeconds(ifModifiedSince);
            if (since >= 0 && modified <= since) {
                return Outcome.NOT_MODIFIED;
            }
        }
        return Outcome.PROCEED;
    }

    /** GET and HEAD: throws NotModified (304, carrying ETag and Last-Modified) or PreconditionFailed (412). */
    static void check(MultiMap headers, ObjectInfo info) {
        Outcome o = evaluate(headers.get("if-match"), headers.get("if-none-match"), headers.get("if-modified-since"),
                headers.get("if-unmodified-since"), info.etag(), info.mtimeMillis());
        if (o == Outcome.NOT_MODIFIED) {
            throw S3Error.NOT_MODIFIED.exception()
                    .withHeader("ETag", ObjectHeaders.quote(info.etag()))
                    .withHeader("Last-Modified", HttpDates.format(info.mtimeMillis()));
        }
        if (o == Outcome.PRECONDITION_FAILED) {
            throw S3Error.PRECONDITION_FAILED.exception();
        }
    }

    /** CopyObject's x-amz-copy-source-if-*: every failed condition is 412. */
    static void checkCopySource(MultiMap headers, ObjectInfo source) {
        Outcome o = evaluate(headers.get("x-amz-copy-source-if-match"), headers.get("x-amz-copy-source-if-none-match"),
                headers.get("x-amz-copy-source-if-modified-since"), headers.get("x-amz-copy-source-if-unmodified-since"),
                source.etag(), source.mtimeMillis());
        if (o != Outcome.PROCEED) {
            throw new S3Exception(S3Error.PRECONDITION_FAILED, S3Error.PRECONDITION_FAILED.message());
        }
    }

    /** An entity-tag list: "*" or comma-separated tags, quoted or not, weak or strong. */
    static boolean matches(String header, String etag) {
        for (String candidate : header.split(",")) {
            String t = candidate.trim();
            if (t.equals("*")) {
                return true;
            }
            if (t.startsWith("W/")) {
                t = t.substring(2);
            }
            if (t.length() >= 2 && t.startsWith("\"") && t.endsWith("\"")) {
                t = t.substring(1, t.length() - 1);
            }
            if (t.equals(etag)) {
                return true;
            }
        }
        return false;
    }
}
