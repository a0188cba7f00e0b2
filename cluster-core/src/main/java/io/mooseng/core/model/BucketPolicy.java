package io.mooseng.core.model;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * How a bucket stores and keeps data, set by the operator ({@code mooseng admin class|trash}),
 * and its S3 settings.
 *
 * @param defaultClass    class of objects written without x-amz-storage-class and outside
 *                        every prefix rule
 * @param prefixClasses   class per key prefix, e.g. "logs/" (a directory); the longest matching
 *                        prefix wins, like MooseFS goals inherited from the nearest directory
 * @param trashRetentionMillis how long deleted objects stay restorable: {@link #CLUSTER_DEFAULT}
 *                        for the masters' --trash-retention, 0 to free space at once
 * @param coldAfterMillis objects older than this (by mtime) in a replicated class are converted
 *                        to {@code coldClass}; 0 turns cold conversion off
 * @param coldClass       the erasure-coded class cold data moves to (null when off)
 * @param tags            the bucket's tag set (S3 bucket tagging)
 * @param corsRules       the bucket's CORS configuration, in order; empty for none
 * @param syncRule        how the bucket replicates between zones (multisite)
 * @param accessPolicy    the S3 bucket policy (an IAM policy document in JSON, kept as the client
 *                        sent it, validated by the gateway), or null for none
 * @param defaultEncryption the server-side encryption of objects written without an SSE header
 *                        (S3 bucket default encryption: "AES256"), or null for none
 * @param objectOwnership the S3 ownership controls' setting ("BucketOwnerEnforced", "BucketOwnerPreferred",
 *                        "ObjectWriter"), or null for none
 * @param notifications   the bucket's notification rules (S3 bucket notifications to webhook targets); empty for none
 * @param versioning      the bucket's S3 versioning state
 * @param lifecycle       the bucket's S3 lifecycle rules, in order; empty for none (the leader's maintenance applies them)
 * @param objectLock      the bucket's S3 Object Lock configuration, or null for a bucket created without object lock
 */
public record BucketPolicy(StorageClass defaultClass, Map<String, StorageClass> prefixClasses, long trashRetentionMillis,
                           long coldAfterMillis, StorageClass coldClass, Map<String, String> tags, List<CorsRule> corsRules,
                           SyncRule syncRule, String accessPolicy, String defaultEncryption, String objectOwnership,
                           List<NotificationRule> notifications, Versioning versioning,
                           List<LifecycleRule> lifecycle, ObjectLockConfig objectLock) {
    public static final long CLUSTER_DEFAULT = -1;

    public BucketPolicy {
        prefixClasses = java.util.Collections.unmodifiableMap(new TreeMap<>(prefixClasses));
        tags = java.util.Collections.unmodifiableMap(new TreeMap<>(tags));
        corsRules = List.copyOf(corsRules);
        notifications = List.copyOf(notifications);
        lifecycle = List.copyOf(lifecycle);
        java.util.Objects.requireNonNull(syncRule, "syncRule");
        java.util.Objects.requireNonNull(versioning, "versioning");
        if (coldAfterMillis < 0 || (coldAfterMillis > 0) != (coldClass != null)) {
            throw new IllegalArgumentException("cold conversion needs both an age and a class");
        }
    }

    public BucketPolicy(StorageClass defaultClass, Map<String, StorageClass> prefixClasses, long trashRetentionMillis,
                        long coldAfterMillis, StorageClass coldClass, Map<String, String> tags, List<CorsRule> corsRules) {
        this(defaultClass, prefixClasses, trashRetentionMillis, coldAfterMillis, coldClass, tags, corsRules, SyncRule.ALL, null, null, null, List.of(), Versioning.UNVERSIONED, List.of(), null);
    }

    public BucketPolicy(StorageClass defaultClass, Map<String, StorageClass> prefixClasses, long trashRetentionMillis,
                        long coldAfterMillis, StorageClass coldClass) {
        this(defaultClass, prefixClasses, trashRetentionMillis, coldAfterMillis, coldClass, Map.of(), List.of());
    }

    public static BucketPolicy of(StorageClass defaultClass) {
        return new BucketPolicy(defaultClass, Map.of(), CLUSTER_DEFAULT, 0, null);
    }

    /** The class for new data at {@code key}: the longest matching prefix rule, else the default. */
    public StorageClass classFor(String key) {
        StorageClass best = defaultClass;
        int bestLength = -1;
        for (Map.Entry<String, StorageClass> e : prefixClasses.entrySet()) {
            if (key.startsWith(e.getKey()) && e.getKey().length() > bestLength) {
                best = e.getValue();
                bestLength = e.getKey().length();
            }
        }
        return best;
    }

    /**
     * The class an object should have now: its pinned class or the rule for its key, moved to
     * the cold class once it is old enough and still replicated.
     */
    public StorageClass targetClass(String key, StorageClass pinned, long mtimeMillis, long nowMillis) {
        StorageClass target = pinned != null ? pinned : classFor(key);
        if (coldAfterMillis > 0 && target.kind() == StorageClass.Kind.REPLICATED && nowMillis - mtimeMillis >= coldAfterMillis) {
            return coldClass;
        }
        return target;
    }

    public BucketPolicy withDefaultClass(StorageClass c) {
        return new BucketPolicy(c, prefixClasses, trashRetentionMillis, coldAfterMillis, coldClass, tags, corsRules, syncRule, accessPolicy, defaultEncryption, objectOwnership, notifications, versioning, lifecycle, objectLock);
    }

    /** Sets (or with null removes) the class of a prefix; the empty prefix is the default class. */
    public BucketPolicy withPrefixClass(String prefix, StorageClass c) {
        if (prefix.isEmpty()) {
            if (c == null) {
                throw new IllegalArgumentException("a bucket always has a default class");
            }
            return withDefaultClass(c);
        }
        Map<String, StorageClass> rules = new TreeMap<>(prefixClasses);
        if (c == null) {
            rules.remove(prefix);
        } else {
            rules.put(prefix, c);
        }
        return new BucketPolicy(defaultClass, rules, trashRetentionMillis, coldAfterMillis, coldClass, tags, corsRules, syncRule, accessPolicy, defaultEncryption, objectOwnership, notifications, versioning, lifecycle, objectLock);
    }

    public BucketPolicy withTrashRetention(long millis) {
        return new BucketPolicy(defaultClass, prefixClasses, millis, coldAfterMillis, coldClass, tags, corsRules, syncRule, accessPolicy, defaultEncryption, objectOwnership, notifications, versioning, lifecycle, objectLock);
    }

    public BucketPolicy withColdConversion(long afterMillis, StorageClass c) {
        return new BucketPolicy(defaultClass, prefixClasses, trashRetentionMillis, afterMillis, c, tags, corsRules, syncRule, accessPolicy, defaultEncryption, objectOwnership, notifications, versioning, lifecycle, objectLock);
    }

    public BucketPolicy withCorsRules(List<CorsRule> rules) {
        return new BucketPolicy(defaultClass, prefixClasses, trashRetentionMillis, coldAfterMillis, coldClass, tags, rules, syncRule, accessPolicy, defaultEncryption, objectOwnership, notifications, versioning, lifecycle, objectLock);
    }

    public BucketPolicy withSyncRule(SyncRule rule) {
        return new BucketPolicy(defaultClass, prefixClasses, trashRetentionMillis, coldAfterMillis, coldClass, tags, corsRules, rule, accessPolicy, defaultEncryption, objectOwnership, notifications, versioning, lifecycle, objectLock);
    }

    public BucketPolicy withTags(Map<String, String> tagSet) {
        return new BucketPolicy(defaultClass, prefixClasses, trashRetentionMillis, coldAfterMillis, coldClass, tagSet, corsRules, syncRule, accessPolicy, defaultEncryption, objectOwnership, notifications, versioning, lifecycle, objectLock);
    }

    /** Sets, or with null removes, the S3 bucket policy. */
    public BucketPolicy withDefaultEncryption(String algorithm) {
        return new BucketPolicy(defaultClass, prefixClasses, trashRetentionMillis, coldAfterMillis, coldClass, tags, corsRules, syncRule,
                accessPolicy, algorithm, objectOwnership, notifications, versioning, lifecycle, objectLock);
    }

    /** Sets, or with null removes, the ownership controls' setting. */
    public BucketPolicy withObjectOwnership(String ownership) {
        return new BucketPolicy(defaultClass, prefixClasses, trashRetentionMillis, coldAfterMillis, coldClass, tags, corsRules, syncRule,
                accessPolicy, defaultEncryption, ownership, notifications, versioning, lifecycle, objectLock);
    }

    public BucketPolicy withNotifications(List<NotificationRule> rules) {
        return new BucketPolicy(defaultClass, prefixClasses, trashRetentionMillis, coldAfterMillis, coldClass, tags, corsRules, syncRule,
                accessPolicy, defaultEncryption, objectOwnership, rules, versioning, lifecycle, objectLock);
    }

    public BucketPolicy withAccessPolicy(String document) {
        return new BucketPolicy(defaultClass, prefixClasses, trashRetentionMillis, coldAfterMillis, coldClass, tags, corsRules, syncRule, document, defaultEncryption, objectOwnership, notifications, versioning, lifecycle, objectLock);
    }

    public BucketPolicy withVersioning(Versioning state) {
        return new BucketPolicy(defaultClass, prefixClasses, trashRetentionMillis, coldAfterMillis, coldClass, tags, corsRules, syncRule,
                accessPolicy, defaultEncryption, objectOwnership, notifications, state, lifecycle, objectLock);
    }

    public BucketPolicy withLifecycle(List<LifecycleRule> rules) {
        return new BucketPolicy(defaultClass, prefixClasses, trashRetentionMillis, coldAfterMillis, coldClass, tags, corsRules, syncRule,
                accessPolicy, defaultEncryption, objectOwnership, notifications, versioning, rules, objectLock);
    }

    /** Object lock on (with versioning, which it needs) or its configuration changed; never off once on. */
    public BucketPolicy withObjectLock(ObjectLockConfig config) {
        return new BucketPolicy(defaultClass, prefixClasses, trashRetentionMillis, coldAfterMillis, coldClass, tags, corsRules, syncRule,
                accessPolicy, defaultEncryption, objectOwnership, notifications, Versioning.ENABLED, lifecycle, config);
    }
}
