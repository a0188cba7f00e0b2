package io.mooseng.s3.auth;

import io.mooseng.core.security.ClusterKeys;
import io.mooseng.s3.error.S3Error;

import javax.crypto.Cipher;
import javax.crypto.KDF;
import javax.crypto.SecretKey;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.HKDFParameterSpec;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Base64;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;

/**
 * Temporary credentials (STS AssumeRole): a key id, a secret and a session token that holds
 * both, sealed. The token carries everything a gateway needs to check a request signed with
 * the temporary key (the secret, the user and the long-term key it was issued to, the expiry,
 * the session policy), encrypted and authenticated with AES-256-GCM under a key derived from the
 * cluster key, which every gateway holds: no gateway stores or asks the namespace for a session,
 * and any gateway accepts one another issued. A session lives only as long as the long-term key
 * it came from: revoking that key, or disabling its user, ends its sessions at once.
 *
 * <p>Thread-safe. Tokens are sealed under the key of the pair the namespace registers and open
 * under any pair the gateway holds, so they survive a rotation while the old pair is kept
 * beside the new one, and stop when it is removed (they last at most {@link #MAX_DURATION_SECONDS}).
 */
public final class SessionTokens {
    public static final int MIN_DURATION_SECONDS = 900;
    public static final int MAX_DURATION_SECONDS = 43_200;
    public static final int DEFAULT_DURATION_SECONDS = 3_600;
    /** AWS's limit on a session policy's plain text. */
    public static final int MAX_POLICY_CHARS = 2_048;
    /** Temporary key ids start like AWS's, so tools that tell them apart keep doing so. */
    static final String KEY_PREFIX = "ASIA";
    private static final byte VERSION = 1;
    private static final byte[] AAD = "mooseng sts session v1".getBytes(StandardCharsets.US_ASCII);
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final char[] KEY_CHARS = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567".toCharArray();

    /**
     * What a token holds.
     *
     * @param parentAccessKey the long-term key that asked for the session
     * @param name            the RoleSessionName
     * @param policy          the session policy (IAM JSON), or null for the user's own rights
     */
    public record Session(String accessKey, String secretKey, String user, String parentAccessKey, String name, long expiresMillis,
                          String policy) {
        @Override
        public String toString() {
            return "Session[" + accessKey + " of " + user + "]";
        }
    }

    private final ClusterKeys clusterKeys;
    private final LongSupplier clock;
    /** Token keys by the pair they come from (pairs change only with a rotation). */
    private final Map<KeyPair, SecretKey> derived = new ConcurrentHashMap<>();

    public SessionTokens(ClusterKeys clusterKeys, LongSupplier clock) {
        this.clusterKeys = clusterKeys;
        this.clock = clock;
    }

    /** A new session {@code name} for {@code user}'s key {@code parentAccessKey}, lasting {@code seconds}. */
    public Issued issue(String user, String parentAccessKey, String name, int seconds, String policy) {
        Session s = new Session(KEY_PREFIX + random(16), Base64.getEncoder().withoutPadding().encodeToString(bytes(30)), user,
                parentAccessKey, name, clock.getAsLong() + seconds * 1000L, policy);
        return new Issued(s, seal(s));
    }

    /** A session and its token (URL-safe base64, no padding). */
    public record Issued(Session session, String token) {
    }

    /**
     * The session a request's token holds, checked against the key id the request was signed with.
     *
     * @throws io.mooseng.s3.error.S3Exception InvalidToken when the token does not open (tampered, another
     *                                         cluster key, not ours) or names another key; ExpiredToken past its expiry
     */
    public Session open(String token, String accessKey) {
        Session s = null;
        try {
            byte[] sealed = Base64.getUrlDecoder().decode(token.trim());
            for (KeyPair pair : clusterKeys.pairs()) {
                try {
                    s = unseal(sealed, key(pair));
                    break;
                } catch (GeneralSecurityException e) {
                    // another pair's, or not ours at all
                }
            }
        } catch (IllegalArgumentException | IOException e) {
            throw S3Error.INVALID_TOKEN.exception();
        }
        if (s == null) {
            throw S3Error.INVALID_TOKEN.exception();
        }
        if (!s.accessKey().equals(accessKey)) {
            throw S3Error.INVALID_TOKEN.exception("The security token was not issued for this access key.");
        }
        if (clock.getAsLong() >= s.expiresMillis()) {
            throw S3Error.EXPIRED_TOKEN.exception();
        }
        return s;
    }

    private String seal(Session s) {
        try {
            ByteArrayOutputStream plain = new ByteArrayOutputStream(256);
            DataOutputStream out = new DataOutputStream(plain);
            out.writeUTF(s.accessKey());
            out.writeUTF(s.secretKey());
            out.writeUTF(s.user());
            out.writeUTF(s.parentAccessKey());
            out.writeUTF(s.name());
            out.writeLong(s.expiresMillis());
            out.writeBoolean(s.policy() != null);
            if (s.policy() != null) {
                out.writeUTF(s.policy());
            }
            byte[] nonce = bytes(12);
            Cipher c = Cipher.getInstance("AES/GCM/NoPadding");
            c.init(Cipher.ENCRYPT_MODE, key(sealingPair()), new GCMParameterSpec(128, nonce));
            c.updateAAD(AAD);
            byte[] sealed = c.doFinal(plain.toByteArray());
            byte[] token = new byte[1 + 12 + sealed.length];
            token[0] = VERSION;
            System.arraycopy(nonce, 0, token, 1, 12);
            System.arraycopy(sealed, 0, token, 13, sealed.length);
            return Base64.getUrlEncoder().withoutPadding().encodeToString(token);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("sealing a session token failed", e);
        }
    }

    private Session unseal(byte[] token, SecretKey key) throws GeneralSecurityException, IOException {
        if (token.length < 1 + 12 + 16 || token[0] != VERSION) {
            throw new GeneralSecurityException("not a session token of this version");
        }
        Cipher c = Cipher.getInstance("AES/GCM/NoPadding");
        c.init(Cipher.DECRYPT_MODE, key, new GCMParameterSpec(128, token, 1, 12));
        c.updateAAD(AAD);
        DataInputStream in = new DataInputStream(new ByteArrayInputStream(c.doFinal(token, 13, token.length - 13)));
        return new Session(in.readUTF(), in.readUTF(), in.readUTF(), in.readUTF(), in.readUTF(), in.readLong(), in.readBoolean() ? in.readUTF() : null);
    }

    /** The pair whose public key the namespace registers (every gateway holds it), else the current one. */
    private KeyPair sealingPair() {
        byte[] registered = clusterKeys.sealingKey().getEncoded();
        return clusterKeys.pairs().stream().filter(p -> Arrays.equals(p.getPublic().getEncoded(), registered)).findFirst()
                .orElse(clusterKeys.current());
    }

    private SecretKey key(KeyPair pair) {
        if (derived.size() > 8) {
            derived.clear(); // pairs of past rotations
        }
        return derived.computeIfAbsent(pair, SessionTokens::deriveKey);
    }

    /** The token key: HKDF of the cluster key's private half, so holding the cluster key is what lets a gateway issue and check. */
    private static SecretKey deriveKey(KeyPair clusterKey) {
        try {
            return KDF.getInstance("HKDF-SHA256").deriveKey("AES", HKDFParameterSpec.ofExtract()
                    .addIKM(clusterKey.getPrivate().getEncoded()).thenExpand(AAD, 32));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("deriving the session token key failed", e);
        }
    }

    private static String random(int chars) {
        byte[] b = bytes(chars);
        char[] out = new char[chars];
        for (int i = 0; i < chars; i++) {
            out[i] = KEY_CHARS[b[i] & 31];
        }
        return new String(out);
    }

    private static byte[] bytes(int n) {
        byte[] b = new byte[n];
        RANDOM.nextBytes(b);
        return b;
    }
}
