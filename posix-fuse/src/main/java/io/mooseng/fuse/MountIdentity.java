package io.mooseng.fuse;

import io.mooseng.core.error.ErrorCode;
import io.mooseng.core.error.MooseException;
import io.mooseng.core.metadata.IdentityPoller;
import io.mooseng.core.metadata.IdentityStore;
import io.mooseng.core.model.AccessKeyRecord;
import io.mooseng.core.model.IdentitySnapshot;
import io.mooseng.core.model.UserAccount;
import io.mooseng.core.policy.ParsedPolicies;
import io.mooseng.core.policy.PolicyDocument;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

/**
 * The user a mount acts as, by an access key it was given: checked at start against the key's
 * verifier (a mount never holds the cluster key that opens sealed secrets), then followed as
 * the namespace's users and keys change: the mount asks every second whether they did (a
 * version compare, a few bytes when nothing changed), so a revoked key, a disabled or removed
 * user, or changed policies take effect within about a second. When the masters cannot be
 * reached, the last known standing holds. Contract: thread-safe.
 */
public final class MountIdentity implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(MountIdentity.class);
    private static final long READ_TIMEOUT_SECONDS = 30;

    /**
     * What the key may do now.
     *
     * @param refusal why every operation is refused (key revoked, user disabled), or null
     * @param expiresMillis when the key stops working, 0 for never
     */
    record Standing(String user, boolean root, List<PolicyDocument> policies, long expiresMillis, String refusal) {
    }

    private final IdentityStore store;
    private final ParsedPolicies policies = new ParsedPolicies();
    private final String accessKey;
    private final byte[] verifier;
    private final boolean secureTransport;
    private final LongSupplier clock;
    private volatile long version;
    private volatile Standing standing;
    private final IdentityPoller poller;

    private MountIdentity(IdentityStore store, AccessKeyRecord key, boolean secureTransport, LongSupplier clock, IdentitySnapshot first) {
        this.store = store;
        this.accessKey = key.accessKey();
        this.verifier = key.verifier();
        this.secureTransport = secureTransport;
        this.clock = clock;
        install(first);
        poller = new IdentityPoller("mount-identity-poll", this::pollOnce);
    }

    /**
     * Checks the key pair against the namespace and starts following it.
     *
     * @param secureTransport whether the mount reaches the cluster over TLS ({@code aws:SecureTransport})
     * @throws MooseException INVALID_ARGUMENT saying why the key cannot mount (unknown, wrong
     *                        secret, made before verifiers, expired, user disabled)
     */
    public static MountIdentity open(IdentityStore store, MountKey mountKey, boolean secureTransport, LongSupplier clock) throws Exception {
        String accessKey = mountKey.accessKey();
        IdentitySnapshot s = store.identities(-1).get(READ_TIMEOUT_SECONDS, TimeUnit.SECONDS);
        AccessKeyRecord key = s.keys().stream().filter(k -> k.accessKey().equals(accessKey)).findFirst()
                .orElseThrow(() -> refused("no access key " + accessKey + " in the cluster (see `mooseng admin key list`)"));
        if (key.verifier() == null) {
            throw refused("access key " + accessKey + " was created before mounts could check keys: create a new one with "
                    + "`mooseng admin key create --user " + key.user() + "` and mount with it");
        }
        if (!key.verifies(mountKey.secretKey())) {
            throw refused("the secret key does not match access key " + accessKey);
        }
        MountIdentity identity = new MountIdentity(store, key, secureTransport, clock, s);
        String refusal = identity.standing().refusal();
        if (refusal != null) {
            identity.close();
            throw refused(refusal);
        }
        LOG.info("mounting as user {} (access key {}){}", identity.standing.user(), accessKey, identity.standing.root() ? ", a root user" : "");
        return identity;
    }

    private static MooseException refused(String why) {
        return new MooseException(ErrorCode.INVALID_ARGUMENT, "cannot mount with this key: " + why);
    }

    /** What the key may do now (an expired key is refused from its expiry on). */
    Standing standing() {
        Standing s = standing;
        if (s.refusal() == null && s.expiresMillis() != 0 && clock.getAsLong() >= s.expiresMillis()) {
            return new Standing(s.user(), false, List.of(), s.expiresMillis(), "access key " + accessKey + " has expired");
        }
        return s;
    }

    boolean secureTransport() {
        return secureTransport;
    }

    private void install(IdentitySnapshot s) {
        version = s.version();
        AccessKeyRecord key = s.keys().stream().filter(k -> k.accessKey().equals(accessKey)).findFirst().orElse(null);
        UserAccount user = key == null ? null : s.users().stream().filter(u -> u.name().equals(key.user())).findFirst().orElse(null);
        Standing next;
        // a key of the same id with another secret is another key: the one this mount checked is gone
        if (key == null || !Arrays.equals(key.verifier(), verifier)) {
            next = refusedStanding(null, "access key " + accessKey + " was revoked");
        } else if (!key.enabled()) {
            next = refusedStanding(key.user(), "access key " + accessKey + " is disabled");
        } else if (user == null) {
            next = refusedStanding(key.user(), "user " + key.user() + " was removed");
        } else if (!user.enabled()) {
            next = refusedStanding(user.name(), "user " + user.name() + " is disabled");
        } else {
            next = new Standing(user.name(), user.root(), user.root() ? List.of() : user.policies().stream().map(policies::identityPolicy).toList(),
                    key.expiresMillis(), null);
        }
        Standing before = standing;
        standing = next;
        if (before != null && !Objects.equals(before.refusal(), next.refusal())) {
            LOG.warn(next.refusal() == null ? "access key {} works again" : "access key {}: every operation is refused now: {}",
                    accessKey, next.refusal());
        }
    }

    private static Standing refusedStanding(String user, String why) {
        return new Standing(user, false, List.of(), 0, why);
    }

    private Void pollOnce() throws Exception {
        IdentitySnapshot s = store.identities(version).get(READ_TIMEOUT_SECONDS, TimeUnit.SECONDS);
        if (s.changed()) {
            install(s);
        }
        return null;
    }

    @Override
    public void close() {
        poller.close();
    }
}
