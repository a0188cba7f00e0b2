package io.mooseng.core.object;

import io.mooseng.core.metadata.BucketCatalog;
import io.mooseng.core.model.BucketInfo;

import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;

/**
 * Recently seen buckets, so a write checks its bucket without a metadata round trip each
 * time. Only an early check: the commit itself fails if the bucket has gone meanwhile.
 */
final class BucketCache {
    private final BucketCatalog metadata;
    private final LongSupplier clock;
    private final long ttlMillis;
    private final Map<String, Entry> entries = new ConcurrentHashMap<>();

    BucketCache(BucketCatalog metadata, LongSupplier clock, long ttlMillis) {
        this.metadata = metadata;
        this.clock = clock;
        this.ttlMillis = ttlMillis;
    }

    CompletableFuture<BucketInfo> get(String name) {
        Entry e = entries.get(name);
        if (e != null && clock.getAsLong() - e.loadedAt < ttlMillis) {
            return CompletableFuture.completedFuture(e.info);
        }
        return metadata.getBucket(name).thenApply(info -> {
            entries.put(name, new Entry(info, clock.getAsLong()));
            return info;
        });
    }

    void forget(String name) {
        entries.remove(name);
    }

    private record Entry(BucketInfo info, long loadedAt) {
    }
}
