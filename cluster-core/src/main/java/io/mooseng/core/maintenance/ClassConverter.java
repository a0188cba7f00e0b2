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
import io.mooseng.core.model.StorageClass;
import io.mooseng.core.object.ObjectService;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Brings every object to the class its bucket's policy asks for now: after a class change
 * of the bucket or of a prefix, and for cold conversion of old replicated data to erasure
 * coding, and for S3 lifecycle transitions (whose class, once due, overrides the others). Walks
 * every bucket's listing, re-codes up to a budget per cycle and counts what is still pending
 * (the progress shown by {@code mooseng admin status}).
 */
final class ClassConverter {
    private static final Logger LOG = LoggerFactory.getLogger(ClassConverter.class);

    /** Objects still to convert after this pass, objects converted in it, and of those the ones a lifecycle transition moved. */
    record Pass(long pending, long converted, long transitioned) {
    }

    private final MetadataService metadata;
    private final ObjectService objects;
    private final long lifecycleDayMillis;

    ClassConverter(MetadataService metadata, ObjectService objects, long lifecycleDayMillis) {
        this.metadata = metadata;
        this.objects = objects;
        this.lifecycleDayMillis = lifecycleDayMillis;
    }

    Pass run(int budget, long now) {
        long pending = 0;
        long converted = 0;
        long transitioned = 0;
        for (BucketInfo bucket : metadata.listBuckets().join()) {
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
                    StorageClass transition = object == null ? null : transition(bucket.policy(), object, now);
                    StorageClass target = transition != null ? transition : object == null ? null : target(bucket.policy(), object, now);
                    if (target == null || target.equals(object.manifest().storageClass())) {
                        continue;
                    }
                    if (converted < budget && recode(object, target)) {
                        converted++;
                        transitioned += transition != null ? 1 : 0;
                    } else {
                        pending++;
                    }
                }
                after = page.truncated() ? page.nextStartAfter() : null;
            } while (after != null);
        }
        return new Pass(pending, converted, transitioned);
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
