package io.mooseng.s3.auth;

import java.util.Objects;
import java.util.concurrent.CompletableFuture;

/**
 * The access keys the gateway accepts. Contract: thread-safe; {@link #key} is cheap (called
 * once per request on the event loop, so no I/O); a store that may not hold a key yet loads it
 * in {@link #load}, which the gateway awaits before authenticating a request with an unknown key.
 */
public interface Credentials {

    /** A usable key: its secret and who it belongs to. */
    record Key(String secretKey, Identity identity) {
        public Key {
            Objects.requireNonNull(secretKey, "secretKey");
            Objects.requireNonNull(identity, "identity");
        }
    }

    /** The key, or null when it is unknown, disabled, revoked or expired. */
    Key key(String accessKey);

    /** Makes {@link #key} answer for {@code accessKey} if the store has it; completes when it is known either way. */
    default CompletableFuture<Void> load(String accessKey) {
        return CompletableFuture.completedFuture(null);
    }

    /** True when {@link #key} may answer null for a key that {@link #load} would find. */
    default boolean mayMiss(String accessKey) {
        return false;
    }

    /** A store holding a single key pair, the administrator's. */
    static Credentials single(String accessKey, String secretKey) {
        Key key = new Key(Objects.requireNonNull(secretKey, "secretKey"), Identity.root(Objects.requireNonNull(accessKey, "accessKey")));
        return k -> accessKey.equals(k) ? key : null;
    }
}
