package io.mooseng.core.metadata;

import io.mooseng.core.model.BucketInfo;
import io.mooseng.core.model.BucketPolicy;
import io.mooseng.core.model.StorageClass;

import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * Buckets and their policies.
 * Non-blocking and linearizable: see {@link MetadataService} for the contract.
 */
public interface BucketCatalog {
    CompletableFuture<BucketInfo> createBucket(String name, StorageClass defaultClass, long createdMillis);

    /** Fails with BUCKET_NOT_EMPTY unless the bucket holds no object, directory or upload. */
    CompletableFuture<Void> deleteBucket(String name);

    CompletableFuture<BucketInfo> getBucket(String name);

    /** Buckets in name order. */
    CompletableFuture<List<BucketInfo>> listBuckets();

    /** Replaces the bucket's policy (classes, trash retention, cold conversion). */
    CompletableFuture<BucketInfo> setBucketPolicy(String bucket, BucketPolicy policy);
}
