package io.mooseng.core.security;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLPeerUnverifiedException;
import javax.net.ssl.SSLSession;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509ExtendedKeyManager;
import javax.net.ssl.X509ExtendedTrustManager;
import java.io.IOException;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.Principal;
import java.security.PrivateKey;
import java.security.cert.Certificate;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * One process's TLS identity and trust, from a folder: {@code node.pem} (its certificate,
 * naming its {@link Role}), {@code node.key}, and {@code ca.pem} (the cluster CA it trusts).
 * The key and trust managers re-read the folder when its files change (checked at most once a
 * second, at handshakes), so a renewed certificate takes effect for new connections without a
 * restart; files that do not load are reported and the previous ones kept. Internal
 * connections are TLS 1.3 with mutual authentication; identity is the CA's signature and the
 * role, not the host name.
 */
public final class ClusterTls {
    public static final String CA = "ca.pem";
    public static final String NODE_CERT = "node.pem";
    public static final String NODE_KEY = "node.key";
    private static final Logger LOG = LoggerFactory.getLogger(ClusterTls.class);
    private static final long RECHECK_NANOS = TimeUnit.SECONDS.toNanos(1);
    private static final String[] PROTOCOLS = {"TLSv1.3"};
    /** AES-GCM first: hardware-accelerated on every x86-64 and ARMv8 server CPU. */
    private static final String[] CIPHERS = {"TLS_AES_128_GCM_SHA256", "TLS_AES_256_GCM_SHA384"};

    private final Path dir;
    private final SSLContext context;
    private volatile Material material;
    private volatile long checkedAt;

    private ClusterTls(Path dir, Material material) throws IOException {
        this.dir = dir;
        this.material = material;
        this.checkedAt = System.nanoTime();
        try {
            context = SSLContext.getInstance("TLSv1.3");
            context.init(new javax.net.ssl.KeyManager[]{new NodeKeyManager()}, new javax.net.ssl.TrustManager[]{new CaTrustManager()}, null);
        } catch (GeneralSecurityException e) {
            throw new IOException("TLS: " + e.getMessage(), e);
        }
    }

    /**
     * Loads the folder; fails with a message naming what is missing or unreadable. Blocks for a
     * handshake in memory first ({@link TlsWarmUp}), so that a process's first connections are fast.
     */
    public static ClusterTls load(Path dir) throws IOException {
        for (String f : List.of(CA, NODE_CERT, NODE_KEY)) {
            if (!Files.isRegularFile(dir.resolve(f))) {
                throw new IOException("TLS folder " + dir + " has no " + f
                        + " (create one with `mooseng admin cert issue --ca CA_DIR --role ROLE --name NAME --out " + dir + "`)");
            }
        }
        ClusterTls tls = new ClusterTls(dir, Material.read(dir));
        TlsWarmUp.handshake(tls.engine(true), tls.engine(false));
        return tls;
    }

    /** True when the folder holds the three files. */
    public static boolean present(Path dir) {
        return dir != null && Files.isRegularFile(dir.resolve(CA)) && Files.isRegularFile(dir.resolve(NODE_CERT))
                && Files.isRegularFile(dir.resolve(NODE_KEY));
    }

    public Path dir() {
        return dir;
    }

    /** The role this process's own certificate names. */
    public Role role() {
        return current().role;
    }

    /** The context every engine comes from: TLS 1.3, this node's key, the cluster CA. */
    public SSLContext context() {
        return context;
    }

    /** A configured engine: a server demands the peer's certificate. */
    public SSLEngine engine(boolean client) {
        SSLEngine engine = context.createSSLEngine();
        engine.setUseClientMode(client);
        SSLParameters p = restricted(engine.getSSLParameters());
        if (!client) {
            p.setNeedClientAuth(true);
        }
        engine.setSSLParameters(p);
        return engine;
    }

    /**
     * The client side of a TLS connection over a connected socket, its handshake done and the
     * peer's role one of {@code allowed}; closing it closes {@code plain}.
     */
    public SSLSocket clientSocket(Socket plain, Set<Role> allowed) throws IOException {
        SSLSocket ssl = (SSLSocket) context.getSocketFactory().createSocket(plain, plain.getInetAddress().getHostAddress(), plain.getPort(), true);
        ssl.setUseClientMode(true);
        ssl.setSSLParameters(restricted(ssl.getSSLParameters()));
        ssl.startHandshake();
        requirePeer(ssl.getSession(), allowed);
        return ssl;
    }

    /** TLS 1.3 and its AES-GCM suites only. */
    private static SSLParameters restricted(SSLParameters p) {
        p.setProtocols(PROTOCOLS);
        p.setCipherSuites(CIPHERS);
        return p;
    }

    public javax.net.ssl.X509KeyManager keyManager() {
        return new NodeKeyManager();
    }

    public javax.net.ssl.X509TrustManager trustManager() {
        return new CaTrustManager();
    }

    /** TLS 1.3 cipher suites in preference order. */
    public static List<String> cipherSuites() {
        return List.of(CIPHERS);
    }

    /** The role of the authenticated peer of a session (its certificate's), or throws when it names none. */
    public static Role peerRole(SSLSession session) throws SSLPeerUnverifiedException {
        Certificate[] chain = session.getPeerCertificates();
        Role role = chain.length > 0 && chain[0] instanceof X509Certificate x ? Role.of(x) : null;
        if (role == null) {
            throw new SSLPeerUnverifiedException("the peer's certificate names no MooseNG role");
        }
        return role;
    }

    /** Checks that a session's peer has one of the roles; the message says who it is otherwise. */
    public static Role requirePeer(SSLSession session, Set<Role> allowed) throws SSLPeerUnverifiedException {
        Role role = peerRole(session);
        if (!allowed.contains(role)) {
            throw new SSLPeerUnverifiedException("a " + role.label() + " may not connect here (expected " + allowed + ")");
        }
        return role;
    }

    private Material current() {
        long now = System.nanoTime();
        if (now - checkedAt < RECHECK_NANOS) {
            return material;
        }
        checkedAt = now;
        Material m = material;
        try {
            if (m.changed(dir)) {
                material = Material.read(dir);
                LOG.info("tls: reloaded {} (role {}, expires {})", dir, material.role.label(), material.chain[0].getNotAfter().toInstant());
            }
        } catch (IOException | RuntimeException e) {
            LOG.warn("tls: {} changed but does not load, keeping the previous certificate: {}", dir, e.getMessage());
            material = m.withStamp(Material.stamp(dir));
        }
        return material;
    }

    /** One loaded folder and the file stamps it was read at. */
    private record Material(X509Certificate[] chain, PrivateKey key, X509ExtendedTrustManager trust, Role role, String stamp) {
        static Material read(Path dir) throws IOException {
            String stamp = stamp(dir);
            List<X509Certificate> chain = PemFiles.certificates(dir.resolve(NODE_CERT));
            PrivateKey key = PemFiles.privateKey(dir.resolve(NODE_KEY));
            Role role = Role.of(chain.get(0));
            if (role == null) {
                throw new IOException(dir.resolve(NODE_CERT) + " names no MooseNG role (issue it with `mooseng admin cert issue --role ...`)");
            }
            if (!chain.get(0).getPublicKey().getAlgorithm().equals(key.getAlgorithm())) {
                throw new IOException(dir.resolve(NODE_KEY) + " does not belong to " + dir.resolve(NODE_CERT));
            }
            try {
                KeyStore store = KeyStore.getInstance("PKCS12");
                store.load(null, null);
                int i = 0;
                for (X509Certificate ca : PemFiles.certificates(dir.resolve(CA))) {
                    store.setCertificateEntry("ca" + i++, ca);
                }
                TrustManagerFactory f = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
                f.init(store);
                X509ExtendedTrustManager trust = (X509ExtendedTrustManager) f.getTrustManagers()[0];
                trust.checkServerTrusted(chain.toArray(X509Certificate[]::new), "ECDHE_ECDSA");
                return new Material(chain.toArray(X509Certificate[]::new), key, trust, role, stamp);
            } catch (CertificateException e) {
                throw new IOException(dir.resolve(NODE_CERT) + " is not signed by " + dir.resolve(CA) + " or not valid now: " + e.getMessage(), e);
            } catch (GeneralSecurityException e) {
                throw new IOException("TLS: " + e.getMessage(), e);
            }
        }

        static String stamp(Path dir) {
            StringBuilder sb = new StringBuilder();
            for (String f : List.of(CA, NODE_CERT, NODE_KEY)) {
                try {
                    sb.append(Files.getLastModifiedTime(dir.resolve(f)).toMillis()).append('/').append(Files.size(dir.resolve(f))).append(' ');
                } catch (IOException e) {
                    sb.append("missing ");
                }
            }
            return sb.toString();
        }

        boolean changed(Path dir) {
            return !stamp.equals(stamp(dir));
        }

        Material withStamp(String s) {
            return new Material(chain, key, trust, role, s);
        }
    }

    private static final String ALIAS = "node";

    /** Offers this node's current certificate for whatever key type it holds. */
    private final class NodeKeyManager extends X509ExtendedKeyManager {
        private String aliasFor(String keyType) {
            String alg = current().key.getAlgorithm();
            return keyType == null || keyType.equals(alg) || keyType.startsWith(alg + "_") || ("RSASSA-PSS".equals(keyType) && "RSA".equals(alg))
                    ? ALIAS : null;
        }

        private String aliasFor(String[] keyTypes) {
            for (String t : keyTypes) {
                if (aliasFor(t) != null) {
                    return ALIAS;
                }
            }
            return null;
        }

        @Override
        public String[] getClientAliases(String keyType, Principal[] issuers) {
            return aliasFor(keyType) == null ? null : new String[]{ALIAS};
        }

        @Override
        public String chooseClientAlias(String[] keyType, Principal[] issuers, Socket socket) {
            return aliasFor(keyType);
        }

        @Override
        public String chooseEngineClientAlias(String[] keyType, Principal[] issuers, SSLEngine engine) {
            return aliasFor(keyType);
        }

        @Override
        public String[] getServerAliases(String keyType, Principal[] issuers) {
            return aliasFor(keyType) == null ? null : new String[]{ALIAS};
        }

        @Override
        public String chooseServerAlias(String keyType, Principal[] issuers, Socket socket) {
            return aliasFor(keyType);
        }

        @Override
        public String chooseEngineServerAlias(String keyType, Principal[] issuers, SSLEngine engine) {
            return aliasFor(keyType);
        }

        @Override
        public X509Certificate[] getCertificateChain(String alias) {
            return ALIAS.equals(alias) ? current().chain.clone() : null;
        }

        @Override
        public PrivateKey getPrivateKey(String alias) {
            return ALIAS.equals(alias) ? current().key : null;
        }
    }

    /** Trusts what the current {@code ca.pem} signed. */
    private final class CaTrustManager extends X509ExtendedTrustManager {
        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket) throws CertificateException {
            current().trust.checkClientTrusted(chain, authType, socket);
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket) throws CertificateException {
            current().trust.checkServerTrusted(chain, authType, socket);
        }

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine) throws CertificateException {
            current().trust.checkClientTrusted(chain, authType, engine);
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine) throws CertificateException {
            current().trust.checkServerTrusted(chain, authType, engine);
        }

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType) throws CertificateException {
            current().trust.checkClientTrusted(chain, authType);
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType) throws CertificateException {
            current().trust.checkServerTrusted(chain, authType);
        }

        @Override
        public X509Certificate[] getAcceptedIssuers() {
            return current().trust.getAcceptedIssuers();
        }
    }
}
