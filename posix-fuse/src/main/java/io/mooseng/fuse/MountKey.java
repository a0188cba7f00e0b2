package io.mooseng.fuse;

import java.util.Objects;

/** The access key pair a mount acts with. Its text never shows the secret (logs, exceptions). */
public record MountKey(String accessKey, String secretKey) {
    public MountKey {
        Objects.requireNonNull(accessKey, "accessKey");
        Objects.requireNonNull(secretKey, "secretKey");
    }

    @Override
    public String toString() {
        return "MountKey[" + accessKey + "]";
    }
}
