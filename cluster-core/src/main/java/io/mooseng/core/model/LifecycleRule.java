package io.mooseng.core.model;

import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * One rule of a bucket's S3 lifecycle configuration, as the leader's maintenance applies it.
 * Ages are counted in days of {@code dayMillis} (a real day in production; tests shorten it)
 * from the object's mtime, or for a noncurrent version from when its successor was written.
 *
 * @param id                        the rule's unique name in the bucket
 * @param enabled                   Status Enabled (Disabled rules are kept but not applied)
 * @param filter                    which objects the rule covers
 * @param expirationDays            expire current versions this many days old; {@link #NONE} for none
 * @param expirationDateMillis      expire current versions from this instant on; {@link #NONE} for none
 * @param expiredObjectDeleteMarker remove a delete marker that is its key's only version left
 * @param noncurrentDays            remove noncurrent versions this many days after they became noncurrent; {@link #NONE} for none
 * @param newerNoncurrentVersions   ... but keep this many newest noncurrent versions regardless (0: keep none)
 * @param abortUploadDays           abort multipart uploads initiated this many days ago; {@link #NONE} for none
 * @param transitions               re-code current versions to another class when old enough (at most one per class)
 * @param noncurrentTransitions     re-code noncurrent versions to another class when noncurrent long enough (one per class)
 */
public record LifecycleRule(String id, boolean enabled, Filter filter, int expirationDays, long expirationDateMillis,
                            boolean expiredObjectDeleteMarker, int noncurrentDays, int newerNoncurrentVersions,
                            int abortUploadDays, List<Transition> transitions, List<NoncurrentTransition> noncurrentTransitions) {
    public static final int NONE = -1;

    /** A rule without noncurrent version transitions. */
    public LifecycleRule(String id, boolean enabled, Filter filter, int expirationDays, long expirationDateMillis,
                         boolean expiredObjectDeleteMarker, int noncurrentDays, int newerNoncurrentVersions,
                         int abortUploadDays, List<Transition> transitions) {
        this(id, enabled, filter, expirationDays, expirationDateMillis, expiredObjectDeleteMarker, noncurrentDays, newerNoncurrentVersions,
                abortUploadDays, transitions, List.of());
    }

    /**
     * The objects a rule covers: all conditions must hold.
     *
     * @param prefix         "" for every key
     * @param tags           tags the object must carry with these values
     * @param sizeGreaterThan objects larger than this only; {@link #NONE} for no bound
     * @param sizeLessThan   objects smaller than this only; {@link #NONE} for no bound
     */
    public record Filter(String prefix, Map<String, String> tags, long sizeGreaterThan, long sizeLessThan) {
        public static final Filter ALL = new Filter("", Map.of(), NONE, NONE);

        public Filter {
            Objects.requireNonNull(prefix, "prefix");
            tags = java.util.Collections.unmodifiableMap(new TreeMap<>(tags));
        }

        /** Whether an object (its tags null when unknown: then a tag condition fails) is covered. */
        public boolean matches(String key, long size, Map<String, String> objectTags) {
            if (!key.startsWith(prefix)
                    || (sizeGreaterThan != NONE && size <= sizeGreaterThan)
                    || (sizeLessThan != NONE && size >= sizeLessThan)) {
                return false;
            }
            if (tags.isEmpty()) {
                return true;
            }
            return objectTags != null && tags.entrySet().stream().allMatch(t -> t.getValue().equals(objectTags.get(t.getKey())));
        }

        /** Whether the filter reads the object's tags (a listing does not carry them). */
        public boolean needsTags() {
            return !tags.isEmpty();
        }
    }

    /**
     * Re-code to {@code storageClass} after {@code days} days or from {@code dateMillis} on (one of them, the other {@link #NONE}).
     */
    public record Transition(int days, long dateMillis, StorageClass storageClass) {
        public Transition {
            Objects.requireNonNull(storageClass, "storageClass");
            if ((days == NONE) == (dateMillis == NONE)) {
                throw new IllegalArgumentException("a transition needs a day count or a date");
            }
        }

        boolean due(long since, long now, long dayMillis) {
            return LifecycleRule.due(days, dateMillis, since, now, dayMillis);
        }
    }

    /**
     * Re-code a noncurrent version to {@code storageClass} {@code noncurrentDays} days after it became noncurrent, unless
     * it is one of the key's {@code newerNoncurrentVersions} newest noncurrent versions (0: none kept as they are).
     */
    public record NoncurrentTransition(int noncurrentDays, int newerNoncurrentVersions, StorageClass storageClass) {
        public NoncurrentTransition {
            Objects.requireNonNull(storageClass, "storageClass");
        }
    }

    public LifecycleRule {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(filter, "filter");
        transitions = List.copyOf(transitions);
        noncurrentTransitions = List.copyOf(noncurrentTransitions);
    }

    public LifecycleRule withNoncurrentTransitions(List<NoncurrentTransition> list) {
        return new LifecycleRule(id, enabled, filter, expirationDays, expirationDateMillis, expiredObjectDeleteMarker, noncurrentDays,
                newerNoncurrentVersions, abortUploadDays, transitions, list);
    }

    /** Whether the current version, written at {@code mtimeMillis}, is due to expire. */
    public boolean expires(long mtimeMillis, long now, long dayMillis) {
        return due(expirationDays, expirationDateMillis, mtimeMillis, now, dayMillis);
    }

    /** Whether a version noncurrent since {@code noncurrentSinceMillis} is old enough to go (its rank permitting). */
    public boolean noncurrentExpires(long noncurrentSinceMillis, long now, long dayMillis) {
        return due(noncurrentDays, NONE, noncurrentSinceMillis, now, dayMillis);
    }

    public boolean abortsUpload(long initiatedMillis, long now, long dayMillis) {
        return due(abortUploadDays, NONE, initiatedMillis, now, dayMillis);
    }

    /** The class of the due transition that was due last (the latest stage), or null when none is due. */
    public StorageClass transitionClass(long mtimeMillis, long now, long dayMillis) {
        StorageClass target = null;
        long latestStart = Long.MIN_VALUE;
        for (Transition t : transitions) {
            long start = t.days() != NONE ? mtimeMillis + t.days() * dayMillis : t.dateMillis();
            if (t.due(mtimeMillis, now, dayMillis) && start >= latestStart) {
                latestStart = start;
                target = t.storageClass();
            }
        }
        return target;
    }

    /**
     * The class a bucket's enabled rules move a current version to now, or null when none applies.
     *
     * @param tags the object's tags, or null when not read (rules filtering on tags then do not apply)
     */
    public static StorageClass transitionClass(List<LifecycleRule> rules, String key, long size, Map<String, String> tags,
                                               long mtimeMillis, long now, long dayMillis) {
        StorageClass target = null;
        for (LifecycleRule r : rules) {
            if (r.enabled() && r.filter().matches(key, size, tags)) {
                StorageClass c = r.transitionClass(mtimeMillis, now, dayMillis);
                target = c != null ? c : target;
            }
        }
        return target;
    }

    /**
     * The class a bucket's enabled rules move a noncurrent version to now, or null when none applies: of the due
     * transitions the one due last (the latest stage) in the last rule that has one.
     *
     * @param rank           the version's place among its key's noncurrent versions, 0 for the newest
     * @param noncurrentSince when it became noncurrent (its successor was written)
     */
    public static StorageClass noncurrentTransitionClass(List<LifecycleRule> rules, String key, long size, Map<String, String> tags,
                                                         int rank, long noncurrentSince, long now, long dayMillis) {
        StorageClass target = null;
        for (LifecycleRule r : rules) {
            if (!r.enabled() || r.noncurrentTransitions().isEmpty() || !r.filter().matches(key, size, tags)) {
                continue;
            }
            long latestStart = Long.MIN_VALUE;
            for (NoncurrentTransition t : r.noncurrentTransitions()) {
                long start = noncurrentSince + t.noncurrentDays() * dayMillis;
                if (rank >= t.newerNoncurrentVersions() && due(t.noncurrentDays(), NONE, noncurrentSince, now, dayMillis)
                        && start >= latestStart) {
                    latestStart = start;
                    target = t.storageClass();
                }
            }
        }
        return target;
    }

    private static boolean due(int days, long dateMillis, long since, long now, long dayMillis) {
        if (days != NONE && now - since >= days * dayMillis) {
            return true;
        }
        return dateMillis != NONE && now >= dateMillis;
    }
}
