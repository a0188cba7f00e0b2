package io.mooseng.core.maintenance;

import io.mooseng.core.model.BucketInfo;
import io.mooseng.core.model.BucketPolicy;

import java.util.Collection;
import java.util.HashMap;
import java.util.Map;

/**
 * Which buckets the class converter walks this cycle. A bucket whose last walk left nothing
 * pending is walked again only when its policy changes, when time can move its objects'
 * targets (cold conversion, lifecycle transitions), or {@link #WALK_AGAIN_MILLIS} later, for
 * what else might leave an object off target (a restore from the trash, a mount writing with
 * a policy it has not seen change yet): walking a large bucket every cycle kept a core of an
 * idle master busy.
 */
final class ConversionWalks {
    static final long WALK_AGAIN_MILLIS = 3_600_000;

    /** Per bucket, the policy of its last walk that left nothing pending, and when that was. */
    private final Map<String, Walked> clean = new HashMap<>();

    private record Walked(BucketPolicy policy, long atMillis) {
    }

    /** Forgets buckets no longer there (one created again under the name is walked). */
    void retain(Collection<BucketInfo> buckets) {
        clean.keySet().retainAll(buckets.stream().map(BucketInfo::name).toList());
    }

    void clear() {
        clean.clear();
    }

    boolean due(BucketInfo bucket, long now) {
        Walked last = clean.get(bucket.name());
        return last == null || !last.policy.equals(bucket.policy()) || now - last.atMillis >= WALK_AGAIN_MILLIS;
    }

    /** @param pending objects the walk left off target (over the budget, or their re-code failed) */
    void walked(BucketInfo bucket, long now, long pending) {
        if (pending == 0 && !timeMovesTargets(bucket.policy())) {
            clean.put(bucket.name(), new Walked(bucket.policy(), now));
        } else {
            clean.remove(bucket.name());
        }
    }

    private static boolean timeMovesTargets(BucketPolicy policy) {
        return policy.coldAfterMillis() > 0 || policy.lifecycle().stream()
                .anyMatch(r -> r.enabled() && (!r.transitions().isEmpty() || !r.noncurrentTransitions().isEmpty()));
    }
}
