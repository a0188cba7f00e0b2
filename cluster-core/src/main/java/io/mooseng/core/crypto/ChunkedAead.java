package io.mooseng.core.crypto;

import io.mooseng.core.error.ErrorCode;
import io.mooseng.core.error.MooseException;

import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import java.nio.ByteBuffer;
import java.security.GeneralSecurityException;

/**
 * An object's content as AES-256-GCM chunks: {@link #CHUNK} bytes of plaintext each (the last
 * shorter), stored as ciphertext followed by its 16-byte tag. The nonce is the salt's first
 * four bytes and the chunk's index; the associated data is the whole salt and the index, so a
 * chunk moved within the object, or into another object, fails authentication. A range of
 * plaintext maps to whole stored chunks ({@link ChunkLayout}), so a ranged read decrypts only
 * the chunks it touches.
 *
 * <p>Not thread-safe: one per reader or writer.
 */
public final class ChunkedAead {
    /** Plaintext bytes per chunk. */
    public static final int CHUNK = 64 << 10;
    public static final int TAG = 16;
    /** Stored bytes of a full chunk. */
    public static final int STORED_CHUNK = CHUNK + TAG;

    private final SecretKeySpec key;
    private final byte[] salt;
    private final Cipher cipher;

    public ChunkedAead(byte[] dataKey, byte[] salt) {
        if (dataKey.length != 32 || salt.length != 16) {
            throw new IllegalArgumentException("a 256-bit key and a 16-byte salt");
        }
        this.key = new SecretKeySpec(dataKey, "AES");
        this.salt = salt.clone();
        try {
            this.cipher = Cipher.getInstance("AES/GCM/NoPadding");
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM unavailable", e);
        }
    }

    /** Stored bytes of {@code plainSize} bytes of plaintext: the plaintext and a tag per chunk. */
    public static long storedLength(long plainSize) {
        return plainSize + (plainSize + CHUNK - 1) / CHUNK * TAG;
    }

    /** Chunk {@code index} sealed: ciphertext and tag. */
    public byte[] seal(long index, byte[] plain, int offset, int length) {
        try {
            init(Cipher.ENCRYPT_MODE, index);
            return cipher.doFinal(plain, offset, length);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("sealing a chunk failed", e);
        }
    }

    /**
     * Chunk {@code index} opened.
     *
     * @throws MooseException SHARD_CORRUPT when it fails authentication (altered, moved, or another key)
     */
    public byte[] open(long index, byte[] stored, int offset, int length) {
        try {
            init(Cipher.DECRYPT_MODE, index);
            return cipher.doFinal(stored, offset, length);
        } catch (GeneralSecurityException e) {
            throw new MooseException(ErrorCode.SHARD_CORRUPT, "encrypted chunk " + index + " failed authentication");
        }
    }

    private void init(int mode, long index) throws GeneralSecurityException {
        byte[] nonce = ByteBuffer.allocate(12).put(salt, 0, 4).putLong(index).array();
        cipher.init(mode, key, new GCMParameterSpec(TAG * 8, nonce));
        cipher.updateAAD(ByteBuffer.allocate(salt.length + 8).put(salt).putLong(index).array());
    }
}
