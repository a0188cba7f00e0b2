package io.mooseng.s3.handler;

import io.mooseng.core.error.ErrorCode;
import io.mooseng.core.error.MooseException;
import io.mooseng.core.model.VersionDeleted;
import io.mooseng.core.object.ObjectService;
import io.mooseng.s3.error.S3Error;
import io.mooseng.s3.error.S3Exception;
import io.mooseng.s3.xml.DeleteRequest;
import io.mooseng.s3.xml.DeleteResult;
import io.mooseng.s3.xml.S3Xml;
import io.vertx.core.Future;
import io.vertx.core.Promise;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;
import java.util.function.IntFunction;

/**
 * DeleteObjects (POST ?delete): up to 1000 keys, each deleted on its own with its own
 * result, a bounded number at a time. A missing key counts as deleted, as S3. Content-MD5
 * is checked when sent but not required (SDKs now send a checksum header instead). Each key
 * needs s3:DeleteObject (with a VersionId s3:DeleteObjectVersion): one the caller may not delete is reported AccessDenied,
 * the others go.
 */
public final class DeleteObjectsHandler {
    static final int MAX_KEYS = 1000;
    private static final long MAX_BODY = 2L << 20;
    private static final int PARALLEL = 16;

    private final ObjectService objects;
    private final Authorization authorization;

    public DeleteObjectsHandler(ObjectService objects, Authorization authorization) {
        this.objects = objects;
        this.authorization = authorization;
    }

    public Future<Void> deleteObjects(S3Request req) {
        // as S3, a key the caller may not bypass GOVERNANCE retention on is deleted without the bypass
        Future<Predicate<String>> bypassing = ObjectLockHeaders.bypassAsked(req.headers())
                ? authorization.keysAllowed(req, ObjectLockHeaders.BYPASS_PERMISSION, req.bucket()) : Future.succeededFuture(k -> false);
        return bypassing.compose(bypass -> authorization.keysAllowed(req, "s3:DeleteObject", req.bucket()).compose(current -> authorization.keysAllowed(req,
                "s3:DeleteObjectVersion", req.bucket()).compose(byVersion -> req.readSmallBody(MAX_BODY).compose(body -> {
            DeleteRequest request = S3Xml.read(body, DeleteRequest.class);
            List<String> keys = keys(request);
            List<String> versionIds = request.objects.stream().map(o -> o.versionId == null || o.versionId.isEmpty() ? null : o.versionId).toList();
            Outcome[] outcomes = new Outcome[keys.size()];
            return new Window(keys.size(), PARALLEL, i -> ((versionIds.get(i) == null ? current : byVersion).test(keys.get(i))
                    ? deleteOne(req, keys.get(i), versionIds.get(i), bypass.test(keys.get(i)))
                    : Future.succeededFuture(new Outcome(null, S3Error.ACCESS_DENIED.exception()))).map(outcome -> {
                outcomes[i] = outcome;
                return null;
            })).run().compose(v -> req.sendXml(200, result(keys, versionIds, outcomes, Boolean.TRUE.equals(request.quiet))));
        }))));
    }

    /** @throws S3Exception MalformedXML without keys, with more than 1000, or with an empty key */
    static List<String> keys(DeleteRequest request) {
        if (request.objects == null || request.objects.isEmpty() || request.objects.size() > MAX_KEYS) {
            throw S3Error.MALFORMED_XML.exception();
        }
        List<String> keys = new ArrayList<>(request.objects.size());
        for (DeleteRequest.ObjectIdentifier o : request.objects) {
            if (o == null || o.key == null || o.key.isEmpty()) {
                throw S3Error.MALFORMED_XML.exception();
            }
            keys.add(o.key);
        }
        return keys;
    }

    /**
     * A key's outcome: what was deleted, or the S3 error for it (a missing key counts as deleted).
     *
     * @param deleted null when missing or failed
     * @param error   null unless failed
     */
    record Outcome(VersionDeleted deleted, S3Exception error) {
    }

    /** Never a failed future. */
    private Future<Outcome> deleteOne(S3Request req, String key, String versionId, boolean bypassGovernance) {
        return req.call(() -> {
            ObjectHeaders.checkKeyLength(key);
            return objects.deleteVersion(req.bucket(), key, versionId, null, bypassGovernance);
        }).map(d -> new Outcome(d, null)).otherwise(e -> {
            boolean missing = !(e instanceof S3Exception) && MooseException.of(e).code() == ErrorCode.NO_SUCH_KEY;
            return new Outcome(null, missing ? null : S3Exception.from(e));
        });
    }

    static DeleteResult result(List<String> keys, List<String> versionIds, Outcome[] outcomes, boolean quiet) {
        List<DeleteResult.Deleted> deleted = new ArrayList<>();
        List<DeleteResult.Failed> failed = new ArrayList<>();
        for (int i = 0; i < keys.size(); i++) {
            S3Exception error = outcomes[i].error();
            VersionDeleted d = outcomes[i].deleted();
            if (error != null) {
                failed.add(new DeleteResult.Failed(keys.get(i), versionIds.get(i), error.error().code(), error.getMessage()));
            } else if (!quiet) {
                boolean marker = d != null && d.deleteMarker();
                deleted.add(new DeleteResult.Deleted(keys.get(i), versionIds.get(i), marker ? Boolean.TRUE : null,
                        marker ? d.versionId() : null));
            }
        }
        return new DeleteResult(deleted, failed);
    }

    /**
     * Runs {@code task(0..count-1)} once each, at most {@code parallel} at once, on the caller's
     * context; tasks must not fail. A task may complete before {@code apply} returns (then the
     * next one starts from its completion, not again from {@link #run}).
     */
    static final class Window {
        private final int count;
        private final int parallel;
        private final IntFunction<Future<Void>> task;
        private final Promise<Void> all = Promise.promise();
        private int next;
        private int finished;

        Window(int count, int parallel, IntFunction<Future<Void>> task) {
            this.count = count;
            this.parallel = parallel;
            this.task = task;
        }

        Future<Void> run() {
            if (count == 0) {
                all.complete();
            }
            for (int i = 0; i < parallel && next < count; i++) {
                startNext();
            }
            return all.future();
        }

        private void startNext() {
            task.apply(next++).onComplete(ar -> {
                if (++finished == count) {
                    all.complete();
                } else if (next < count) {
                    startNext();
                }
            });
        }
    }
}
