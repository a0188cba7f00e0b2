package io.mooseng.s3.xml;

/** Optional CreateBucket request body. */
public final class CreateBucketConfiguration {
    public String locationConstraint;
}
