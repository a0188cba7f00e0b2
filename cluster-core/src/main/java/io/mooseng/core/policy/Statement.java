package io.mooseng.core.policy;

import java.util.List;

/**
 * One statement of a policy.
 *
 * @param principals whom it is about; null in an identity policy (about its user)
 * @param actions    action patterns, matched ignoring case; with {@code notAction}, every other action
 * @param resources  ARN patterns, matched with case; with {@code notResource}, every other resource
 * @param conditions all must hold
 */
record Statement(String sid, boolean allow, Principals principals, List<String> actions, boolean notAction,
                 List<String> resources, boolean notResource, List<Condition> conditions) {
    Statement {
        actions = List.copyOf(actions);
        resources = List.copyOf(resources);
        conditions = List.copyOf(conditions);
    }

    /** @param variables the document replaces policy variables (Version 2012-10-17) */
    boolean applies(AccessRequest request, boolean variables) {
        if (principals != null && !principals.matches(request.user())) {
            return false;
        }
        boolean action = actions.stream().anyMatch(a -> Wildcard.matches(a, request.action(), true));
        if (action == notAction) {
            return false;
        }
        boolean resource = resources.stream().anyMatch(r -> {
            String pattern = variables ? PolicyVariables.resolve(r, request.context()) : r;
            return pattern != null && Wildcard.matches(pattern, request.resource(), false);
        });
        if (resource == notResource) {
            return false;
        }
        return conditions.stream().allMatch(c -> c.holds(request.context(), variables));
    }

    /** Grants to everyone, anonymous callers included, with no condition narrowing who. */
    boolean grantsPublicAccess() {
        return allow && principals != null && (principals.everyone() || principals.negated())
                && conditions.stream().noneMatch(Condition::restrictsPrincipals);
    }
}
