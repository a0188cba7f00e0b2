package io.mooseng.s3.handler;

import io.mooseng.core.error.ErrorCode;
import io.mooseng.core.error.MooseException;
import io.mooseng.core.object.ObjectService;
import io.mooseng.core.policy.AccessRequest;
import io.mooseng.core.policy.ParsedPolicies;
import io.mooseng.core.policy.PolicyDocument;
import io.mooseng.core.policy.PolicyEvaluator.Decision;
import io.mooseng.core.policy.PolicyEvaluator;
import io.mooseng.s3.auth.Identity;
import io.mooseng.s3.error.S3Error;
import io.vertx.core.Future;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;

/**
 * Whether a request may do an IAM action on a bucket or object: the administrator always; any
 * other caller as its identity policies and the bucket's policy decide
 * ({@link PolicyEvaluator}). The bucket policy is read through {@link ObjectService#recentBucket}
 * (at most two seconds old), so a decision costs no metadata round trip while the bucket is cached.
 */
public final class Authorization {
    /** Actions whose policies may test s3:ExistingObjectTag: they read or change a stored object. */
    private static final Set<String> TAGGED_OBJECT_ACTIONS = Set.of("s3:getobject", "s3:getobjectacl", "s3:getobjecttagging",
            "s3:putobjectacl", "s3:putobjecttagging", "s3:deleteobjecttagging");

    private final ObjectService objects;
    private final ParsedPolicies policies = new ParsedPolicies();

    public Authorization(ObjectService objects) {
        this.objects = objects;
    }

    /**
     * Completes when the request may do {@code action} on the bucket or object, else fails AccessDenied.
     *
     * @param bucket null for the service (ListBuckets)
     * @param key    null for the bucket itself
     */
    public Future<Void> check(S3Request req, String action, String bucket, String key) {
        Identity identity = req.auth().identity();
        if (identity != null && identity.unrestrictedRoot()) {
            return Future.succeededFuture();
        }
        List<PolicyDocument> identityPolicies = identityPolicies(identity);
        PolicyDocument session = sessionPolicy(identity);
        return bucketPolicy(req, bucket).compose(bucketPolicy -> {
            boolean needsTags = key != null && TAGGED_OBJECT_ACTIONS.contains(action.toLowerCase(Locale.ROOT))
                    && (bucketPolicy != null && bucketPolicy.testsExistingObjectTags()
                    || session != null && session.testsExistingObjectTags()
                    || identityPolicies.stream().anyMatch(PolicyDocument::testsExistingObjectTags));
            Future<Map<String, String>> tags = needsTags ? existingTags(req, bucket, key) : Future.succeededFuture(null);
            return tags.compose(existing -> {
                AccessRequest request = new AccessRequest(user(identity), action, AccessRequest.arn(bucket, key),
                        RequestConditions.of(req, existing));
                Decision d = decide(identity, request, identityPolicies, session, bucketPolicy);
                return d == Decision.ALLOW ? Future.succeededFuture() : Future.failedFuture(denied(request, d));
            });
        });
    }

    /** Which keys of {@code bucket} the request may do {@code action} on: for a request naming many (DeleteObjects). */
    public Future<Predicate<String>> keysAllowed(S3Request req, String action, String bucket) {
        Identity identity = req.auth().identity();
        if (identity != null && identity.unrestrictedRoot()) {
            return Future.succeededFuture(k -> true);
        }
        List<PolicyDocument> identityPolicies = identityPolicies(identity);
        PolicyDocument session = sessionPolicy(identity);
        return bucketPolicy(req, bucket).map(bucketPolicy -> {
            var context = RequestConditions.of(req, null);
            return key -> decide(identity, new AccessRequest(user(identity), action, AccessRequest.arn(bucket, key), context),
                    identityPolicies, session, bucketPolicy) == Decision.ALLOW;
        });
    }

    /**
     * True when an identity policy of the caller denies {@code action} on {@code resource}
     * explicitly: what MooseNG checks of STS actions, which any user may otherwise call.
     */
    public boolean explicitlyDenied(S3Request req, String action, String resource) {
        Identity identity = req.auth().identity();
        AccessRequest request = new AccessRequest(user(identity), action, resource, RequestConditions.of(req, null));
        return PolicyEvaluator.decide(request, identityPolicies(identity), null) == Decision.EXPLICIT_DENY;
    }

    /**
     * AWS's rule for sessions: a session policy only limits, so a request must be allowed both by
     * the user's policies (with the bucket's) and by the session policy, and a Deny in any wins.
     * A root session is limited by its session policy alone.
     */
    private static Decision decide(Identity identity, AccessRequest request, List<PolicyDocument> identityPolicies, PolicyDocument session,
                                   PolicyDocument bucketPolicy) {
        Decision d = identity != null && identity.root() ? Decision.ALLOW : PolicyEvaluator.decide(request, identityPolicies, bucketPolicy);
        if (session == null || d != Decision.ALLOW) {
            return d;
        }
        return PolicyEvaluator.decide(request, List.of(session), null);
    }

    /** The bucket's policy, or null when it has none or does not exist (its handler answers NoSuchBucket if allowed). */
    private Future<PolicyDocument> bucketPolicy(S3Request req, String bucket) {
        if (bucket == null) {
            return Future.succeededFuture(null);
        }
        return req.call(() -> objects.recentBucket(bucket)).map(b -> {
            String json = b.policy().accessPolicy();
            return json == null ? null : policies.bucketPolicy(json, bucket);
        }).recover(e -> MooseException.of(e).code() == ErrorCode.NO_SUCH_BUCKET ? Future.succeededFuture(null) : Future.failedFuture(e));
    }

    private PolicyDocument sessionPolicy(Identity identity) {
        String json = identity == null ? null : identity.sessionPolicy();
        return json == null ? null : policies.identityPolicy(json);
    }

    private List<PolicyDocument> identityPolicies(Identity identity) {
        return identity == null ? List.of() : identity.policies().stream().map(policies::identityPolicy).toList();
    }

    /** The object's tags; none when it does not exist. Other failures fail the decision: a Deny on tags must not be skipped. */
    private Future<Map<String, String>> existingTags(S3Request req, String bucket, String key) {
        return req.call(() -> objects.head(bucket, key)).map(o -> o.manifest().properties().tags())
                .recover(e -> MooseException.of(e).code() == ErrorCode.NO_SUCH_KEY ? Future.succeededFuture(Map.of()) : Future.failedFuture(e));
    }

    private static String user(Identity identity) {
        return identity == null ? null : identity.user();
    }

    private static RuntimeException denied(AccessRequest r, Decision d) {
        return S3Error.ACCESS_DENIED.exception((r.user() == null ? "Anonymous users are" : "User " + r.user() + " is")
                + " not authorized to perform " + r.action() + " on " + r.resource()
                + (d == Decision.EXPLICIT_DENY ? " (an explicit deny in a policy)" : " (no policy allows it)"));
    }
}
