package io.mooseng.core.policy;

import java.util.List;

/**
 * AWS's evaluation of the policies that apply to a request within one account: an explicit
 * Deny in any of them wins; otherwise an Allow in any of them (an identity policy of the
 * caller, or a statement of the bucket policy naming the caller or everyone) allows; otherwise
 * the request is implicitly denied. The administrator (root) is not evaluated: it may do anything.
 */
public final class PolicyEvaluator {
    public enum Decision { ALLOW, EXPLICIT_DENY, IMPLICIT_DENY }

    private PolicyEvaluator() {
    }

    /**
     * @param identityPolicies the caller's (none for an anonymous caller)
     * @param bucketPolicy     the addressed bucket's, or null
     */
    public static Decision decide(AccessRequest request, List<PolicyDocument> identityPolicies, PolicyDocument bucketPolicy) {
        boolean allowed = false;
        for (PolicyDocument policy : identityPolicies) {
            Decision d = policy.decide(request);
            if (d == Decision.EXPLICIT_DENY) {
                return d;
            }
            allowed |= d == Decision.ALLOW;
        }
        if (bucketPolicy != null) {
            Decision d = bucketPolicy.decide(request);
            if (d == Decision.EXPLICIT_DENY) {
                return d;
            }
            allowed |= d == Decision.ALLOW;
        }
        return allowed ? Decision.ALLOW : Decision.IMPLICIT_DENY;
    }
}
