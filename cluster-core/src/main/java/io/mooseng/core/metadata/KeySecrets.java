package io.mooseng.core.metadata;

import io.mooseng.core.error.ErrorCode;
import io.mooseng.core.error.MooseException;
import io.mooseng.core.model.AccessKeyRecord;
import io.mooseng.core.model.IdentitySnapshot;
import io.mooseng.core.security.ClusterKeys;
import io.mooseng.core.security.SecretBox;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Secrets of this cluster's own access keys, for a process that signs requests with one
 * instead of checking them: a zone's sync agent signs its pulls from peer zones with the
 * zonegroup's sync key. The secret exists only sealed in the namespace (the key's record) and
 * in clear in memory here, opened with the cluster key this process holds. Each call asks the
 * namespace whether keys changed (a version compare); an unchanged sealed secret is not opened again.
 */
public final class KeySecrets {
    private static final long TIMEOUT_SECONDS = 30;

    private final IdentityStore store;
    /** Null when this process holds no cluster key: every call then says where to install one. */
    private final ClusterKeys clusterKeys;
    private final String missingKeyHint;
    private long version = -1;
    private Map<String, AccessKeyRecord> keys = Map.of();
    /** The public cluster key the namespace registers (X.509; empty before a gateway's first start). */
    private byte[] registeredKey = new byte[0];
    private final Map<String, Opened> opened = new HashMap<>();

    private record Opened(byte[] sealed, String secret) {
    }

    private KeySecrets(IdentityStore store, ClusterKeys clusterKeys, String missingKeyHint) {
        this.store = store;
        this.clusterKeys = clusterKeys;
        this.missingKeyHint = missingKeyHint;
    }

    public static KeySecrets of(IdentityStore store, ClusterKeys clusterKeys) {
        return new KeySecrets(store, clusterKeys, null);
    }

    /** For a process without the cluster key: {@link #secretOf} fails with {@code hint} (where to install it). */
    public static KeySecrets withoutClusterKey(IdentityStore store, String hint) {
        return new KeySecrets(store, null, hint);
    }

    /**
     * The secret of {@code accessKey}, a key of this cluster.
     *
     * @throws MooseException INVALID_ARGUMENT when the cluster has no such key; PERMISSION_DENIED
     *                        when this process holds no cluster key or none that opens it
     */
    public synchronized String secretOf(String accessKey) {
        if (clusterKeys == null) {
            throw new MooseException(ErrorCode.PERMISSION_DENIED, "the secret of access key " + accessKey
                    + " is sealed to the cluster key, which this process does not hold: " + missingKeyHint);
        }
        refresh();
        AccessKeyRecord k = keys.get(accessKey);
        if (k == null) {
            throw new MooseException(ErrorCode.INVALID_ARGUMENT, "access key " + accessKey + " is not a key of this cluster"
                    + " (create it with `mooseng admin key create --user NAME --access-key " + accessKey + " --secret-key-file FILE`)");
        }
        Opened o = opened.get(accessKey);
        if (o != null && Arrays.equals(o.sealed, k.sealedSecret())) {
            return o.secret;
        }
        try {
            String secret = new String(clusterKeys.open(k.sealedSecret(), AccessKeyRecord.sealContext(accessKey)), StandardCharsets.UTF_8);
            opened.put(accessKey, new Opened(k.sealedSecret(), secret));
            return secret;
        } catch (GeneralSecurityException e) {
            throw new MooseException(ErrorCode.PERMISSION_DENIED, "the secret of access key " + accessKey
                    + " does not open with this process's cluster key: install the cluster's cluster.key (see README, Security)");
        }
    }

    /**
     * Seals a secret of key {@code accessKey} (a peer zone's key arriving through sync) to the
     * cluster key this cluster registers, as its gateways store secrets: no private key needed.
     *
     * @throws MooseException INVALID_ARGUMENT when no cluster key is registered yet (no gateway started) or it is not one
     */
    public synchronized byte[] seal(String accessKey, String secret) {
        refresh();
        if (registeredKey.length == 0) {
            throw new MooseException(ErrorCode.INVALID_ARGUMENT, "access key " + accessKey
                    + " cannot be stored: this cluster registers no cluster key yet (start a gateway first)");
        }
        try {
            return SecretBox.seal(SecretBox.publicKey(registeredKey), secret.getBytes(StandardCharsets.UTF_8),
                    AccessKeyRecord.sealContext(accessKey));
        } catch (GeneralSecurityException e) {
            throw new MooseException(ErrorCode.INVALID_ARGUMENT, "the registered cluster key is not an X25519 public key: " + e.getMessage());
        }
    }

    private void refresh() {
        IdentitySnapshot s;
        try {
            s = store.identities(version).get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new MooseException(ErrorCode.METADATA_UNAVAILABLE, "interrupted while reading access keys");
        } catch (Exception e) {
            throw MooseException.of(e);
        }
        if (s.changed()) {
            Map<String, AccessKeyRecord> byId = new HashMap<>();
            s.keys().forEach(k -> byId.put(k.accessKey(), k));
            keys = byId;
            registeredKey = s.clusterKey();
            opened.keySet().retainAll(byId.keySet());
            version = s.version();
        }
    }
}
