package io.mooseng.core.security;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.PublicKey;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The cluster key pairs a gateway holds, and which public key the namespace registers. Normally
 * one pair ({@code cluster.key}); during a rotation the old one beside it as
 * {@code cluster.key.previous}, so secrets and data keys still sealed to it keep opening. The
 * files are re-read when their times or sizes change (checked at most once a second, like
 * {@link ClusterTls}'s certificates; a file that does not load is reported and the pairs held
 * so far kept), so installing a new key or removing the old one needs no restart.
 *
 * <p>New secrets and data keys are sealed to the registered key ({@link #sealingKey}), which the
 * gateway's identity poll reports ({@link #registered}); opening tries the pair of the registered
 * key first, so once a rotation is done every open succeeds at its first try. Thread-safe.
 */
public final class ClusterKeys {
    private static final Logger LOG = LoggerFactory.getLogger(ClusterKeys.class);
    /** The pair a rotation moves from, kept beside {@link ClusterKey#FILE} until the rotation is done. */
    public static final String PREVIOUS_FILE = ClusterKey.FILE + ".previous";
    private static final long RECHECK_NANOS = 1_000_000_000L;

    /** The current key's file, or null for pairs given once (tests, tools). */
    private final Path file;
    private volatile Loaded loaded;
    private volatile long checkedAt;
    /** X.509 of the key the namespace registers; null until the gateway learns it (then the current file's). */
    private volatile byte[] registered;

    /** The pairs read (the current file's first) and the file stamps they were read at. */
    private record Loaded(List<KeyPair> pairs, String stamp) {
    }

    private ClusterKeys(Path file, Loaded loaded) {
        this.file = file;
        this.loaded = loaded;
        this.checkedAt = System.nanoTime();
    }

    /** Fixed pairs, the first the current one. */
    public static ClusterKeys of(KeyPair... pairs) {
        if (pairs.length == 0) {
            throw new IllegalArgumentException("no key pair");
        }
        return new ClusterKeys(null, new Loaded(List.of(pairs), ""));
    }

    /**
     * The pairs in {@code file} (created if missing, as a gateway's first start does) and, if
     * present, in {@link #PREVIOUS_FILE} beside it.
     */
    public static ClusterKeys load(Path file) throws IOException {
        ClusterKey.readOrCreate(file);
        return new ClusterKeys(file, read(file));
    }

    /** The pair of {@code cluster.key}. */
    public KeyPair current() {
        return fresh().pairs.getFirst();
    }

    /** Every pair held, the current one first: the same list until the files change. */
    public List<KeyPair> pairs() {
        return fresh().pairs;
    }

    /** True when one of the pairs held has the public key {@code x509}. */
    public boolean holds(byte[] x509) {
        return pairs().stream().anyMatch(p -> Arrays.equals(p.getPublic().getEncoded(), x509));
    }

    /** What new secrets and data keys are sealed to: the registered key, or before it is known the current pair's. */
    public PublicKey sealingKey() {
        byte[] r = registered;
        if (r != null) {
            try {
                return SecretBox.publicKey(r);
            } catch (GeneralSecurityException e) {
                throw new IllegalStateException("the namespace's cluster key is not an X25519 public key", e);
            }
        }
        return current().getPublic();
    }

    /** The namespace registers {@code x509} (X.509 of the public key); an empty one is ignored (none registered yet). */
    public void registered(byte[] x509) {
        if (x509.length == 0 || Arrays.equals(x509, registered)) {
            return;
        }
        registered = x509.clone();
        if (!holds(x509)) {
            LOG.warn("cluster key: the namespace registers a key this gateway does not hold; install it as {} (see README, Security)",
                    file == null ? ClusterKey.FILE : file);
        }
    }

    /**
     * Opens a box sealed to one of the pairs: the registered key's first, then the others.
     *
     * @throws GeneralSecurityException when no pair opens it (another key, another context, damaged)
     */
    public byte[] open(byte[] sealed, byte[] context) throws GeneralSecurityException {
        List<KeyPair> pairs = pairs();
        byte[] r = registered;
        KeyPair first = pairs.getFirst();
        if (r != null && pairs.size() > 1) {
            first = pairs.stream().filter(p -> Arrays.equals(p.getPublic().getEncoded(), r)).findFirst().orElse(first);
        }
        GeneralSecurityException failure;
        try {
            return SecretBox.open(first, sealed, context);
        } catch (GeneralSecurityException e) {
            failure = e;
        }
        for (KeyPair p : pairs) {
            if (p != first) {
                try {
                    return SecretBox.open(p, sealed, context);
                } catch (GeneralSecurityException e) {
                    failure = e;
                }
            }
        }
        throw failure;
    }

    private Loaded fresh() {
        long now = System.nanoTime();
        if (file == null || now - checkedAt < RECHECK_NANOS) {
            return loaded;
        }
        checkedAt = now;
        Loaded l = loaded;
        if (l.stamp.equals(stamp(file))) {
            return l;
        }
        try {
            loaded = read(file);
            LOG.info("cluster key: reloaded {} ({} key pair{})", file, loaded.pairs.size(), loaded.pairs.size() == 1 ? "" : "s");
        } catch (IOException | RuntimeException e) {
            LOG.warn("cluster key: {} changed but does not load, keeping the pairs held: {}", file, e.getMessage());
            loaded = new Loaded(l.pairs, stamp(file));
        }
        return loaded;
    }

    private static Loaded read(Path file) throws IOException {
        String stamp = stamp(file);
        List<KeyPair> pairs = new ArrayList<>(List.of(ClusterKey.read(file)));
        Path previous = file.resolveSibling(PREVIOUS_FILE);
        if (Files.exists(previous)) {
            pairs.add(ClusterKey.read(previous));
        }
        return new Loaded(List.copyOf(pairs), stamp);
    }

    private static String stamp(Path file) {
        StringBuilder sb = new StringBuilder();
        for (Path f : List.of(file, file.resolveSibling(PREVIOUS_FILE))) {
            try {
                sb.append(Files.getLastModifiedTime(f).toMillis()).append('/').append(Files.size(f)).append(' ');
            } catch (IOException e) {
                sb.append("missing ");
            }
        }
        return sb.toString();
    }
}
