package io.mooseng.core.security;

import javax.crypto.Cipher;
import javax.crypto.KDF;
import javax.crypto.KeyAgreement;
import javax.crypto.SecretKey;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.HKDFParameterSpec;
import java.nio.ByteBuffer;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.spec.X509EncodedKeySpec;
import java.util.Arrays;

/**
 * Seals small secrets to a public key so that only the private key's holder opens them:
 * an ephemeral X25519 agreement, HKDF-SHA256 over the shared secret and both public keys, and
 * AES-256-GCM with the caller's context as associated data (a sealed secret moved to another
 * record does not open). Sealed form: version (1), ephemeral public key length (u8) and bytes
 * (X.509), 12-byte nonce, ciphertext with its 16-byte tag.
 */
public final class SecretBox {
    private static final byte VERSION = 1;
    private static final String CURVE = "X25519";
    private static final byte[] INFO = "mooseng secret box v1".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
    private static final SecureRandom RANDOM = new SecureRandom();

    private SecretBox() {
    }

    public static KeyPair newKeyPair() {
        try {
            return KeyPairGenerator.getInstance(CURVE).generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("X25519 unavailable", e);
        }
    }

    public static PublicKey publicKey(byte[] x509) throws GeneralSecurityException {
        return KeyFactory.getInstance(CURVE).generatePublic(new X509EncodedKeySpec(x509));
    }

    public static byte[] seal(PublicKey recipient, byte[] plaintext, byte[] context) {
        try {
            KeyPair ephemeral = newKeyPair();
            byte[] epk = ephemeral.getPublic().getEncoded();
            byte[] nonce = new byte[12];
            RANDOM.nextBytes(nonce);
            Cipher c = Cipher.getInstance("AES/GCM/NoPadding");
            c.init(Cipher.ENCRYPT_MODE, key(ephemeral.getPrivate(), recipient, epk, recipient.getEncoded()), new GCMParameterSpec(128, nonce));
            c.updateAAD(context);
            byte[] ct = c.doFinal(plaintext);
            return ByteBuffer.allocate(2 + epk.length + nonce.length + ct.length).put(VERSION).put((byte) epk.length).put(epk)
                    .put(nonce).put(ct).array();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("sealing failed", e);
        }
    }

    /** @throws GeneralSecurityException when the box is malformed, for another key or another context */
    public static byte[] open(KeyPair recipient, byte[] sealed, byte[] context) throws GeneralSecurityException {
        if (sealed.length < 2 || sealed[0] != VERSION || sealed.length < 2 + (sealed[1] & 0xff) + 12 + 16) {
            throw new GeneralSecurityException("not a sealed secret of this version");
        }
        int n = sealed[1] & 0xff;
        byte[] epk = Arrays.copyOfRange(sealed, 2, 2 + n);
        Cipher c = Cipher.getInstance("AES/GCM/NoPadding");
        c.init(Cipher.DECRYPT_MODE, key(recipient.getPrivate(), publicKey(epk), epk, recipient.getPublic().getEncoded()),
                new GCMParameterSpec(128, sealed, 2 + n, 12));
        c.updateAAD(context);
        return c.doFinal(sealed, 2 + n + 12, sealed.length - 2 - n - 12);
    }

    /**
     * The box sealed again, same context, from {@code from}'s key to {@code to}'s (a cluster key
     * rotation), or empty when it is sealed to {@code to} already.
     *
     * @throws GeneralSecurityException when neither pair opens it
     */
    public static java.util.Optional<byte[]> reseal(byte[] sealed, byte[] context, KeyPair from, KeyPair to) throws GeneralSecurityException {
        try {
            open(to, sealed, context);
            return java.util.Optional.empty();
        } catch (GeneralSecurityException notYet) {
            return java.util.Optional.of(seal(to.getPublic(), open(from, sealed, context), context));
        }
    }

    private static SecretKey key(PrivateKey own, PublicKey other, byte[] ephemeralPublic, byte[] recipientPublic)
            throws GeneralSecurityException {
        KeyAgreement ka = KeyAgreement.getInstance(CURVE);
        ka.init(own);
        ka.doPhase(other, true);
        byte[] shared = ka.generateSecret();
        byte[] salt = ByteBuffer.allocate(ephemeralPublic.length + recipientPublic.length).put(ephemeralPublic).put(recipientPublic).array();
        return KDF.getInstance("HKDF-SHA256").deriveKey("AES",
                HKDFParameterSpec.ofExtract().addIKM(shared).addSalt(salt).thenExpand(INFO, 32));
    }
}
