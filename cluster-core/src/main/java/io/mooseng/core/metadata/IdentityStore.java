package io.mooseng.core.metadata;

import io.mooseng.core.model.AccessKeyRecord;
import io.mooseng.core.model.IdentitySnapshot;
import io.mooseng.core.model.UserAccount;

import java.util.concurrent.CompletableFuture;

/** Users and their access keys, kept in the namespace so every gateway sees one set. */
public interface IdentityStore {

    /** All users and keys, or just the version when it is still {@code knownVersion} (-1: always all). */
    CompletableFuture<IdentitySnapshot> identities(long knownVersion);

    /**
     * A gateway's first start: registers {@code clusterKey} unless one is registered already,
     * and creates the administrator and its key unless users were ever created. Answers all
     * users and keys, with the registered cluster key (which the caller checks it holds).
     */
    CompletableFuture<IdentitySnapshot> bootstrapIdentity(byte[] clusterKey, UserAccount admin, AccessKeyRecord adminKey);

    /** Creates a user ({@code create}: fails ALREADY_EXISTS if it exists) or replaces one (fails INVALID_ARGUMENT if missing). */
    CompletableFuture<UserAccount> putUser(UserAccount user, boolean create);

    /** Removes a user and its keys; false when there was none. */
    CompletableFuture<Boolean> removeUser(String name);

    /** Adds a key to an existing user; fails ALREADY_EXISTS for a key id in use. */
    CompletableFuture<AccessKeyRecord> addAccessKey(AccessKeyRecord key);

    /** Disables a key (kept, refused until enabled) or enables it again; false when there is no such key. */
    CompletableFuture<Boolean> setAccessKeyEnabled(String accessKey, boolean enabled);

    /** Deletes a key; false when there was none. */
    CompletableFuture<Boolean> revokeAccessKey(String accessKey);

    /**
     * Cluster key rotation: replaces a key's sealed secret if it still is {@code expectedSealed}.
     *
     * @return false when the key was revoked or its secret changed meanwhile
     */
    CompletableFuture<Boolean> resealAccessKey(String accessKey, byte[] expectedSealed, byte[] sealed);

    /**
     * Cluster key rotation: registers {@code clusterKey} (X.509) in place of {@code expected}.
     *
     * @return false when {@code clusterKey} is registered already; fails CONCURRENT_CHANGE when the registered key is neither
     */
    CompletableFuture<Boolean> registerClusterKey(byte[] expected, byte[] clusterKey);
}
