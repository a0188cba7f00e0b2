package io.mooseng.s3.auth;

import java.util.List;
import java.util.Objects;

/**
 * Who signed a request: a user of the namespace, the key it used, and what it may do.
 *
 * @param root     the cluster's administrator: every action on every bucket, no policy consulted
 *                 (as an AWS account's root user), unless a session policy limits the session
 * @param policies the user's identity policies (IAM JSON documents); a user that is not root
 *                 and has none may do only what bucket policies grant it
 * @param session  for temporary credentials (STS), the session they belong to; null for a long-term key
 */
public record Identity(String user, String accessKey, boolean root, List<String> policies, Session session) {
    public Identity {
        Objects.requireNonNull(user, "user");
        Objects.requireNonNull(accessKey, "accessKey");
        policies = List.copyOf(policies);
    }

    /**
     * A session of temporary credentials.
     *
     * @param name   the RoleSessionName it was asked for with
     * @param policy the session policy (IAM JSON) that further limits the user's rights, or null
     */
    public record Session(String name, String policy) {
    }

    /** The administrator holding one key pair (tests, tools). */
    public static Identity root(String accessKey) {
        return new Identity("admin", accessKey, true, List.of(), null);
    }

    /** A long-term key of a user. */
    public static Identity of(String user, String accessKey, boolean root, List<String> policies) {
        return new Identity(user, accessKey, root, policies, null);
    }

    /** This user acting through temporary credentials {@code temporaryKey}. */
    public Identity inSession(String temporaryKey, Session s) {
        return new Identity(user, temporaryKey, root, policies, s);
    }

    /** Root with nothing limiting it: may do anything, MooseNG's internal routes included. */
    public boolean unrestrictedRoot() {
        return root && (session == null || session.policy() == null);
    }

    /** The session policy limiting this identity, or null. */
    public String sessionPolicy() {
        return session == null ? null : session.policy();
    }
}
