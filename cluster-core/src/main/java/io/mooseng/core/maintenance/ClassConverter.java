package io.mooseng.core.maintenance;

import io.mooseng.core.error.MooseException;
import io.mooseng.core.metadata.MetadataService;
import io.mooseng.core.model.BucketInfo;
import io.mooseng.core.model.BucketPolicy;
import io.mooseng.core.model.LifecycleRule;
import io.mooseng.core.model.ListPage;
import io.mooseng.core.model.ListRequest;
import io.mooseng.core.model.ObjectInfo;
import io.mooseng.core.model.ObjectKey;
import io.mooseng.core.model.ObjectSummary;
import io.mooseng.core.model.ObjectVersion;
import io.mooseng.core.model.StorageClass;
import io.mooseng.core.model.VersionListPage;
import io.mooseng.core.model.VersionListRequest;
import io.mooseng.core.object.ObjectService;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Brings every object to the class its bucket's policy asks for now: after a class change
 * of the bucket or of a prefix, and for cold conversion of old replicated data to erasure
 * coding, and for S3 lifecycle transitions (whose class, once due, overrides the others). Walks
 * the listing of each bucket {@link ConversionWalks} says is due, re-codes up to a budget per
 * cycle and counts what is still pending (the progress shown by {@code mooseng admin status}).
 */
final class ClassConverter {
    private static final Logger LOG = LoggerFactory.getLogger(ClassConverter.class);

    /** Objects still to convert after this pass, objects converted in it, and of those the ones a lifecycle transition moved. */
    record Pass(long pending, long converted, long transitioned) {
    }

    private final MetadataService metadata;
    private final ObjectService objects;
    private final long lifecycleDayMillis;
    private final ConversionWalks walks = new ConversionWalks();

    ClassConverter(MetadataService metadata, ObjectService objects, long lifecycleDayMillis) {
        this.metadata = metadata;
        this.objects = objects;
        this.lifecycleDayMillis = lifecycleDayMillis;
    }

    /** This master stopped leading: what it walked may have changed under another leader. */
    void reset() {
        walks.clear();
    }

    Pass run(int budget, long now) {
        Tally tally = new Tally(budget);
        List<BucketInfo> buckets = metadata.listBuckets().join();
        walks.retain(buckets);
        for (BucketInfo bucket : buckets) {
            if (!walks.due(bucket, now)) {
                continue;
            }
            long pendingBefore = tally.pending;
            if (bucket.policy().versioning().keepsVersions()) {
                convertVersions(bucket, tally, now);
            } else {
                convertCurrent(bucket, tally, now);
            }
            walks.walked(bucket, now, tally.pending - pendingBefore);
        }
        return new Pass(tally.pending, tally.converted, tally.transitioned);
    }

    /** What a pass did so far, and how many re-codes it may still start. */
    private static final class Tally {
        final int budget;
        long pending;
        long converted;
        long transitioned;

        Tally(int budget) {
            this.budget = budget;
        }
    }

    /** An unversioned bucket: its listing, each object read again only when the listing says it may be off target. */
    private void convertCurrent(BucketInfo bucket, Tally tally, long now) {
        // a transition filtering on tags is only known from the object itself, not from the listing
        boolean readTags = bucket.policy().lifecycle().stream()
                .anyMatch(r -> r.enabled() && !r.transitions().isEmpty() && r.filter().needsTags());
        String after = null;
        do {
            ListPage page = metadata.listObjects(bucket.name(), new ListRequest("", null, after, 1000)).join();
            for (ObjectSummary s : page.objects()) {
                StorageClass byLifecycle = transition(bucket.policy(), s.key(), s.size(), null, s.mtimeMillis(), now);
                StorageClass byRule = byLifecycle != null ? byLifecycle : bucket.policy().targetClass(s.key(), null, s.mtimeMillis(), now);
                // equal to the rule's class means on target, pinned or not (cold conversion treats both alike)
                if (s.key().endsWith("/") || (s.storageClass().equals(byRule) && !readTags)) {
                    continue;
                }
                ObjectInfo object = currentVersion(bucket.name(), s.key());
                if (object != null) {
                    convert(object, transition(bucket.policy(), object, now), bucket.policy(), tally, now);
                }
            }
            after = page.truncated() ? page.nextStartAfter() : null;
        } while (after != null);
    }

    /**
     * A bucket that keeps versions: every version (the listing carries each one's manifest). A noncurrent version
     * follows its noncurrent transitions, ranked among its key's noncurrent versions and aged from when its successor
     * was written, else the bucket's classes as a current one does.
     */
    private void convertVersions(BucketInfo bucket, Tally tally, long now) {
        BucketPolicy policy = bucket.policy();
        String key = null;
        int rank = 0;
        long successorMillis = 0;
        String keyMarker = null;
        String versionMarker = null;
        do {
            VersionListPage page = metadata.listObjectVersions(bucket.name(), new VersionListRequest("", null, keyMarker, versionMarker, 1000)).join();
            for (ObjectVersion v : page.versions()) {
                if (!v.key().equals(key)) {
                    key = v.key();
                    rank = 0;
                }
                if (!v.deleteMarker() && !key.endsWith("/")) {
                    ObjectInfo object = v.object();
                    StorageClass transition = v.latest() ? transition(policy, object, now)
                            : LifecycleRule.noncurrentTransitionClass(policy.lifecycle(), key, object.size(), object.manifest().properties().tags(),
                            rank, successorMillis, now, lifecycleDayMillis);
                    convert(object, transition, policy, tally, now);
                }
                // ranked and aged as the lifecycle's noncurrent expiration ranks and ages them (LifecycleRunner)
                rank += v.latest() ? 0 : 1;
                successorMillis = v.mtimeMillis();
            }
            keyMarker = page.truncated() ? page.nextKeyMarker() : null;
            versionMarker = page.truncated() ? page.nextVersionIdMarker() : null;
        } while (keyMarker != null);
    }

    /** Re-codes a version to its lifecycle transition's class, else its rule's, when it is not there yet and the budget allows. */
    private void convert(ObjectInfo object, StorageClass transition, BucketPolicy policy, Tally tally, long now) {
        StorageClass target = transition != null ? transition : target(policy, object, now);
        if (target == null || target.equals(object.manifest().storageClass())) {
            return;
        }
        if (tally.converted < tally.budget && recode(object, target)) {
            tally.converted++;
            tally.transitioned += transition != null ? 1 : 0;
        } else {
            tally.pending++;
        }
    }

    private StorageClass transition(BucketPolicy policy, String key, long size, Map<String, String> tags, long mtime, long now) {
        return LifecycleRule.transitionClass(policy.lifecycle(), key, size, tags, mtime, now, lifecycleDayMillis);
    }

    private StorageClass transition(BucketPolicy policy, ObjectInfo object, long now) {
        var m = object.manifest();
        return transition(policy, object.key(), object.size(), m.properties().tags(), m.mtimeMillis(), now);
    }

    private static StorageClass target(BucketPolicy policy, ObjectInfo object, long now) {
        var m = object.manifest();
        return policy.targetClass(object.key(), m.classPinned() ? m.storageClass() : null, m.mtimeMillis(), now);
    }

    private ObjectInfo currentVersion(String bucket, String key) {
        try {
            return metadata.getObject(bucket, ObjectKey.parse(key)).join();
        } catch (RuntimeException e) {
            return null; // deleted meanwhile
        }
    }

    private boolean recode(ObjectInfo object, StorageClass target) {
        try {
            objects.recode(object, target).get(30, TimeUnit.MINUTES);
            LOG.info("object re-coded: bucket={} key={} from={} to={} bytes={}", object.bucket(), object.key(),
                    object.manifest().storageClass(), target, object.size());
            return true;
        } catch (Exception e) {
            LOG.warn("re-code failed, retried next cycle: bucket={} key={} cause={}", object.bucket(), object.key(),
                    MooseException.of(e).toString());
            return false;
        }
    }
}
