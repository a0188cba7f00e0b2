package io.mooseng.core.policy;

import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Whom a bucket policy statement is about: everyone ({@code "*"} or {@code {"AWS": "*"}},
 * anonymous callers included), or named users, each as its name or as
 * {@code arn:aws:iam::<any account>:user/[path/]NAME}; {@code arn:aws:iam::<any account>:root}
 * names the administrator. With {@code NotPrincipal} the statement is about everyone else.
 *
 * @param users    user names; {@link #ROOT} for the administrator
 * @param everyone the statement names {@code "*"}
 * @param negated  written as NotPrincipal
 */
record Principals(Set<String> users, boolean everyone, boolean negated) {
    /** Stands for the administrator among user names; no user name has a colon. */
    static final String ROOT = ":root";

    private static final Pattern USER_NAME = Pattern.compile("[A-Za-z0-9+=,.@_-]{1,64}");
    private static final Pattern USER_ARN = Pattern.compile("arn:aws:iam::[^:]*:user/(?:[^:]*/)?([^/:]+)");
    private static final Pattern ROOT_ARN = Pattern.compile("arn:aws:iam::[^:]*:root");

    Principals {
        users = Set.copyOf(users);
    }

    /**
     * @param names the {@code AWS} values, or {@code "*"} alone
     * @throws IllegalArgumentException for a name in none of the accepted forms
     */
    static Principals of(List<String> names, boolean negated) {
        if (names.contains("*")) {
            return new Principals(Set.of(), true, negated);
        }
        Set<String> users = new java.util.HashSet<>();
        for (String name : names) {
            Matcher arn = USER_ARN.matcher(name);
            if (arn.matches() && USER_NAME.matcher(arn.group(1)).matches()) {
                users.add(arn.group(1));
            } else if (ROOT_ARN.matcher(name).matches()) {
                users.add(ROOT);
            } else if (USER_NAME.matcher(name).matches()) {
                users.add(name);
            } else {
                throw new IllegalArgumentException("Invalid principal in policy: '" + name
                        + "' (a user name, arn:aws:iam::<account>:user/NAME, arn:aws:iam::<account>:root or *)");
            }
        }
        return new Principals(users, false, negated);
    }

    /** @param caller the user, {@link #ROOT} for the administrator, null for an anonymous caller */
    boolean matches(String caller) {
        boolean named = everyone || (caller != null && users.contains(caller));
        return negated != named;
    }
}
