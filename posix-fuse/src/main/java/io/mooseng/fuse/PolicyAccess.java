package io.mooseng.fuse;

import io.mooseng.core.object.ObjectService;
import io.mooseng.core.policy.AccessRequest;
import io.mooseng.core.policy.ConditionKeys;
import io.mooseng.core.policy.ParsedPolicies;
import io.mooseng.core.policy.PolicyDocument;
import io.mooseng.core.policy.PolicyEvaluator;
import io.mooseng.core.policy.PolicyEvaluator.Decision;
import io.mooseng.core.policy.RequestContext;
import io.mooseng.fuse.kernel.Errno;
import io.mooseng.fuse.kernel.FuseException;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;

/**
 * A mount with a key: each operation is decided as the gateway decides the same change over
 * S3 ({@link PolicyEvaluator}: the user's identity policies and the bucket's policy; a root
 * user may do everything). Identity policies arrive parsed with the key's standing
 * ({@link MountIdentity}); the bucket policy is read through {@link ObjectService#recentBucket}
 * (at most two seconds old) and parsed once per text, so a decision costs no metadata round
 * trip while the bucket is cached.
 */
final class PolicyAccess implements MountAccess {
    private final MountIdentity identity;
    private final ObjectService objects;
    private final ParsedPolicies bucketPolicies = new ParsedPolicies();

    PolicyAccess(MountIdentity identity, ObjectService objects) {
        this.identity = identity;
        this.objects = objects;
    }

    @Override
    public void check(List<MountActions.Check> checks) {
        MountIdentity.Standing s = identity.standing();
        if (s.refusal() != null) {
            throw new FuseException(Errno.EACCES, s.refusal());
        }
        if (s.root()) {
            return;
        }
        Instant now = Instant.now();
        for (MountActions.Check c : checks) {
            AccessRequest request = request(s.user(), c, identity.secureTransport(), now);
            if (PolicyEvaluator.decide(request, s.policies(), bucketPolicy(c.bucket())) != Decision.ALLOW) {
                throw new FuseException(Errno.EACCES, "user " + s.user() + " may not " + c.action() + " on " + request.resource());
            }
        }
    }

    /**
     * The request a policy sees for one check. A mount knows its user, whether it speaks TLS, the
     * time and, for a listing, the prefix and the delimiter "/"; it has no address a policy
     * could trust (aws:SourceIp is absent), no headers and no signature.
     */
    static AccessRequest request(String user, MountActions.Check c, boolean secureTransport, Instant now) {
        Instant second = now.truncatedTo(ChronoUnit.SECONDS);
        RequestContext.Builder context = RequestContext.builder()
                .put(ConditionKeys.USERNAME, user)
                .put(ConditionKeys.USERID, user)
                .put(ConditionKeys.PRINCIPAL_TYPE, "User")
                .put(ConditionKeys.SECURE_TRANSPORT, String.valueOf(secureTransport))
                .put(ConditionKeys.CURRENT_TIME, second.toString())
                .put(ConditionKeys.EPOCH_TIME, String.valueOf(second.getEpochSecond()));
        if (c.prefix() != null) {
            context.put(ConditionKeys.PREFIX, c.prefix()).put(ConditionKeys.DELIMITER, "/");
        }
        return new AccessRequest(user, c.action(), AccessRequest.arn(c.bucket(), c.key()), context.build());
    }

    /** The bucket's policy, or null when it has none or does not exist (the operation then answers ENOENT itself). */
    private PolicyDocument bucketPolicy(String bucket) {
        if (bucket == null) {
            return null;
        }
        String json;
        try {
            json = MountTree.await(objects.recentBucket(bucket)).policy().accessPolicy();
        } catch (FuseException e) {
            if (MountTree.absent(e)) {
                return null;
            }
            throw e;
        }
        return json == null ? null : bucketPolicies.bucketPolicy(json, bucket);
    }
}
