package io.mooseng.core.model;

import io.mooseng.core.error.ErrorCode;
import io.mooseng.core.error.MooseException;

import java.util.Objects;
import java.util.regex.Pattern;

/**
 * An S3 access key of a user. The secret is stored sealed to the cluster key (see
 * {@code io.mooseng.core.security.SecretBox}): the namespace, its log and its snapshots never
 * hold it in clear; gateways, which hold the cluster key, open it.
 *
 * @param expiresMillis when the key stops working, or 0 for never
 */
public record AccessKeyRecord(String accessKey, String user, byte[] sealedSecret, long createdMillis, long expiresMillis) {
    private static final Pattern KEY = Pattern.compile("[A-Za-z0-9_.@+=-]{3,128}");

    public AccessKeyRecord {
        Objects.requireNonNull(accessKey, "accessKey");
        Objects.requireNonNull(user, "user");
        Objects.requireNonNull(sealedSecret, "sealedSecret");
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
