package io.mooseng.s3.handler;

import io.mooseng.core.object.ObjectService;
import io.mooseng.s3.error.S3Error;
import io.mooseng.s3.xml.S3Xml;
import io.mooseng.s3.xml.ServerSideEncryptionConfiguration;
import io.vertx.core.Future;

/**
 * Get/Put/DeleteBucketEncryption: the bucket's default server-side encryption, applied to
 * PutObject and CopyObject requests without an SSE header of their own. Only AES256 (SSE-S3);
 * a KMS algorithm is NotImplemented.
 */
public final class BucketEncryptionHandler {
    private static final long MAX_BODY_BYTES = 16 * 1024;

    private final ObjectService objects;

    public BucketEncryptionHandler(ObjectService objects) {
        this.objects = objects;
    }

    public Future<Void> getBucketEncryption(S3Request req) {
        return BucketSettings.answer(req, objects,
                p -> p.defaultEncryption() == null ? null : ServerSideEncryptionConfiguration.of(p.defaultEncryption()),
                S3Error.SERVER_SIDE_ENCRYPTION_CONFIGURATION_NOT_FOUND_ERROR);
    }

    public Future<Void> putBucketEncryption(S3Request req) {
        return req.readSmallBody(MAX_BODY_BYTES).map(body -> algorithm(S3Xml.read(body, ServerSideEncryptionConfiguration.class)))
                .compose(algorithm -> BucketSettings.change(req, objects, p -> p.withDefaultEncryption(algorithm), 200));
    }

    public Future<Void> deleteBucketEncryption(S3Request req) {
        return BucketSettings.change(req, objects, p -> p.withDefaultEncryption(null), 204);
    }

    /** @throws io.mooseng.s3.error.S3Exception MalformedXML without exactly one rule with an algorithm */
    private static String algorithm(ServerSideEncryptionConfiguration c) {
        if (c.rules == null || c.rules.size() != 1 || c.rules.getFirst().applyServerSideEncryptionByDefault == null
                || c.rules.getFirst().applyServerSideEncryptionByDefault.sseAlgorithm == null) {
            throw S3Error.MALFORMED_XML.exception();
        }
        String algorithm = c.rules.getFirst().applyServerSideEncryptionByDefault.sseAlgorithm.trim();
        ServerSideEncryption.checkServerAlgorithm(algorithm);
        return algorithm;
    }
}
