package io.mooseng.s3.handler;

import io.mooseng.core.model.CorsRule;
import io.mooseng.core.object.ObjectService;
import io.mooseng.s3.error.S3Error;
import io.mooseng.s3.xml.CorsConfiguration;
import io.mooseng.s3.xml.S3Xml;
import io.vertx.core.Future;
import io.vertx.core.MultiMap;

import java.util.List;

/**
 * Get/Put/DeleteBucketCors, the preflight OPTIONS request (unsigned, as browsers send it), and
 * the CORS headers on the answers to requests from an origin a rule allows, errors included.
 */
public final class CorsHandler {
    /** S3's limit for a CORS configuration document. */
    private static final long MAX_CONFIGURATION_BYTES = 64 * 1024;

    private final ObjectService objects;

    public CorsHandler(ObjectService objects) {
        this.objects = objects;
    }

    public Future<Void> getBucketCors(S3Request req) {
        return BucketSettings.answer(req, objects, p -> p.corsRules().isEmpty() ? null : CorsRules.toDocument(p.corsRules()),
                S3Error.NO_SUCH_CORS_CONFIGURATION);
    }

    public Future<Void> putBucketCors(S3Request req) {
        return req.readSmallBody(MAX_CONFIGURATION_BYTES)
                .map(body -> CorsRules.fromDocument(S3Xml.read(body, CorsConfiguration.class)))
                .compose(rules -> BucketSettings.change(req, objects, p -> p.withCorsRules(rules), 200));
    }

    public Future<Void> deleteBucketCors(S3Request req) {
        return BucketSettings.change(req, objects, p -> p.withCorsRules(List.of()), 204);
    }

    /** OPTIONS: 200 with the matching rule's headers, else 403 CORSResponse. */
    public Future<Void> preflight(S3Request req) {
        String origin = req.header("origin");
        String method = req.header("access-control-request-method");
        if (origin == null) {
            throw S3Error.BAD_REQUEST.exception("Insufficient information. Origin request header needed.");
        }
        if (method == null) {
            throw S3Error.BAD_REQUEST.exception("Invalid Access-Control-Request-Method: null");
        }
        if (req.bucket() == null) {
            throw S3Error.CORS_RESPONSE.exception();
        }
        List<String> headers = CorsRules.requestedHeaders(req.header("access-control-request-headers"));
        return req.call(() -> objects.recentBucket(req.bucket())).recover(e -> {
            throw S3Error.CORS_RESPONSE.exception();
        }).compose(b -> {
            if (b.policy().corsRules().isEmpty()) {
                throw S3Error.CORS_RESPONSE.exception();
            }
            CorsRule rule = CorsRules.match(b.policy().corsRules(), origin, method, headers).orElseThrow(() ->
                    S3Error.CORS_RESPONSE.exception("This CORS request is not allowed. This is usually because the evaluation of Origin, "
                            + "request method / Access-Control-Request-Method or Access-Control-Request-Headers are not whitelisted "
                            + "by the resource's CORS spec."));
            MultiMap answer = CorsRules.headers(rule, origin);
            if (!headers.isEmpty()) {
                answer.add("Access-Control-Allow-Headers", String.join(", ", headers));
            }
            req.crossOrigin(answer);
            return req.send(200);
        });
    }

    /**
     * For a request with an Origin header to a bucket: the CORS headers of the rule that
     * allows it, set for whatever the answer turns out to be. A bucket that cannot be read
     * here (absent, the cluster unavailable) gets none; the request answers that itself.
     */
    public Future<Void> prepare(S3Request req) {
        String origin = req.header("origin");
        if (origin == null || req.bucket() == null) {
            return Future.succeededFuture();
        }
        return req.call(() -> objects.recentBucket(req.bucket())).transform(ar -> {
            if (ar.succeeded()) {
                CorsRules.match(ar.result().policy().corsRules(), origin, req.http().method().name(), List.of())
                        .ifPresent(rule -> req.crossOrigin(CorsRules.headers(rule, origin)));
            }
            return Future.succeededFuture();
        });
    }
}
