package io.mooseng.metadata.store;

import io.mooseng.core.error.ErrorCode;
import io.mooseng.core.error.MooseException;
import io.mooseng.core.model.AccessKeyRecord;
import io.mooseng.core.model.IdentitySnapshot;
import io.mooseng.core.model.UserAccount;
import io.mooseng.metadata.codec.BinaryReader;
import io.mooseng.metadata.codec.BinaryWriter;
import io.mooseng.metadata.codec.ModelCodec;
import io.mooseng.metadata.store.KvView.Cursor;
import io.mooseng.metadata.store.NamespaceSchema.Table;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Users and access keys in the META table, and a version that every change moves, so a
 * gateway holding the whole set asks only "changed since N?" (0: nothing stored yet). A
 * gateway's first start creates the administrator, once: a removed administrator stays removed.
 */
final class Identities {
    private final KvView kv;

    Identities(KvView kv) {
        this.kv = kv;
    }

    IdentitySnapshot snapshot(long knownVersion) {
        long version = version();
        if (knownVersion >= 0 && knownVersion == version) {
            return IdentitySnapshot.unchanged(version);
        }
        return new IdentitySnapshot(version, true, clusterKey(), scan(NamespaceSchema.userKey(""), ModelCodec.USER),
                scan(NamespaceSchema.accessKeyKey(""), ModelCodec.ACCESS_KEY));
    }

    IdentitySnapshot bootstrap(byte[] clusterKey, UserAccount admin, AccessKeyRecord adminKey) {
        if (clusterKey().length == 0 && clusterKey.length > 0) {
            kv.put(Table.META, NamespaceSchema.CLUSTER_KEY_KEY, new BinaryWriter().bytes(clusterKey).toByteArray());
            bump();
        }
        if (kv.get(Table.META, NamespaceSchema.IDENTITY_BOOTSTRAPPED_KEY) == null) {
            kv.put(Table.META, NamespaceSchema.IDENTITY_BOOTSTRAPPED_KEY, new byte[]{1});
            if (user(admin.name()) == null) {
                putUser(admin, true);
            }
            addKey(adminKey);
        }
        return snapshot(-1);
    }

    UserAccount putUser(UserAccount user, boolean create) {
        user.validated();
        UserAccount existing = user(user.name());
        if (create && existing != null) {
            throw new MooseException(ErrorCode.ALREADY_EXISTS, "user " + user.name() + " already exists");
        }
        if (!create && existing == null) {
            throw new MooseException(ErrorCode.INVALID_ARGUMENT, "no user " + user.name());
        }
        UserAccount stored = create ? user : new UserAccount(user.name(), user.enabled(), user.root(), user.policies(), existing.createdMillis());
        kv.put(Table.META, NamespaceSchema.userKey(user.name()), NamespaceSchema.encode(ModelCodec.USER, stored));
        bump();
        return stored;
    }

    boolean removeUser(String name) {
        if (user(name) == null) {
            return false;
        }
        for (AccessKeyRecord k : scan(NamespaceSchema.accessKeyKey(""), ModelCodec.ACCESS_KEY)) {
            if (k.user().equals(name)) {
                kv.delete(Table.META, NamespaceSchema.accessKeyKey(k.accessKey()));
            }
        }
        kv.delete(Table.META, NamespaceSchema.userKey(name));
        bump();
        return true;
    }

    AccessKeyRecord addKey(AccessKeyRecord key) {
        key.validated();
        if (user(key.user()) == null) {
            throw new MooseException(ErrorCode.INVALID_ARGUMENT, "no user " + key.user());
        }
        if (kv.get(Table.META, NamespaceSchema.accessKeyKey(key.accessKey())) != null) {
            throw new MooseException(ErrorCode.ALREADY_EXISTS, "access key " + key.accessKey() + " already exists");
        }
        kv.put(Table.META, NamespaceSchema.accessKeyKey(key.accessKey()), NamespaceSchema.encode(ModelCodec.ACCESS_KEY, key));
        bump();
        return key;
    }

    boolean revokeKey(String accessKey) {
        byte[] k = NamespaceSchema.accessKeyKey(accessKey);
        if (kv.get(Table.META, k) == null) {
            return false;
        }
        kv.delete(Table.META, k);
        bump();
        return true;
    }

    /** Disables or enables a key; the key as now stored, or null when there is none. */
    AccessKeyRecord setKeyEnabled(String accessKey, boolean enabled) {
        AccessKeyRecord current = key(accessKey);
        if (current == null) {
            return null;
        }
        AccessKeyRecord updated = current.withEnabled(enabled);
        storeKey(updated);
        return updated;
    }

    /** Stores a user as a peer zone has it (created or replaced). */
    void storeUser(UserAccount user) {
        kv.put(Table.META, NamespaceSchema.userKey(user.name()), NamespaceSchema.encode(ModelCodec.USER, user));
        bump();
    }

    /** Stores a key as a peer zone has it (created or replaced; its secret sealed to this cluster's key). */
    void storeKey(AccessKeyRecord key) {
        kv.put(Table.META, NamespaceSchema.accessKeyKey(key.accessKey()), NamespaceSchema.encode(ModelCodec.ACCESS_KEY, key));
        bump();
    }

    List<UserAccount> users() {
        return scan(NamespaceSchema.userKey(""), ModelCodec.USER);
    }

    List<AccessKeyRecord> keys() {
        return scan(NamespaceSchema.accessKeyKey(""), ModelCodec.ACCESS_KEY);
    }

    AccessKeyRecord key(String accessKey) {
        byte[] v = kv.get(Table.META, NamespaceSchema.accessKeyKey(accessKey));
        return v == null ? null : NamespaceSchema.decode(ModelCodec.ACCESS_KEY, v);
    }

    /** Replaces a key's sealed secret if it is still {@code expected}; false when the key is gone or holds another. */
    boolean resealKey(String accessKey, byte[] expected, byte[] sealed) {
        byte[] k = NamespaceSchema.accessKeyKey(accessKey);
        byte[] v = kv.get(Table.META, k);
        AccessKeyRecord current = v == null ? null : NamespaceSchema.decode(ModelCodec.ACCESS_KEY, v);
        if (current == null || !Arrays.equals(current.sealedSecret(), expected)) {
            return false;
        }
        kv.put(Table.META, k, NamespaceSchema.encode(ModelCodec.ACCESS_KEY,
                current.withSealedSecret(sealed)));
        bump();
        return true;
    }

    /**
     * Registers {@code clusterKey} in place of {@code expected} (a rotation); false when it is
     * registered already (a repeated rotation).
     *
     * @throws MooseException CONCURRENT_CHANGE when the registered key is neither
     */
    boolean registerClusterKey(byte[] expected, byte[] clusterKey) {
        byte[] current = clusterKey();
        if (Arrays.equals(current, clusterKey)) {
            return false;
        }
        if (!Arrays.equals(current, expected)) {
            throw new MooseException(ErrorCode.CONCURRENT_CHANGE, "the registered cluster key is neither the old one given nor the new one");
        }
        kv.put(Table.META, NamespaceSchema.CLUSTER_KEY_KEY, new BinaryWriter().bytes(clusterKey).toByteArray());
        bump();
        return true;
    }

    UserAccount user(String name) {
        byte[] v = kv.get(Table.META, NamespaceSchema.userKey(name));
        return v == null ? null : NamespaceSchema.decode(ModelCodec.USER, v);
    }

    private byte[] clusterKey() {
        byte[] v = kv.get(Table.META, NamespaceSchema.CLUSTER_KEY_KEY);
        return v == null ? new byte[0] : new BinaryReader(v).bytes();
    }

    private long version() {
        byte[] v = kv.get(Table.META, NamespaceSchema.IDENTITY_VERSION_KEY);
        return v == null ? 0 : new BinaryReader(v).varLong();
    }

    private void bump() {
        kv.put(Table.META, NamespaceSchema.IDENTITY_VERSION_KEY, new BinaryWriter().varLong(version() + 1).toByteArray());
    }

    private <T> List<T> scan(byte[] prefix, io.mooseng.metadata.codec.Codec<T> codec) {
        List<T> out = new ArrayList<>();
        try (Cursor c = kv.seekWithin(Table.META, prefix)) {
            for (; c.valid() && NamespaceSchema.startsWith(c.key(), prefix); c.next()) {
                out.add(NamespaceSchema.decode(codec, c.value()));
            }
        }
        return out;
    }
}
