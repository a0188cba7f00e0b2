package io.mooseng.metadata.store;

import io.mooseng.core.error.ErrorCode;
import io.mooseng.core.error.MooseException;
import io.mooseng.core.model.AccessKeyRecord;
import io.mooseng.core.model.RemoteApplied;
import io.mooseng.core.model.SyncEntry;
import io.mooseng.core.model.SyncEntry.Kind;
import io.mooseng.core.model.UserAccount;
import io.mooseng.core.model.ZoneStamp;
import io.mooseng.metadata.codec.ModelCodec;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * Users and access keys as a zone's sync log carries them: every change made here is logged in
 * its write batch (while the cluster is a zone), and a peer's change is applied last-writer-wins
 * by stamp, like a bucket's settings. A key's payload holds its secret sealed to the cluster key
 * of the zone that logged it; a peer's key arrives resealed to this zone's (see {@link #applyRemote}).
 * Stamps: 'U' + name, 'K' + key id in the stamps table, kept after a removal as its tombstone.
 */
final class ReplicatedIdentities {
    private static final char USER = 'U';
    private static final char KEY = 'K';

    private final Identities identities;
    private final SyncJournal journal;

    ReplicatedIdentities(Identities identities, SyncJournal journal) {
        this.identities = identities;
        this.journal = journal;
    }

    UserAccount putUser(UserAccount user, boolean create) {
        UserAccount stored = identities.putUser(user, create);
        logUser(stored);
        return stored;
    }

    boolean removeUser(String name) {
        ZoneStamp replaced = journal.zoned() ? userStamp(name) : null;
        if (!identities.removeUser(name)) {
            return false;
        }
        if (replaced != null) {
            ZoneStamp stamp = stampAfter(replaced);
            journal.setIdentityStamp(USER, name, stamp, true);
            journal.append(Kind.DELETE_USER, "", name, stamp, 0, "", new byte[0]);
        }
        return true;
    }

    AccessKeyRecord addKey(AccessKeyRecord key) {
        AccessKeyRecord stored = identities.addKey(key);
        logKey(stored);
        return stored;
    }

    boolean setKeyEnabled(String accessKey, boolean enabled) {
        AccessKeyRecord stored = identities.setKeyEnabled(accessKey, enabled);
        if (stored == null) {
            return false;
        }
        logKey(stored);
        return true;
    }

    boolean revokeKey(String accessKey) {
        ZoneStamp replaced = journal.zoned() ? keyStamp(accessKey) : null;
        if (!identities.revokeKey(accessKey)) {
            return false;
        }
        if (replaced != null) {
            ZoneStamp stamp = stampAfter(replaced);
            journal.setIdentityStamp(KEY, accessKey, stamp, true);
            journal.append(Kind.DELETE_ACCESS_KEY, "", accessKey, stamp, 0, "", new byte[0]);
        }
        return true;
    }

    private void logUser(UserAccount user) {
        if (journal.zoned()) {
            ZoneStamp stamp = stampAfter(userStamp(user.name()));
            journal.setIdentityStamp(USER, user.name(), stamp, false);
            journal.append(Kind.USER, "", user.name(), stamp, 0, "", NamespaceSchema.encode(ModelCodec.USER, user));
        }
    }

    private void logKey(AccessKeyRecord key) {
        if (journal.zoned()) {
            ZoneStamp stamp = stampAfter(keyStamp(key.accessKey()));
            journal.setIdentityStamp(KEY, key.accessKey(), stamp, false);
            journal.append(Kind.ACCESS_KEY, "", key.accessKey(), stamp, 0, "", NamespaceSchema.encode(ModelCodec.ACCESS_KEY, key));
        }
    }

    /** After the stamp of what the change replaces, even an unzoned one (an identity made before the zonegroup). */
    private ZoneStamp stampAfter(ZoneStamp replaced) {
        journal.observe(replaced);
        return journal.stamp(0);
    }

    /** The stamp a user's change must beat: its last logged change's, or for a user from before the zonegroup its creation time. */
    private ZoneStamp userStamp(String name) {
        return journal.identityStamp(USER, name).map(SyncJournal.ChangeStamp::stamp).orElseGet(() -> {
            UserAccount u = identities.user(name);
            return u == null ? ZoneStamp.NONE : ZoneStamp.unzoned(u.createdMillis());
        });
    }

    private ZoneStamp keyStamp(String accessKey) {
        return journal.identityStamp(KEY, accessKey).map(SyncJournal.ChangeStamp::stamp).orElseGet(() -> {
            AccessKeyRecord k = identities.key(accessKey);
            return k == null ? ZoneStamp.NONE : ZoneStamp.unzoned(k.createdMillis());
        });
    }

    /**
     * Applies a peer's identity change if its stamp beats this zone's (see {@link Namespace#applyRemote}).
     *
     * @param sealedHere a key's secret sealed to this zone's cluster key by the agent that fetched it; null: the change
     *                   came without its secret, which is fine only when this zone holds the key with the same secret
     *                   (a key enabled or disabled), checked by its verifier
     * @return the outcome, and the payload to log here (a key's, with this zone's sealed secret)
     */
    Optional<byte[]> applyRemote(SyncEntry entry, byte[] sealedHere) {
        String name = entry.key();
        switch (entry.kind()) {
            case USER -> {
                if (!entry.stamp().after(userStamp(name))) {
                    return Optional.empty();
                }
                identities.storeUser(NamespaceSchema.decode(ModelCodec.USER, entry.payload()));
                journal.setIdentityStamp(USER, name, entry.stamp(), false);
                return Optional.of(entry.payload());
            }
            case DELETE_USER -> {
                if (!entry.stamp().after(userStamp(name))) {
                    return Optional.empty();
                }
                identities.removeUser(name);
                journal.setIdentityStamp(USER, name, entry.stamp(), true);
                return Optional.of(entry.payload());
            }
            case ACCESS_KEY -> {
                if (!entry.stamp().after(keyStamp(name))) {
                    return Optional.empty();
                }
                AccessKeyRecord remote = NamespaceSchema.decode(ModelCodec.ACCESS_KEY, entry.payload());
                if (identities.user(remote.user()) == null && userStamp(remote.user()).after(entry.stamp())) {
                    return Optional.empty(); // its user was removed after it: the key went with the user
                }
                if (identities.user(remote.user()) == null) {
                    throw new MooseException(ErrorCode.INVALID_ARGUMENT, "access key " + name + " belongs to user " + remote.user()
                            + ", who is not in this zone (yet)");
                }
                AccessKeyRecord here = remote.withSealedSecret(sealedHere != null ? sealedHere : sameSecretHere(remote));
                byte[] payload = NamespaceSchema.encode(ModelCodec.ACCESS_KEY, here);
                identities.storeKey(here);
                journal.setIdentityStamp(KEY, name, entry.stamp(), false);
                return Optional.of(payload);
            }
            case DELETE_ACCESS_KEY -> {
                if (!entry.stamp().after(keyStamp(name))) {
                    return Optional.empty();
                }
                identities.revokeKey(name);
                journal.setIdentityStamp(KEY, name, entry.stamp(), true);
                return Optional.of(entry.payload());
            }
            default -> throw new IllegalArgumentException("not an identity change: " + entry.kind());
        }
    }

    /** This zone's sealed secret of the key, when it holds the key with the secret of {@code remote} (same verifier). */
    private byte[] sameSecretHere(AccessKeyRecord remote) {
        AccessKeyRecord local = identities.key(remote.accessKey());
        if (local == null || remote.verifier() == null || !Arrays.equals(local.verifier(), remote.verifier())) {
            throw new MooseException(ErrorCode.INVALID_ARGUMENT, "access key " + remote.accessKey() + " came without its secret, "
                    + "and this zone does not hold it with the same one");
        }
        return local.sealedSecret();
    }

    /** Every user and key with its stamp, then removed ones' tombstones: users before their keys. */
    List<SyncEntry> listing() {
        List<SyncEntry> out = new ArrayList<>();
        for (UserAccount u : identities.users()) {
            out.add(journal.listed(Kind.USER, "", u.name(), userStamp(u.name()), 0, "", false, NamespaceSchema.encode(ModelCodec.USER, u)));
        }
        for (AccessKeyRecord k : identities.keys()) {
            out.add(journal.listed(Kind.ACCESS_KEY, "", k.accessKey(), keyStamp(k.accessKey()), 0, "", false,
                    NamespaceSchema.encode(ModelCodec.ACCESS_KEY, k)));
        }
        out.addAll(journal.identityTombstones(KEY, Kind.DELETE_ACCESS_KEY));
        out.addAll(journal.identityTombstones(USER, Kind.DELETE_USER));
        return out;
    }
}
