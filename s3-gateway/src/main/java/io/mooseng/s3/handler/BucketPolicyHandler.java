package io.mooseng.s3.handler;

import io.mooseng.core.object.ObjectService;
import io.mooseng.core.policy.PolicyDocument;
import io.mooseng.s3.error.S3Error;
import io.mooseng.s3.xml.PolicyStatus;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;

import java.nio.charset.StandardCharsets;

/**
 * Put/Get/DeleteBucketPolicy and GetBucketPolicyStatus. The document is validated on the way in
 * and kept as sent, in the bucket's settings; gateways read it with the bucket (see {@link Authorization}).
 */
public final class BucketPolicyHandler {
    /** S3's limit for a bucket policy. */
    private static final long MAX_POLICY_BYTES = 20 * 1024;

    private final ObjectService objects;

    public BucketPolicyHandler(ObjectService objects) {
        this.objects = objects;
    }

    public Future<Void> putBucketPolicy(S3Request req) {
        return req.readSmallBody(MAX_POLICY_BYTES).compose(body -> {
            String json = new String(body, StandardCharsets.UTF_8);
            PolicyDocument.bucketPolicy(json, req.bucket());
            return BucketSettings.change(req, objects, p -> p.withAccessPolicy(json), 204);
        });
    }

    public Future<Void> getBucketPolicy(S3Request req) {
        return req.call(() -> objects.getBucket(req.bucket())).compose(b -> {
            String json = b.policy().accessPolicy();
            if (json == null) {
                throw S3Error.NO_SUCH_BUCKET_POLICY.exception();
            }
            return req.response().setStatusCode(200).putHeader("Content-Type", "application/json")
                    .end(Buffer.buffer(json.getBytes(StandardCharsets.UTF_8)));
        });
    }

    public Future<Void> deleteBucketPolicy(S3Request req) {
        return BucketSettings.change(req, objects, p -> p.withAccessPolicy(null), 204);
    }

    public Future<Void> getBucketPolicyStatus(S3Request req) {
        return BucketSettings.answer(req, objects, p -> p.accessPolicy() == null ? null
                : new PolicyStatus(PolicyDocument.bucketPolicy(p.accessPolicy(), req.bucket()).isPublic()), S3Error.NO_SUCH_BUCKET_POLICY);
    }
}
