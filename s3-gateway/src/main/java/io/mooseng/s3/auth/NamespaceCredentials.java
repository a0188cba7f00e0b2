package io.mooseng.s3.auth;

import io.mooseng.core.error.ErrorCode;
import io.mooseng.core.error.MooseException;
import io.mooseng.core.metadata.IdentityPoller;
import io.mooseng.core.metadata.IdentityStore;
import io.mooseng.core.model.AccessKeyRecord;
import io.mooseng.core.model.IdentitySnapshot;
import io.mooseng.core.model.UserAccount;
import io.mooseng.core.security.ClusterKeys;
import io.mooseng.core.security.SecretBox;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.PublicKey;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

/**
 * The users and keys of the namespace, held whole in memory by each gateway: lookups are a map
 * read on the event loop. The gateway asks the metadata group every second whether they
 * changed (a version compare, answered from the leader's state), and at once when a request
 * names a key it does not hold (one such read at a time, shared by every request waiting; an
 * unchanged version answers in a few bytes, so a client spraying unknown keys costs little). So a new key works at once on every
 * gateway, and a revoked key, a removed or disabled user stops working within a second.
 * Secrets arrive sealed to the cluster key and are opened here ({@link SecretBox}) with the
 * gateway's pairs ({@link ClusterKeys}: during a rotation the old and the new), which also learn
 * here which public key the namespace registers.
 */
public final class NamespaceCredentials implements Credentials, AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(NamespaceCredentials.class);
    public static final String ADMIN_USER = "admin";

    private final IdentityStore store;
    private final ClusterKeys clusterKeys;
    private final LongSupplier clock;
    private volatile Table table = new Table(-1, Map.of());
    /** The key pairs the table was opened with: others (a key file installed) make the next reload open every secret again. */
    private volatile List<KeyPair> openedWith;
    /** Whether a reload runs, and the one callers since it started wait for; guarded by this. */
    private boolean running;
    private CompletableFuture<Void> next;
    private final IdentityPoller poller;

    /** One usable key (expiry is checked at each lookup) and the sealed form it was opened from. */
    private record Entry(Key key, long expiresMillis, byte[] sealed) {
    }

    private record Table(long version, Map<String, Entry> keys) {
    }

    private NamespaceCredentials(IdentityStore store, ClusterKeys clusterKeys, LongSupplier clock, IdentitySnapshot first) {
        this.store = store;
        this.clusterKeys = clusterKeys;
        this.clock = clock;
        install(first);
        poller = new IdentityPoller("identity-poll", () -> reload().get(30, TimeUnit.SECONDS));
    }

    /**
     * Registers the cluster key and the administrator's key pair on the cluster's first start
     * (no-ops afterwards), checks this gateway holds the registered cluster key, and loads all keys.
     *
     * @throws MooseException INVALID_ARGUMENT when the cluster's key is none of this gateway's pairs
     */
    public static NamespaceCredentials open(IdentityStore store, ClusterKeys clusterKeys, String adminAccessKey, String adminSecretKey,
                                            LongSupplier clock) throws Exception {
        long now = clock.getAsLong();
        KeyPair current = clusterKeys.current();
        AccessKeyRecord adminKey = AccessKeyRecord.create(adminAccessKey, ADMIN_USER, seal(current.getPublic(), adminAccessKey, adminSecretKey),
                adminSecretKey, now, 0);
        IdentitySnapshot s = store.bootstrapIdentity(current.getPublic().getEncoded(),
                new UserAccount(ADMIN_USER, true, true, java.util.List.of(), now), adminKey).get(60, TimeUnit.SECONDS);
        if (!clusterKeys.holds(s.clusterKey())) {
            throw new MooseException(ErrorCode.INVALID_ARGUMENT, "this gateway's cluster key is not the one the cluster registered: "
                    + "give every gateway the same cluster.key (the CA folder's, copied by `mooseng admin cert issue --role gateway`; "
                    + "during a rotation the new one as cluster.key, the old one as " + ClusterKeys.PREVIOUS_FILE + ")");
        }
        return new NamespaceCredentials(store, clusterKeys, clock, s);
    }

    /** Seals a secret for storage under its key id. */
    public static byte[] seal(PublicKey clusterKey, String accessKey, String secretKey) {
        return SecretBox.seal(clusterKey, secretKey.getBytes(StandardCharsets.UTF_8), AccessKeyRecord.sealContext(accessKey));
    }

    @Override
    public Key key(String accessKey) {
        Entry e = accessKey == null ? null : table.keys.get(accessKey);
        return e == null || (e.expiresMillis != 0 && clock.getAsLong() >= e.expiresMillis) ? null : e.key;
    }

    @Override
    public boolean mayMiss(String accessKey) {
        return !table.keys.containsKey(accessKey);
    }

    @Override
    public CompletableFuture<Void> load(String accessKey) {
        return reload();
    }

    /**
     * A reload that starts after this call: a key created a moment ago is found. Reloads run
     * one at a time; calls during one share the next, so a burst of unknown keys costs two reads.
     */
    private synchronized CompletableFuture<Void> reload() {
        if (running) {
            if (next == null) {
                next = new CompletableFuture<>();
            }
            return next;
        }
        running = true;
        CompletableFuture<Void> done = new CompletableFuture<>();
        run(done);
        return done;
    }

    private void run(CompletableFuture<Void> done) {
        long known = clusterKeys.pairs() == openedWith ? table.version : -1;
        store.identities(known).whenComplete((s, e) -> {
            if (e != null) {
                LOG.debug("identity reload failed: {}", e.toString());
            } else if (s.changed()) {
                install(s);
            }
            CompletableFuture<Void> waiting;
            synchronized (this) {
                waiting = next;
                next = null;
                running = waiting != null;
            }
            done.complete(null);
            if (waiting != null) {
                run(waiting);
            }
        });
    }

    private void install(IdentitySnapshot s) {
        openedWith = clusterKeys.pairs();
        clusterKeys.registered(s.clusterKey());
        Map<String, UserAccount> users = new HashMap<>();
        s.users().forEach(u -> users.put(u.name(), u));
        Map<String, Entry> keys = new HashMap<>();
        for (AccessKeyRecord k : s.keys()) {
            UserAccount u = users.get(k.user());
            if (u == null || !u.enabled() || !k.enabled()) {
                continue;
            }
            try {
                // a change reloads every key: open again only what changed
                Entry before = table.keys.get(k.accessKey());
                String secret = before != null && Arrays.equals(before.sealed, k.sealedSecret()) ? before.key.secretKey()
                        : new String(clusterKeys.open(k.sealedSecret(), AccessKeyRecord.sealContext(k.accessKey())), StandardCharsets.UTF_8);
                keys.put(k.accessKey(), new Entry(new Key(secret, Identity.of(u.name(), k.accessKey(), u.root(), u.policies())),
                        k.expiresMillis(), k.sealedSecret()));
            } catch (GeneralSecurityException e) {
                LOG.warn("access key {} of user {} does not open with this gateway's cluster keys; it is not accepted here", k.accessKey(), u.name());
            }
        }
        table = new Table(s.version(), Map.copyOf(keys));
    }

    @Override
    public void close() {
        poller.close();
    }
}
