package io.mooseng.core.model;

import io.mooseng.core.error.ErrorCode;
import io.mooseng.core.error.MooseException;

import java.util.List;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * A user of the cluster, kept in the namespace: its S3 keys ({@link AccessKeyRecord}) act as it.
 *
 * @param root     the administrator: every action, no policy consulted
 * @param policies identity policies (IAM JSON documents) for a user that is not root
 */
public record UserAccount(String name, boolean enabled, boolean root, List<String> policies, long createdMillis) {
    /** IAM's rule for user names. */
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9+=,.@_-]{1,64}");
    public static final int MAX_POLICY_BYTES = 20 * 1024;

    public UserAccount {
        Objects.requireNonNull(name, "name");
        policies = List.copyOf(policies);
    }

    /** @throws MooseException INVALID_ARGUMENT for a name IAM would refuse or an oversized policy */
    public UserAccount validated() {
        if (!NAME.matcher(name).matches()) {
            throw new MooseException(ErrorCode.INVALID_ARGUMENT,
                    "invalid user name '" + name + "': 1-64 of A-Z a-z 0-9 + = , . @ _ -");
        }
        int bytes = policies.stream().mapToInt(p -> p.getBytes(java.nio.charset.StandardCharsets.UTF_8).length).sum();
        if (bytes > MAX_POLICY_BYTES) {
            throw new MooseException(ErrorCode.INVALID_ARGUMENT, "the policies of a user are limited to " + MAX_POLICY_BYTES + " bytes");
        }
        return this;
    }

    public UserAccount withEnabled(boolean on) {
        return new UserAccount(name, on, root, policies, createdMillis);
    }

    public UserAccount withPolicies(List<String> documents) {
        return new UserAccount(name, enabled, root, documents, createdMillis);
    }
}
