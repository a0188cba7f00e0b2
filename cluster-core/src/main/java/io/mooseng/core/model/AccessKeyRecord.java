package io.mooseng.core.model;

import io.mooseng.core.error.ErrorCode;
import io.mooseng.core.error.MooseException;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * An S3 access key of a user. The secret is stored sealed to the cluster key (see
 * {@code io.mooseng.core.security.SecretBox}): the namespace, its log and its snapshots never
 * hold it in clear; gateways, which hold the cluster key, open it. A mount, which must not hold
 * the cluster key, checks a secret against the key's {@link #verifier} instead.
 *
 * @param expiresMillis when the key stops working, or 0 for never
 * @param verifier      {@link #verifierOf} the key's secret, or null for a key made before verifiers (unusable by a mount)
 * @param enabled       false: the key is kept but refused until enabled again
 */
public record AccessKeyRecord(String accessKey, String user, byte[] sealedSecret, long createdMillis, long expiresMillis, byte[] verifier,
                              boolean enabled) {
    private static final Pattern KEY = Pattern.compile("[A-Za-z0-9_.@+=-]{3,128}");
    private static final String VERIFIER_LABEL = "mooseng access key verifier\0";

    public AccessKeyRecord {
        Objects.requireNonNull(accessKey, "accessKey");
        Objects.requireNonNull(user, "user");
        Objects.requireNonNull(sealedSecret, "sealedSecret");
    }

    public AccessKeyRecord(String accessKey, String user, byte[] sealedSecret, long createdMillis, long expiresMillis, byte[] verifier) {
        this(accessKey, user, sealedSecret, createdMillis, expiresMillis, verifier, true);
    }

    /** A new key: its secret sealed to the cluster key, its verifier computed from the secret. */
    public static AccessKeyRecord create(String accessKey, String user, byte[] sealedSecret, String secretKey, long createdMillis,
                                         long expiresMillis) {
        return new AccessKeyRecord(accessKey, user, sealedSecret, createdMillis, expiresMillis, verifierOf(accessKey, secretKey));
    }

    /**
     * SHA-256 over a fixed label, the key id and the secret. A plain digest (no salt, no slow
     * hash) is safe here because secrets are random and long (40 characters of a 64-character
     * alphabet: 240 bits), far beyond any search, however fast each guess.
     * The key id and label keep one secret's verifier from matching under another key.
     */
    public static byte[] verifierOf(String accessKey, String secretKey) {
        try {
            return MessageDigest.getInstance("SHA-256")
                    .digest((VERIFIER_LABEL + accessKey + "\0" + secretKey).getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JVM has SHA-256", e);
        }
    }

    /** What a sealed secret is bound to: its key id (a sealed secret copied to another key does not open). */
    public static byte[] sealContext(String accessKey) {
        return ("mooseng access key " + accessKey).getBytes(StandardCharsets.UTF_8);
    }

    /** The same key with its secret sealed anew (a rotation of the cluster key): the verifier stays, the secret is the same. */
    public AccessKeyRecord withSealedSecret(byte[] sealed) {
        return new AccessKeyRecord(accessKey, user, sealed, createdMillis, expiresMillis, verifier, enabled);
    }

    public AccessKeyRecord withEnabled(boolean on) {
        return new AccessKeyRecord(accessKey, user, sealedSecret, createdMillis, expiresMillis, verifier, on);
    }

    /** Whether {@code secretKey} is this key's secret (constant time); false for a key without a verifier. */
    public boolean verifies(String secretKey) {
        return verifier != null && MessageDigest.isEqual(verifier, verifierOf(accessKey, secretKey));
    }

    public boolean expired(long nowMillis) {
        return expiresMillis != 0 && nowMillis >= expiresMillis;
    }

    /** @throws MooseException INVALID_ARGUMENT for a key id that would not survive a Credential header (no '/', ':' or spaces) */
    public AccessKeyRecord validated() {
        if (!KEY.matcher(accessKey).matches()) {
            throw new MooseException(ErrorCode.INVALID_ARGUMENT, "invalid access key id '" + accessKey + "': 3-128 of A-Z a-z 0-9 _ . @ + = -");
        }
        return this;
    }
}
