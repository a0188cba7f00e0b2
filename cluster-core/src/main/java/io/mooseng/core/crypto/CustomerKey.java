package io.mooseng.core.crypto;

import io.mooseng.core.model.ETags;

import java.util.Base64;

/**
 * A client's own 256-bit key (SSE-C), as sent with one request. Only its MD5 is ever stored;
 * {@link #toString} shows the MD5, never the key.
 *
 * @param md5 base64 of the key's MD5, as the x-amz-server-side-encryption-customer-key-MD5 header carries it
 */
public record CustomerKey(byte[] key, String md5) {
    public CustomerKey {
        if (key.length != 32) {
            throw new IllegalArgumentException("customer keys are 256 bits");
        }
    }

    public static CustomerKey of(byte[] key) {
        return new CustomerKey(key.clone(), Base64.getEncoder().encodeToString(ETags.newMd5().digest(key)));
    }

    @Override
    public String toString() {
        return "CustomerKey[md5=" + md5 + "]";
    }
}
