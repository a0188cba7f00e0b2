package io.mooseng.s3.handler;

import io.mooseng.core.error.ErrorCode;
import io.mooseng.core.error.MooseException;
import io.mooseng.core.model.WriteCondition;
import io.mooseng.core.object.ObjectService;
import io.mooseng.s3.error.S3Error;
import io.vertx.core.Future;
import io.vertx.core.MultiMap;

/**
 * If-Match and If-None-Match on PutObject, CompleteMultipartUpload and DeleteObject. The
 * metadata command checks the condition atomically with the write; PutObject also checks it
 * before reading the body, so a doomed upload sends no bytes.
 */
final class WriteConditions {
    private WriteConditions() {
    }

    /**
     * The request's condition, or null without one.
     *
     * @throws io.mooseng.s3.error.S3Exception NotImplemented for If-None-Match other than *, as S3 answers it
     */
    static WriteCondition of(MultiMap headers) {
        String ifMatch = headers.get("if-match");
        String ifNoneMatch = headers.get("if-none-match");
        if (ifNoneMatch != null && !ifNoneMatch.trim().equals("*")) {
            throw S3Error.NOT_IMPLEMENTED.exception("If-None-Match on a write takes only *.");
        }
        if (ifMatch == null && ifNoneMatch == null) {
            return null;
        }
        return new WriteCondition(ifMatch == null ? null : ObjectHeaders.unquote(ifMatch), ifNoneMatch != null);
    }

    /** Fails as the write would if it applied now: 412 PreconditionFailed, or 404 NoSuchKey for If-Match on no object. */
    static Future<Void> precheck(S3Request req, ObjectService objects, WriteCondition condition) {
        if (condition == null) {
            return Future.succeededFuture();
        }
        return req.call(() -> objects.head(req.bucket(), req.key())).transform(ar -> {
            if (ar.failed() && MooseException.of(ar.cause()).code() != ErrorCode.NO_SUCH_KEY) {
                return Future.failedFuture(ar.cause());
            }
            condition.check(ar.succeeded() ? ar.result() : null, req.resource());
            return Future.succeededFuture();
        });
    }

    /**
     * A write whose If-Match held when checked first but found no object when it applied:
     * the object was deleted meanwhile, which S3 answers 409 ConditionalRequestConflict.
     */
    static Throwable raced(WriteCondition condition, Throwable e) {
        return condition != null && condition.ifMatch() != null && MooseException.of(e).code() == ErrorCode.NO_SUCH_KEY
                ? S3Error.CONDITIONAL_REQUEST_CONFLICT.exception() : e;
    }
}
