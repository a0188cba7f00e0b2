package io.mooseng.s3.handler;

import io.mooseng.core.model.BucketPolicy;
import io.mooseng.core.object.ObjectService;
import io.mooseng.s3.error.S3Error;
import io.vertx.core.Future;

import java.util.function.Function;
import java.util.function.UnaryOperator;

/** A bucket's S3 settings kept in its policy (tags, CORS rules): answered as documents, changed in place. */
final class BucketSettings {
    private BucketSettings() {
    }

    /**
     * @param document the setting as the document to answer, or null when the bucket has none
     * @param missing  the error S3 answers for a bucket without the setting
     */
    static Future<Void> answer(S3Request req, ObjectService objects, Function<BucketPolicy, Object> document, S3Error missing) {
        return req.call(() -> objects.getBucket(req.bucket())).compose(b -> {
            Object answer = document.apply(b.policy());
            if (answer == null) {
                throw missing.exception();
            }
            return req.sendXml(200, answer);
        });
    }

    static Future<Void> change(S3Request req, ObjectService objects, UnaryOperator<BucketPolicy> change, int status) {
        return req.call(() -> objects.changeBucket(req.bucket(), change)).compose(b -> req.send(status));
    }
}
