package io.mooseng.core.maintenance;

import io.mooseng.core.error.MooseException;
import io.mooseng.core.metadata.MetadataService;
import io.mooseng.core.model.BucketInfo;
import io.mooseng.core.model.LifecycleRule;
import io.mooseng.core.model.MultipartUpload;
import io.mooseng.core.model.ObjectVersion;
import io.mooseng.core.model.VersionListPage;
import io.mooseng.core.model.VersionListRequest;
import io.mooseng.core.model.WriteCondition;
import io.mooseng.core.object.ObjectService;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;
import java.util.function.LongSupplier;

/**
 * The lifecycle pass: applies the expiration and abort rules of every bucket that has enabled
 * rules (transitions are re-codes, done by {@link ClassConverter}). A pass walks each such
 * bucket's version listing and multipart uploads from the start and acts through the normal
 * delete and abort paths; it keeps no cursor, since what is left to do is read from the
 * namespace itself: a pass cut short by a failover is simply run again by the next leader.
 * Actions are bounded per second; the listing is not.
 */
final class LifecycleRunner {
    private static final Logger LOG = LoggerFactory.getLogger(LifecycleRunner.class);
    private static final int PAGE = 1000;

    private final MetadataService metadata;
    private final ObjectService objects;
    private final RateLimiter rate;
    private final long dayMillis;
    private final BooleanSupplier leading;
    private final AtomicLong expired = new AtomicLong();
    private final AtomicLong aborted = new AtomicLong();
    private volatile long lastPassMillis;

    LifecycleRunner(MetadataService metadata, ObjectService objects, int actionsPerSecond, long dayMillis, BooleanSupplier leading) {
        this.metadata = metadata;
        this.objects = objects;
        this.rate = new RateLimiter(actionsPerSecond);
        this.dayMillis = dayMillis;
        this.leading = leading;
    }

    long expired() {
        return expired.get();
    }

    long aborted() {
        return aborted.get();
    }

    /** When the last complete pass ended, 0 before the first. */
    long lastPassMillis() {
        return lastPassMillis;
    }

    /** One pass over every bucket with enabled rules; stops early when this master stops leading. */
    void run(LongSupplier clock) throws InterruptedException {
        long expiredBefore = expired.get();
        long abortedBefore = aborted.get();
        for (BucketInfo bucket : metadata.listBuckets().join()) {
            List<LifecycleRule> rules = bucket.policy().lifecycle().stream().filter(LifecycleRule::enabled).toList();
            if (rules.isEmpty()) {
                continue;
            }
            if (!leading.getAsBoolean()) {
                return;
            }
            expireVersions(bucket.name(), rules, clock);
            abortUploads(bucket.name(), rules, clock.getAsLong());
        }
        lastPassMillis = clock.getAsLong();
        // one line per pass that did something; each action is logged at DEBUG
        if (expired.get() != expiredBefore || aborted.get() != abortedBefore) {
            LOG.info("lifecycle pass: expired={} uploadsAborted={}", expired.get() - expiredBefore, aborted.get() - abortedBefore);
        }
    }

    /** Walks the versions of each key, newest first, keeping what the rules ask about its predecessors. */
    private void expireVersions(String bucket, List<LifecycleRule> rules, LongSupplier clock)
            throws InterruptedException {
        if (rules.stream().noneMatch(r -> r.expirationDays() != LifecycleRule.NONE || r.expirationDateMillis() != LifecycleRule.NONE
                || r.expiredObjectDeleteMarker() || r.noncurrentDays() != LifecycleRule.NONE)) {
            return;
        }
        KeyHistory key = null;
        String keyMarker = null;
        String versionMarker = null;
        do {
            VersionListPage page = objects.listVersions(bucket, new VersionListRequest("", null, keyMarker, versionMarker, PAGE)).join();
            for (ObjectVersion v : page.versions()) {
                if (key == null || !key.name.equals(v.key())) {
                    if (key != null) {
                        key.finish(clock.getAsLong());
                    }
                    key = new KeyHistory(bucket, v.key(), rules);
                }
                key.next(v, clock.getAsLong());
            }
            keyMarker = page.truncated() ? page.nextKeyMarker() : null;
            versionMarker = page.truncated() ? page.nextVersionIdMarker() : null;
        } while (keyMarker != null && leading.getAsBoolean());
        if (key != null) {
            key.finish(clock.getAsLong());
        }
    }

    /** One key's versions as the walk meets them: how many noncurrent ones came, and when the last one was replaced. */
    private final class KeyHistory {
        final String bucket;
        final String name;
        final List<LifecycleRule> rules;
        int seen;
        int noncurrentRank;
        long successorMillis;
        /** The latest version when it is a delete marker, decided on once the key's other versions are known. */
        ObjectVersion latestMarker;

        KeyHistory(String bucket, String name, List<LifecycleRule> rules) {
            this.bucket = bucket;
            this.name = name;
            this.rules = rules;
        }

        void next(ObjectVersion v, long now) throws InterruptedException {
            seen++;
            if (name.endsWith("/")) {
                return; // directory markers belong to the mount's tree
            }
            if (v.latest()) {
                if (v.deleteMarker()) {
                    latestMarker = v;
                } else if (rules.stream().anyMatch(r -> covers(r, v) && r.expires(v.mtimeMillis(), now, dayMillis))) {
                    act("expired", v, () -> objects.deleteVersion(bucket, name, null, WriteCondition.ifMatch(v.object().etag())).join());
                }
            } else {
                int rank = noncurrentRank++;
                long since = successorMillis;
                if (rules.stream().anyMatch(r -> covers(r, v) && rank >= r.newerNoncurrentVersions()
                        && r.noncurrentExpires(since, now, dayMillis))) {
                    act("noncurrent version expired", v, () -> objects.deleteVersion(bucket, name, v.versionId(), null).join());
                }
            }
            successorMillis = v.mtimeMillis();
        }

        /** A delete marker left as its key's only version goes when a rule asks for it. */
        void finish(long now) throws InterruptedException {
            ObjectVersion marker = latestMarker;
            if (marker != null && seen == 1 && rules.stream().anyMatch(r -> r.expiredObjectDeleteMarker() && covers(r, marker))) {
                act("expired delete marker removed", marker, () -> objects.deleteVersion(bucket, name, marker.versionId(), null).join());
            }
        }

        private boolean covers(LifecycleRule r, ObjectVersion v) {
            long size = v.deleteMarker() ? 0 : v.object().size();
            Map<String, String> tags = v.deleteMarker() ? Map.of() : v.object().manifest().properties().tags();
            return r.filter().matches(name, size, tags);
        }

        private void act(String what, ObjectVersion v, Runnable action) throws InterruptedException {
            rate.acquire(1);
            try {
                action.run();
                expired.incrementAndGet();
                LOG.debug("lifecycle: {}: bucket={} key={} versionId={}", what, bucket, name, v.versionId());
            } catch (RuntimeException e) {
                // replaced, deleted or locked meanwhile: the next pass sees the key as it is then
                LOG.debug("lifecycle action skipped: bucket={} key={} versionId={} cause={}", bucket, name, v.versionId(),
                        MooseException.of(e).toString());
            }
        }
    }

    private void abortUploads(String bucket, List<LifecycleRule> rules, long now) throws InterruptedException {
        List<LifecycleRule> aborting = rules.stream().filter(r -> r.abortUploadDays() != LifecycleRule.NONE).toList();
        if (aborting.isEmpty()) {
            return;
        }
        for (MultipartUpload u : objects.listMultipartUploads(bucket, "").join()) {
            if (aborting.stream().anyMatch(r -> u.key().startsWith(r.filter().prefix()) && r.abortsUpload(u.initiatedMillis(), now, dayMillis))) {
                rate.acquire(1);
                try {
                    objects.abortMultipartUpload(bucket, u.key(), u.uploadId()).join();
                    aborted.incrementAndGet();
                    LOG.debug("lifecycle: incomplete upload aborted: bucket={} key={} uploadId={}", bucket, u.key(), u.uploadId());
                } catch (RuntimeException e) {
                    LOG.debug("lifecycle abort skipped: bucket={} key={} uploadId={} cause={}", bucket, u.key(), u.uploadId(),
                            MooseException.of(e).toString());
                }
            }
        }
    }
}
