package io.mooseng.core.crypto;

import io.mooseng.core.model.ObjectEncryption;

/**
 * An object's data key in clear, with the record the manifest keeps of it (the key wrapped).
 * Lives only as long as one request; never logged ({@link #toString} names the mode only).
 */
public record DataKey(byte[] key, ObjectEncryption record) {
    public DataKey {
        if (key.length != 32) {
            throw new IllegalArgumentException("data keys are 256 bits");
        }
    }

    ChunkedAead aead() {
        return new ChunkedAead(key, record.salt());
    }

    @Override
    public String toString() {
        return "DataKey[" + record.mode() + "]";
    }
}
