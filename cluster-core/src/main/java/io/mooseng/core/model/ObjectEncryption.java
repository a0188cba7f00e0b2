package io.mooseng.core.model;

import java.util.Arrays;
import java.util.Objects;

/**
 * How an object's stored bytes are encrypted: a data key of its own, kept here only wrapped.
 * The content is cut into chunks of {@code io.mooseng.core.crypto.ChunkedAead#CHUNK} bytes, each
 * sealed with AES-256-GCM under that key; the manifest's size and ranges stay the plaintext's.
 *
 * @param mode           who can unwrap the data key
 * @param salt           16 random bytes naming this object's encryption: the nonce prefix and the
 *                       associated data of every chunk, and the context the data key is wrapped under
 * @param wrappedKey     the data key sealed to the cluster key ({@link Mode#SSE_S3}) or wrapped by the
 *                       customer's key ({@link Mode#SSE_C})
 * @param customerKeyMd5 for SSE-C, base64 of the MD5 of the customer's key (never the key), else null
 */
public record ObjectEncryption(Mode mode, byte[] salt, byte[] wrappedKey, String customerKeyMd5) {
    public enum Mode {
        /** The data key is sealed to the cluster key, which gateways hold. */
        SSE_S3,
        /** The data key is wrapped by a key the client sends with every request. */
        SSE_C
    }

    public ObjectEncryption {
        Objects.requireNonNull(mode, "mode");
        if (salt.length != 16) {
            throw new IllegalArgumentException("salt must be 16 bytes");
        }
    }

    /**
     * True when {@code a} and {@code b} are the same data key (both null: plaintext), whatever
     * it is wrapped with now: a rotation of the cluster key re-wraps an upload's key after its
     * parts recorded the earlier wrapping.
     */
    public static boolean sameKey(ObjectEncryption a, ObjectEncryption b) {
        return a == null || b == null ? a == b
                : a.mode == b.mode && Arrays.equals(a.salt, b.salt) && Objects.equals(a.customerKeyMd5, b.customerKeyMd5);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ObjectEncryption e && mode == e.mode && Arrays.equals(salt, e.salt)
                && Arrays.equals(wrappedKey, e.wrappedKey) && Objects.equals(customerKeyMd5, e.customerKeyMd5);
    }

    @Override
    public int hashCode() {
        return Objects.hash(mode, Arrays.hashCode(salt), Arrays.hashCode(wrappedKey), customerKeyMd5);
    }

    @Override
    public String toString() {
        return "ObjectEncryption[" + mode + "]";
    }
}
