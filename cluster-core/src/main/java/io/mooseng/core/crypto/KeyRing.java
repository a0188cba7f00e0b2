package io.mooseng.core.crypto;

import io.mooseng.core.error.ErrorCode;
import io.mooseng.core.error.MooseException;
import io.mooseng.core.model.ObjectEncryption;
import io.mooseng.core.model.ObjectEncryption.Mode;
import io.mooseng.core.security.ClusterKeys;
import io.mooseng.core.security.SecretBox;

import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.MessageDigest;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Optional;

/**
 * Makes and unwraps objects' data keys. SSE-S3 keys are sealed to the cluster key with
 * {@link SecretBox} (so a namespace backup holds none in clear, and rotating the cluster key
 * re-seals keys without touching data); SSE-C keys are wrapped with AES-256-GCM under the
 * customer's key. Either way the wrap's context is the object's salt, so a wrapped key copied
 * into another manifest does not open there.
 *
 * <p>Thread-safe. Only gateways have one: the mount holds no cluster key.
 */
public final class KeyRing {
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final byte[] SSE_S3_CONTEXT = "mooseng sse-s3 v1 ".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] SSE_C_CONTEXT = "mooseng sse-c v1 ".getBytes(StandardCharsets.US_ASCII);

    private final ClusterKeys clusterKeys;

    public KeyRing(KeyPair clusterKey) {
        this(ClusterKeys.of(clusterKey));
    }

    /** Over a gateway's pairs: during a rotation the old and the new one (see {@link ClusterKeys}). */
    public KeyRing(ClusterKeys clusterKeys) {
        this.clusterKeys = clusterKeys;
    }

    /** A fresh data key for an SSE-S3 object, sealed to the cluster key the namespace registers. */
    public DataKey newServerKey() {
        return newServerKey(clusterKeys.sealingKey());
    }

    /**
     * Cluster key rotation: {@code e} (SSE-S3) with its data key sealed to {@code to} instead of
     * {@code from}, same salt and context; empty when it is sealed to {@code to} already. The
     * content, encrypted under the data key, stays as it is.
     *
     * @throws GeneralSecurityException when neither pair opens the wrapped key
     */
    public static Optional<ObjectEncryption> reseal(ObjectEncryption e, KeyPair from, KeyPair to) throws GeneralSecurityException {
        if (e.mode() != Mode.SSE_S3) {
            throw new IllegalArgumentException("only SSE-S3 data keys are sealed to the cluster key");
        }
        return SecretBox.reseal(e.wrappedKey(), context(SSE_S3_CONTEXT, e.salt()), from, to)
                .map(wrapped -> new ObjectEncryption(e.mode(), e.salt(), wrapped, e.customerKeyMd5()));
    }

    /**
     * A fresh SSE-S3 data key sealed to {@code clusterPublic}: writing needs only the public half
     * (which the namespace publishes), so a process without the private key, such as a master's
     * sync agent, can still store encrypted content.
     */
    public static DataKey newServerKey(PublicKey clusterPublic) {
        byte[] key = random(32);
        byte[] salt = random(16);
        byte[] sealed = SecretBox.seal(clusterPublic, key, context(SSE_S3_CONTEXT, salt));
        return new DataKey(key, new ObjectEncryption(Mode.SSE_S3, salt, sealed, null));
    }

    /** A fresh data key for an SSE-C object, wrapped by the customer's key. */
    public static DataKey newCustomerKey(CustomerKey customer) {
        byte[] key = random(32);
        byte[] salt = random(16);
        byte[] nonce = random(12);
        try {
            Cipher c = Cipher.getInstance("AES/GCM/NoPadding");
            c.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(customer.key(), "AES"), new GCMParameterSpec(128, nonce));
            c.updateAAD(context(SSE_C_CONTEXT, salt));
            byte[] wrapped = ByteBuffer.allocate(12 + 32 + 16).put(nonce).put(c.doFinal(key)).array();
            return new DataKey(key, new ObjectEncryption(Mode.SSE_C, salt, wrapped, customer.md5()));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("wrapping a data key failed", e);
        }
    }

    /**
     * The data key of an object encrypted as {@code e}.
     *
     * @param customer the client's key for an SSE-C object, else null
     * @throws MooseException ENCRYPTION_KEY_REQUIRED for SSE-C without a key, WRONG_ENCRYPTION_KEY with another
     *                        key, SHARD_CORRUPT when the wrapped key opens with none of the cluster key pairs held
     */
    public DataKey open(ObjectEncryption e, CustomerKey customer) {
        return switch (e.mode()) {
            case SSE_S3 -> {
                try {
                    yield new DataKey(clusterKeys.open(e.wrappedKey(), context(SSE_S3_CONTEXT, e.salt())), e);
                } catch (GeneralSecurityException x) {
                    throw new MooseException(ErrorCode.SHARD_CORRUPT, "the object's data key does not open with this gateway's cluster keys");
                }
            }
            case SSE_C -> openCustomer(e, customer);
        };
    }

    private static DataKey openCustomer(ObjectEncryption e, CustomerKey customer) {
        if (customer == null) {
            throw new MooseException(ErrorCode.ENCRYPTION_KEY_REQUIRED, "The object was stored using a form of Server Side Encryption."
                    + " The correct parameters must be provided to retrieve the object.");
        }
        if (!MessageDigest.isEqual(customer.md5().getBytes(StandardCharsets.US_ASCII),
                e.customerKeyMd5().getBytes(StandardCharsets.US_ASCII))) {
            throw new MooseException(ErrorCode.WRONG_ENCRYPTION_KEY, "The provided customer key is not the object's.");
        }
        byte[] w = e.wrappedKey();
        try {
            Cipher c = Cipher.getInstance("AES/GCM/NoPadding");
            c.init(Cipher.DECRYPT_MODE, new SecretKeySpec(customer.key(), "AES"), new GCMParameterSpec(128, w, 0, 12));
            c.updateAAD(context(SSE_C_CONTEXT, e.salt()));
            return new DataKey(c.doFinal(w, 12, w.length - 12), e);
        } catch (GeneralSecurityException x) {
            throw new MooseException(ErrorCode.WRONG_ENCRYPTION_KEY, "The provided customer key is not the object's.");
        }
    }

    private static byte[] context(byte[] label, byte[] salt) {
        byte[] out = Arrays.copyOf(label, label.length + salt.length);
        System.arraycopy(salt, 0, out, label.length, salt.length);
        return out;
    }

    private static byte[] random(int n) {
        byte[] b = new byte[n];
        RANDOM.nextBytes(b);
        return b;
    }
}
