package io.mooseng.core.policy;

import java.util.List;
import java.util.Set;

/**
 * One key's test in a statement's Condition block, e.g. {@code "StringLike": {"s3:prefix": ["home/*"]}}.
 *
 * @param qualifier how a key with several request values is tested
 * @param ifExists  {@code ...IfExists}: holds when the request lacks the key
 * @param key       normalized ({@link ConditionKeys#normalize})
 * @param values    the policy's values, any of which may match
 */
record Condition(ConditionOperator operator, Qualifier qualifier, boolean ifExists, String key, List<String> values) {
    enum Qualifier { SINGLE, FOR_ANY_VALUE, FOR_ALL_VALUES }

    private static final String FOR_ANY = "ForAnyValue:";
    private static final String FOR_ALL = "ForAllValues:";
    private static final String IF_EXISTS = "IfExists";
    /** Keys a condition fixing their value makes a grant to everyone non-public (as S3's policy status judges). */
    private static final Set<String> RESTRICTING_KEYS = Set.of(ConditionKeys.SOURCE_IP, ConditionKeys.USERID, ConditionKeys.USERNAME);

    Condition {
        values = List.copyOf(values);
    }

    /**
     * @param name the operator as written, qualifiers included
     * @throws IllegalArgumentException saying what is wrong
     */
    static Condition parse(String name, String key, List<String> values, boolean variables) {
        Qualifier qualifier = name.startsWith(FOR_ANY) ? Qualifier.FOR_ANY_VALUE : name.startsWith(FOR_ALL) ? Qualifier.FOR_ALL_VALUES
                : Qualifier.SINGLE;
        String base = qualifier == Qualifier.SINGLE ? name : name.substring(name.indexOf(':') + 1);
        boolean ifExists = base.endsWith(IF_EXISTS) && !base.equals("Null" + IF_EXISTS);
        ConditionOperator operator = ConditionOperator.named(ifExists ? base.substring(0, base.length() - IF_EXISTS.length()) : base);
        if (operator == null || (operator == ConditionOperator.NULL && qualifier != Qualifier.SINGLE)) {
            throw new IllegalArgumentException("Invalid Condition type : " + name);
        }
        String normalized = ConditionKeys.normalize(key);
        if (!ConditionKeys.supported(normalized)) {
            throw new IllegalArgumentException("Policy has an invalid condition key: " + key);
        }
        if (values.isEmpty()) {
            throw new IllegalArgumentException("Condition " + name + " on " + key + " has no values");
        }
        for (String v : values) {
            operator.validate(v);
            if (variables && operator.takesVariables()) {
                PolicyVariables.validate(v);
            }
        }
        return new Condition(operator, qualifier, ifExists, normalized, values);
    }

    /** @param variables the document replaces policy variables (Version 2012-10-17) */
    boolean holds(RequestContext context, boolean variables) {
        List<String> present = context.values(key);
        if (operator == ConditionOperator.NULL) {
            return values.stream().anyMatch(v -> Boolean.parseBoolean(v.toLowerCase(java.util.Locale.ROOT)) == (present == null));
        }
        if (present == null || present.isEmpty()) {
            // IAM: a missing key fails a test, passes a negated one; a set test of all values passes on none
            return ifExists || switch (qualifier) {
                case SINGLE -> operator.negated();
                case FOR_ANY_VALUE -> false;
                case FOR_ALL_VALUES -> true;
            };
        }
        List<String> policyValues = variables && operator.takesVariables()
                ? values.stream().map(v -> PolicyVariables.resolve(v, context)).filter(java.util.Objects::nonNull).toList() : values;
        return switch (qualifier) {
            case SINGLE -> operator.negated() ? present.stream().allMatch(r -> holdsFor(r, policyValues))
                    : present.stream().anyMatch(r -> holdsFor(r, policyValues));
            case FOR_ANY_VALUE -> present.stream().anyMatch(r -> holdsFor(r, policyValues));
            case FOR_ALL_VALUES -> present.stream().allMatch(r -> holdsFor(r, policyValues));
        };
    }

    /** One request value against the policy's values: matches any, or for a negated operator none. */
    private boolean holdsFor(String requestValue, List<String> policyValues) {
        boolean any = policyValues.stream().anyMatch(p -> operator.matches(requestValue, p));
        return operator.negated() != any;
    }

    /** True when the condition narrows who can use a grant to everyone: it fixes the caller's address or name. */
    boolean restrictsPrincipals() {
        if (!RESTRICTING_KEYS.contains(key) || operator.negated() || ifExists || qualifier == Qualifier.FOR_ALL_VALUES
                || operator == ConditionOperator.NULL) {
            return false;
        }
        return values.stream().noneMatch(v -> v.contains("*") || v.endsWith("/0"));
    }
}
