package io.mooseng.core.policy;

import io.mooseng.core.error.MooseException;

import java.util.List;

/**
 * A validated IAM policy: a bucket policy (each statement names its principals) or an
 * identity policy (about the user it is attached to). Immutable and thread-safe.
 */
public final class PolicyDocument {
    private final List<Statement> statements;
    private final boolean variables;

    PolicyDocument(List<Statement> statements, boolean variables) {
        this.statements = List.copyOf(statements);
        this.variables = variables;
    }

    /**
     * A bucket policy for {@code bucket}: every statement needs Principal or NotPrincipal, and its
     * resources must be the bucket or objects in it.
     *
     * @throws MooseException MALFORMED_POLICY saying what is wrong
     */
    public static PolicyDocument bucketPolicy(String json, String bucket) {
        return new PolicyParser(bucket).parse(json);
    }

    /**
     * An identity policy: no statement may name principals.
     *
     * @throws MooseException MALFORMED_POLICY saying what is wrong
     */
    public static PolicyDocument identityPolicy(String json) {
        return new PolicyParser(null).parse(json);
    }

    /** This policy's own verdict: EXPLICIT_DENY if a Deny applies, else ALLOW if an Allow does. */
    PolicyEvaluator.Decision decide(AccessRequest request) {
        boolean allowed = false;
        for (Statement s : statements) {
            if (s.applies(request, variables)) {
                if (!s.allow()) {
                    return PolicyEvaluator.Decision.EXPLICIT_DENY;
                }
                allowed = true;
            }
        }
        return allowed ? PolicyEvaluator.Decision.ALLOW : PolicyEvaluator.Decision.IMPLICIT_DENY;
    }

    /** S3's policy status: some statement allows everyone something, and no condition narrows it to some callers. */
    public boolean isPublic() {
        return statements.stream().anyMatch(Statement::grantsPublicAccess);
    }

    /** True when a condition tests the tags of the object already stored, which must then be read before deciding. */
    public boolean testsExistingObjectTags() {
        return statements.stream().flatMap(s -> s.conditions().stream())
                .anyMatch(c -> c.key().startsWith(ConditionKeys.EXISTING_OBJECT_TAG));
    }
}
