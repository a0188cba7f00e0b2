package io.mooseng.core.model;

import java.util.List;

/**
 * The users and keys of the namespace as of one version (the log index of their last change),
 * or only that version when the asker already held it ({@code changed} false, lists empty).
 *
 * @param clusterKey the public half of the cluster key secrets are sealed to (X.509 encoded),
 *                   empty until a gateway first registers it
 */
public record IdentitySnapshot(long version, boolean changed, byte[] clusterKey, List<UserAccount> users, List<AccessKeyRecord> keys) {
    public IdentitySnapshot {
        users = List.copyOf(users);
        keys = List.copyOf(keys);
    }

    public static IdentitySnapshot unchanged(long version) {
        return new IdentitySnapshot(version, false, new byte[0], List.of(), List.of());
    }
}
