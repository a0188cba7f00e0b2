package io.mooseng.s3.auth;

import java.util.Objects;

/**
 * The access keys the gateway accepts. Contract: thread-safe, cheap (called once per request
 * on the event loop, so no I/O).
 */
@FunctionalInterface
public interface Credentials {

    /** The secret key of {@code accessKey}, or null when the key is unknown. */
    String secretKey(String accessKey);

    /** A store holding a single key pair. */
    static Credentials single(String accessKey, String secretKey) {
        Objects.requireNonNull(accessKey, "accessKey");
        Objects.requireNonNull(secretKey, "secretKey");
        return key -> accessKey.equals(key) ? secretKey : null;
    }
}
