package io.mooseng.core.security;

import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509TrustManager;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.X509Certificate;

/**
 * Whom a zone trusts when it calls another zone's S3 endpoints over HTTPS: the JVM's CAs, plus
 * the CAs in the PEM file {@code MOOSENG_PEER_CA} names (zones whose endpoints carry
 * certificates of a private CA, such as a cluster's own).
 */
public final class PeerTrust {
    public static final String ENV = "MOOSENG_PEER_CA";
    private static volatile X509TrustManager trustManager;

    private PeerTrust() {
    }

    public static X509TrustManager trustManager() {
        X509TrustManager t = trustManager;
        if (t == null) {
            String file = System.getenv(ENV);
            t = trusting(file == null || file.isBlank() ? null : Path.of(file));
            trustManager = t;
        }
        return t;
    }

    public static SSLContext context() {
        return context(trustManager());
    }

    public static SSLContext context(X509TrustManager trust) {
        try {
            SSLContext c = SSLContext.getInstance("TLS");
            c.init(null, new javax.net.ssl.TrustManager[]{trust}, null);
            return c;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The JVM's default CAs and those of {@code extra} (null: none). */
    public static X509TrustManager trusting(Path extra) {
        try {
            TrustManagerFactory defaults = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            defaults.init((KeyStore) null);
            if (extra == null) {
                return (X509TrustManager) defaults.getTrustManagers()[0];
            }
            KeyStore store = KeyStore.getInstance("PKCS12");
            store.load(null, null);
            int i = 0;
            for (X509Certificate ca : ((X509TrustManager) defaults.getTrustManagers()[0]).getAcceptedIssuers()) {
                store.setCertificateEntry("jvm" + i++, ca);
            }
            if (!Files.isReadable(extra)) {
                throw new IOException(ENV + " names " + extra + ", which cannot be read");
            }
            for (X509Certificate ca : PemFiles.certificates(extra)) {
                store.setCertificateEntry("peer" + i++, ca);
            }
            TrustManagerFactory f = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            f.init(store);
            return (X509TrustManager) f.getTrustManagers()[0];
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }
}
