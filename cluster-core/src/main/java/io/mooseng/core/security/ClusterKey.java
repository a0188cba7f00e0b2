package io.mooseng.core.security;

import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.PrivateKey;
import java.security.PublicKey;

/**
 * The cluster key: an X25519 key pair whose public half the namespace records and whose
 * private half gateways hold ({@code cluster.key}, PEM, mode 0600), and masters and admin tools
 * of a multisite zone (to open the sync key's secret). Users' secret keys are sealed to it
 * ({@link SecretBox}), so the namespace and its backups hold no secret in clear.
 * {@code mooseng admin ca init} creates one beside the CA and {@code admin cert issue --role
 * gateway|master|admin} copies it into the TLS folder; a gateway without TLS keeps one in its data folder.
 * A gateway's pairs, the old one kept beside during a rotation, are {@link ClusterKeys}.
 */
public final class ClusterKey {
    public static final String FILE = "cluster.key";

    private ClusterKey() {
    }

    /** Reads the key pair in {@code file}. */
    public static KeyPair read(Path file) throws IOException {
        try (Reader r = Files.newBufferedReader(file, StandardCharsets.US_ASCII); PEMParser parser = new PEMParser(r)) {
            JcaPEMKeyConverter converter = new JcaPEMKeyConverter();
            PrivateKey priv = null;
            PublicKey pub = null;
            for (Object o = parser.readObject(); o != null; o = parser.readObject()) {
                if (o instanceof PrivateKeyInfo info) {
                    priv = converter.getPrivateKey(info);
                } else if (o instanceof SubjectPublicKeyInfo info) {
                    pub = converter.getPublicKey(info);
                }
            }
            if (priv == null || pub == null) {
                throw new IOException(file + " is not a MooseNG cluster key (a PRIVATE KEY and a PUBLIC KEY, X25519)");
            }
            return new KeyPair(pub, priv);
        }
    }

    /** Reads {@code file}, creating a new key there first if there is none. */
    public static KeyPair readOrCreate(Path file) throws IOException {
        if (!Files.exists(file)) {
            create(file);
        }
        return read(file);
    }

    /** Writes a new key pair to {@code file} (mode 0600), which must not exist: a key in use is never overwritten. */
    public static KeyPair create(Path file) throws IOException {
        if (Files.exists(file)) {
            throw new java.nio.file.FileAlreadyExistsException(file + " exists: a cluster key is never overwritten");
        }
        KeyPair pair = SecretBox.newKeyPair();
        Files.createDirectories(file.toAbsolutePath().getParent());
        PemFiles.write(file, true, pair.getPrivate(), pair.getPublic());
        return pair;
    }
}
