package io.mooseng.s3.handler;

import io.mooseng.core.error.ErrorCode;
import io.mooseng.core.error.MooseException;
import io.mooseng.core.model.ObjectInfo;
import io.mooseng.core.model.ObjectManifest;
import io.mooseng.core.model.VersionDeleted;
import io.mooseng.core.model.VersionIds;
import io.mooseng.core.object.ObjectService;
import io.mooseng.s3.error.S3Error;
import io.mooseng.s3.error.S3Exception;
import io.vertx.core.Future;
import io.vertx.core.http.HttpServerResponse;

/**
 * How reads find a version ({@code ?versionId=}, delete markers) and how answers name versions
 * ({@code x-amz-version-id}, {@code x-amz-delete-marker}).
 */
final class VersionHeaders {
    static final String VERSION_ID = "x-amz-version-id";
    static final String DELETE_MARKER = "x-amz-delete-marker";

    private VersionHeaders() {
    }

    /**
     * The object a GET or HEAD reads: the version named by {@code ?versionId=} (a delete marker is 405
     * MethodNotAllowed), else the current one (none, under a delete marker: 404 NoSuchKey naming the marker).
     */
    static Future<ObjectInfo> find(S3Request req, ObjectService objects, String bucket, String key, String versionId) {
        if (versionId != null) {
            return req.call(() -> objects.version(bucket, key, versionId)).map(v -> {
                if (v.deleteMarker()) {
                    throw S3Error.METHOD_NOT_ALLOWED.exception("The specified method is not allowed against a delete marker.")
                            .withHeader(DELETE_MARKER, "true").withHeader(VERSION_ID, v.versionId()).withHeader("Allow", "DELETE");
                }
                return v.object();
            });
        }
        return req.call(() -> objects.head(bucket, key)).recover(e -> underDeleteMarker(req, objects, bucket, key, e));
    }

    /** A missing key of a bucket that keeps versions may be hidden by a delete marker, which S3 names in its 404. */
    private static Future<ObjectInfo> underDeleteMarker(S3Request req, ObjectService objects, String bucket, String key, Throwable e) {
        if (MooseException.of(e).code() != ErrorCode.NO_SUCH_KEY) {
            return Future.failedFuture(e);
        }
        return req.call(() -> objects.recentBucket(bucket)).compose(b -> !b.policy().versioning().keepsVersions() ? Future.failedFuture(e)
                : req.call(() -> objects.version(bucket, key, null)).transform(ar -> {
                    if (ar.succeeded() && ar.result().deleteMarker()) {
                        return Future.failedFuture(S3Exception.from(e).withHeader(DELETE_MARKER, "true")
                                .withHeader(VERSION_ID, ar.result().versionId()));
                    }
                    return Future.failedFuture(e);
                }));
    }

    /** Names the version answered: always when the request named one or the object has an id, else not (unversioned objects). */
    static void answer(HttpServerResponse response, ObjectManifest m, boolean named) {
        if (named || m.versionId() != null) {
            response.putHeader(VERSION_ID, VersionIds.of(m));
        }
    }

    static void answer(HttpServerResponse response, VersionDeleted deleted) {
        if (deleted.versionId() != null) {
            response.putHeader(VERSION_ID, deleted.versionId());
        }
        if (deleted.deleteMarker()) {
            response.putHeader(DELETE_MARKER, "true");
        }
    }
}
