package io.mooseng.s3.handler;

import io.mooseng.core.object.ObjectService;
import io.mooseng.s3.error.S3Error;
import io.mooseng.s3.xml.LifecycleConfiguration;
import io.mooseng.s3.xml.S3Xml;
import io.vertx.core.Future;

import java.util.List;

/**
 * Get/Put/DeleteBucketLifecycleConfiguration: the bucket's rules, kept in its policy and applied
 * by the leader's maintenance (see {@link LifecycleRules} for what is accepted).
 */
public final class LifecycleHandler {
    /** 1000 rules of a few hundred bytes each. */
    private static final long MAX_BODY_BYTES = 1 << 20;

    private final ObjectService objects;

    public LifecycleHandler(ObjectService objects) {
        this.objects = objects;
    }

    public Future<Void> get(S3Request req) {
        return BucketSettings.answer(req, objects, p -> p.lifecycle().isEmpty() ? null : LifecycleRules.toDocument(p.lifecycle()),
                S3Error.NO_SUCH_LIFECYCLE_CONFIGURATION);
    }

    public Future<Void> put(S3Request req) {
        return req.readSmallBody(MAX_BODY_BYTES).map(body -> LifecycleRules.fromDocument(S3Xml.read(body, LifecycleConfiguration.class)))
                .compose(rules -> BucketSettings.change(req, objects, p -> p.withLifecycle(rules), 200));
    }

    public Future<Void> delete(S3Request req) {
        return BucketSettings.change(req, objects, p -> p.withLifecycle(List.of()), 204);
    }
}
