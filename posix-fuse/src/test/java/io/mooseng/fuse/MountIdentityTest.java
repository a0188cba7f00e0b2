package io.mooseng.fuse;

import io.mooseng.core.error.MooseException;
import io.mooseng.core.metadata.IdentityStore;
import io.mooseng.core.model.AccessKeyRecord;
import io.mooseng.core.model.IdentitySnapshot;
import io.mooseng.core.model.UserAccount;
import io.mooseng.fuse.kernel.Errno;
import io.mooseng.fuse.kernel.FuseException;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A mount's key: checked at start against its verifier, then followed as users and keys change. */
class MountIdentityTest {
    private static final String SECRET = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY";

    /** Users and keys held in memory, as the namespace answers them (only reading is needed here). */
    private static final class Identities implements IdentityStore {
        final AtomicReference<IdentitySnapshot> current = new AtomicReference<>();

        void set(List<UserAccount> users, List<AccessKeyRecord> keys) {
            long version = current.get() == null ? 1 : current.get().version() + 1;
            current.set(new IdentitySnapshot(version, true, new byte[0], users, keys));
        }

        @Override
        public CompletableFuture<IdentitySnapshot> identities(long knownVersion) {
            IdentitySnapshot s = current.get();
            return CompletableFuture.completedFuture(s.version() == knownVersion ? IdentitySnapshot.unchanged(knownVersion) : s);
        }

        @Override
        public CompletableFuture<IdentitySnapshot> bootstrapIdentity(byte[] clusterKey, UserAccount admin, AccessKeyRecord adminKey) {
            throw new UnsupportedOperationException();
        }

        @Override
        public CompletableFuture<UserAccount> putUser(UserAccount user, boolean create) {
            throw new UnsupportedOperationException();
        }

        @Override
        public CompletableFuture<Boolean> removeUser(String name) {
            throw new UnsupportedOperationException();
        }

        @Override
        public CompletableFuture<AccessKeyRecord> addAccessKey(AccessKeyRecord key) {
            throw new UnsupportedOperationException();
        }

        @Override
        public CompletableFuture<Boolean> setAccessKeyEnabled(String accessKey, boolean enabled) {
            throw new UnsupportedOperationException();
        }

        @Override
        public CompletableFuture<Boolean> revokeAccessKey(String accessKey) {
            throw new UnsupportedOperationException();
        }

        @Override
        public CompletableFuture<Boolean> resealAccessKey(String accessKey, byte[] expectedSealed, byte[] sealed) {
            throw new UnsupportedOperationException();
        }

        @Override
        public CompletableFuture<Boolean> registerClusterKey(byte[] expected, byte[] clusterKey) {
            throw new UnsupportedOperationException();
        }
    }

    private static final UserAccount ALICE = new UserAccount("alice", true, false,
            List.of("{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Action\":\"s3:GetObject\",\"Resource\":\"*\"}]}"), 1);
    private static final AccessKeyRecord KEY = AccessKeyRecord.create("AKIAALICE", "alice", new byte[] {1}, SECRET, 1, 0);

    @Test
    void aKeyThatCannotMountIsRefusedWithTheReason() {
        Identities store = new Identities();
        AccessKeyRecord older = new AccessKeyRecord("AKIAOLDER", "alice", new byte[] {1}, 1, 0, null);
        AccessKeyRecord expired = AccessKeyRecord.create("AKIAEXPIRED", "alice", new byte[] {1}, SECRET, 1, 2);
        store.set(List.of(ALICE, new UserAccount("bob", false, false, List.of(), 1)),
                List.of(KEY, older, expired, AccessKeyRecord.create("AKIABOB", "bob", new byte[] {1}, SECRET, 1, 0)));
        assertRefused(store, new MountKey("AKIAALICE", SECRET + "x"), "the secret key does not match");
        assertRefused(store, new MountKey("AKIANONE", SECRET), "no access key AKIANONE");
        assertRefused(store, new MountKey("AKIAOLDER", SECRET), "admin key create --user alice");
        assertRefused(store, new MountKey("AKIAEXPIRED", SECRET), "has expired");
        assertRefused(store, new MountKey("AKIABOB", SECRET), "user bob is disabled");
    }

    private static void assertRefused(IdentityStore store, MountKey key, String why) {
        MooseException e = assertThrows(MooseException.class, () -> MountIdentity.open(store, key, true, () -> 10).close());
        assertTrue(e.getMessage().contains(why), e.getMessage());
    }

    @Test
    void aRevokedKeyADisabledUserAndNewPoliciesTakeEffectWithinAPoll() throws Exception {
        Identities store = new Identities();
        store.set(List.of(ALICE), List.of(KEY));
        AtomicLong now = new AtomicLong(10);
        try (MountIdentity identity = MountIdentity.open(store, new MountKey("AKIAALICE", SECRET), false, now::get)) {
            assertNull(identity.standing().refusal());
            assertEquals(1, identity.standing().policies().size());

            store.set(List.of(ALICE.withPolicies(List.of())), List.of(KEY));
            awaitStanding(identity, s -> s.refusal() == null && s.policies().isEmpty());
            store.set(List.of(ALICE.withEnabled(false)), List.of(KEY));
            awaitStanding(identity, s -> "user alice is disabled".equals(s.refusal()));
            store.set(List.of(ALICE), List.of(KEY));
            awaitStanding(identity, s -> s.refusal() == null);
            store.set(List.of(ALICE), List.of());
            awaitStanding(identity, s -> "access key AKIAALICE was revoked".equals(s.refusal()));
        }
    }

    @Test
    void aRootUserMayDoEverythingAndARefusedKeyNothing() throws Exception {
        Identities store = new Identities();
        UserAccount ops = new UserAccount("ops", true, true, List.of(), 1);
        AccessKeyRecord opsKey = AccessKeyRecord.create("AKIAOPS", "ops", new byte[] {1}, SECRET, 1, 0);
        store.set(List.of(ops), List.of(opsKey));
        try (MountIdentity identity = MountIdentity.open(store, new MountKey("AKIAOPS", SECRET), false, () -> 10)) {
            // neither a root user nor a refused key needs a bucket's policy: no data path here
            PolicyAccess access = new PolicyAccess(identity, null);
            FusePath file = FusePath.parse("/any/file", null);
            access.check(MountActions.remove(file, false));
            access.check(MountActions.list(FusePath.parse("/", null)));
            store.set(List.of(ops.withEnabled(false)), List.of(opsKey));
            awaitStanding(identity, s -> s.refusal() != null);
            FuseException e = assertThrows(FuseException.class, () -> access.check(MountActions.none()));
            assertEquals(Errno.EACCES, e.errno());
            assertEquals("user ops is disabled", e.getMessage());
        }
    }

    private static void awaitStanding(MountIdentity identity, java.util.function.Predicate<MountIdentity.Standing> expected) throws Exception {
        long deadline = System.nanoTime() + 5_000_000_000L;
        while (!expected.test(identity.standing())) {
            assertTrue(System.nanoTime() < deadline, "standing still " + identity.standing());
            Thread.sleep(50);
        }
    }
}
