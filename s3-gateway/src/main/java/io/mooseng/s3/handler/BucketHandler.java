package io.mooseng.s3.handler;

import io.mooseng.core.model.BucketPolicy;
import io.mooseng.core.model.ObjectLockConfig;
import io.mooseng.core.model.StorageClass;
import io.mooseng.core.object.ObjectService;
import io.mooseng.s3.error.S3Error;
import io.mooseng.s3.xml.CreateBucketConfiguration;
import io.mooseng.s3.xml.LocationConstraint;
import io.mooseng.s3.xml.S3Xml;
import io.vertx.core.Future;

/** CreateBucket, DeleteBucket, HeadBucket and GetBucketLocation. */
public final class BucketHandler {
    /**
     * MooseNG extension on CreateBucket: the bucket's default storage class (REPLICATED_n,
     * EC_k_m); without it the cluster's default applies.
     */
    public static final String DEFAULT_STORAGE_CLASS_HEADER = "x-mooseng-default-storage-class";
    private static final long MAX_CONFIGURATION_BYTES = 64 * 1024;

    private final ObjectService objects;
    private final String region;
    private final String answeredRegion;

    /**
     * @param region         the configured region, or null to take any location constraint
     * @param answeredRegion the region GetBucketLocation and HeadBucket name
     */
    public BucketHandler(ObjectService objects, String region, String answeredRegion) {
        this.objects = objects;
        this.region = region;
        this.answeredRegion = answeredRegion;
    }

    public Future<Void> create(S3Request req) {
        BucketNames.validate(req.bucket());
        AclHandler.checkHeaders(req.headers());
        String ownership = req.header("x-amz-object-ownership");
        if (ownership != null) {
            OwnershipControlsHandler.checkSetting(ownership.trim());
            OwnershipControlsHandler.checkAcl(req.headers(), ownership.trim());
        }
        boolean objectLock = ObjectLockHeaders.lockEnabledOnCreate(req.headers());
        String classHeader = req.header(DEFAULT_STORAGE_CLASS_HEADER);
        StorageClass defaultClass = classHeader == null ? null : StorageClass.parse(classHeader);
        return req.readSmallBody(MAX_CONFIGURATION_BYTES).compose(body -> {
            if (body.length > 0) {
                String location = S3Xml.read(body, CreateBucketConfiguration.class).locationConstraint;
                if (region != null && location != null && !location.isEmpty() && !location.equals(region)) {
                    throw S3Error.INVALID_LOCATION_CONSTRAINT.exception(
                            "The specified location-constraint is not valid: this endpoint serves " + region + ".");
                }
            }
            return req.call(() -> objects.createBucket(req.bucket(), defaultClass));
        }).compose(created -> ownership == null && !objectLock ? Future.succeededFuture()
                : req.call(() -> objects.changeBucket(req.bucket(), p -> {
                    BucketPolicy owned = ownership == null ? p : p.withObjectOwnership(ownership.trim());
                    // object lock turns versioning on, as S3 does
                    return objectLock ? owned.withObjectLock(ObjectLockConfig.ENABLED) : owned;
                }))).compose(created -> {
            req.response().putHeader("Location", "/" + req.bucket());
            return req.send(200);
        });
    }

    public Future<Void> delete(S3Request req) {
        return req.call(() -> objects.deleteBucket(req.bucket())).compose(v -> req.send(204));
    }

    public Future<Void> head(S3Request req) {
        return req.call(() -> objects.getBucket(req.bucket())).compose(b -> {
            req.response().putHeader("x-amz-bucket-region", answeredRegion);
            return req.send(200);
        });
    }

    /** Empty for us-east-1, as S3 answers for its oldest region. */
    public Future<Void> location(S3Request req) {
        return req.call(() -> objects.getBucket(req.bucket())).compose(b ->
                req.sendXml(200, new LocationConstraint("us-east-1".equals(answeredRegion) ? "" : answeredRegion)));
    }
}
