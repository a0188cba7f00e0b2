package io.mooseng.s3.auth;

import java.util.List;
import java.util.Objects;

/**
 * Who signed a request: a user of the namespace, the key it used, and what it may do.
 *
 * @param root     the cluster's administrator: every action on every bucket, no policy consulted
 *                 (as an AWS account's root user)
 * @param policies the user's identity policies (IAM JSON documents); a user that is not root
 *                 and has none may do only what bucket policies grant it
 */
public record Identity(String user, String accessKey, boolean root, List<String> policies) {
    public Identity {
        Objects.requireNonNull(user, "user");
        Objects.requireNonNull(accessKey, "accessKey");
        policies = List.copyOf(policies);
    }

    /** The administrator holding one key pair (tests, tools). */
    public static Identity root(String accessKey) {
        return new Identity("admin", accessKey, true, List.of());
    }
}
