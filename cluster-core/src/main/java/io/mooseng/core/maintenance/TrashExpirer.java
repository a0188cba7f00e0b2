package io.mooseng.core.maintenance;

import io.mooseng.core.metadata.MetadataService;
import io.mooseng.core.model.BucketInfo;
import io.mooseng.core.model.BucketPolicy;
import io.mooseng.core.model.ObjectInfo;
import io.mooseng.core.model.TrashEntry;
import io.mooseng.core.object.ObjectService;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Purges trash entries older than their bucket's retention and frees their shards. */
final class TrashExpirer {
    private static final Logger LOG = LoggerFactory.getLogger(TrashExpirer.class);

    private final MetadataService metadata;
    private final ObjectService objects;
    private final long defaultRetentionMillis;

    TrashExpirer(MetadataService metadata, ObjectService objects, long defaultRetentionMillis) {
        this.metadata = metadata;
        this.objects = objects;
        this.defaultRetentionMillis = defaultRetentionMillis;
    }

    /** @return entries purged */
    int expire(long now) {
        int purged = 0;
        for (BucketInfo bucket : metadata.listBuckets().join()) {
            long retention = bucket.policy().trashRetentionMillis() == BucketPolicy.CLUSTER_DEFAULT
                    ? defaultRetentionMillis : bucket.policy().trashRetentionMillis();
            for (TrashEntry e : metadata.listTrash(bucket.name()).join()) {
                if (now - e.deletedMillis() < retention) {
                    continue;
                }
                ObjectInfo gone = metadata.purgeTrash(bucket.name(), e.inode()).join();
                objects.reclaim(gone.manifest().blocks());
                LOG.info("trash entry expired: bucket={} key={} inode={} bytes={}", e.bucket(), e.key(), e.inode(), e.size());
                purged++;
            }
        }
        return purged;
    }
}
