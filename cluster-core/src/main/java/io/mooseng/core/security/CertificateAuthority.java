package io.mooseng.core.security;

import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x500.X500NameBuilder;
import org.bouncycastle.asn1.x500.style.BCStyle;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

import java.io.IOException;
import java.math.BigInteger;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The cluster's certificate authority: a folder with {@code ca.pem} and {@code ca.key} (mode
 * 0600), which issues node certificates naming a {@link Role}. Keys are ECDSA P-256 (fast
 * handshakes; the bulk cipher is AES-GCM either way). Issued folders hold what
 * {@link ClusterTls} loads: {@code ca.pem}, {@code node.pem}, {@code node.key}; a gateway's, a master's and an admin's also
 * the {@link ClusterKey}, which the CA folder keeps too.
 */
public final class CertificateAuthority {
    public static final String CA_KEY = "ca.key";
    public static final Duration CA_VALIDITY = Duration.ofDays(3650);
    public static final Duration NODE_VALIDITY = Duration.ofDays(365);
    /** The roles whose folders get the cluster key with their certificate. */
    private static final java.util.Set<Role> HOLD_CLUSTER_KEY = java.util.EnumSet.of(Role.GATEWAY, Role.MASTER, Role.ADMIN);
    private static final String SIGNATURE = "SHA256withECDSA";
    private static final Pattern IP = Pattern.compile("[0-9.]+|.*:.*");
    private static final SecureRandom RANDOM = new SecureRandom();

    private final Path dir;
    private final X509Certificate certificate;
    private final PrivateKey key;

    private CertificateAuthority(Path dir, X509Certificate certificate, PrivateKey key) {
        this.dir = dir;
        this.certificate = certificate;
        this.key = key;
    }

    /** Creates a new CA in {@code dir}; refuses to overwrite one. */
    public static CertificateAuthority create(Path dir, String name, Duration validity) throws IOException {
        Path certFile = dir.resolve(ClusterTls.CA);
        if (Files.exists(certFile) || Files.exists(dir.resolve(CA_KEY))) {
            throw new IOException(dir + " already holds a CA (" + ClusterTls.CA + ", " + CA_KEY + ")");
        }
        KeyPair pair = newKeyPair();
        X500Name subject = new X500NameBuilder(BCStyle.INSTANCE).addRDN(BCStyle.O, "MooseNG").addRDN(BCStyle.CN, name).build();
        try {
            JcaX509ExtensionUtils ext = new JcaX509ExtensionUtils();
            X509v3CertificateBuilder b = builder(subject, subject, pair.getPublic(), validity)
                    .addExtension(Extension.basicConstraints, true, new BasicConstraints(0))
                    .addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign))
                    .addExtension(Extension.subjectKeyIdentifier, false, ext.createSubjectKeyIdentifier(pair.getPublic()));
            X509Certificate cert = sign(b, pair.getPrivate());
            Files.createDirectories(dir);
            PemFiles.write(dir.resolve(CA_KEY), true, pair.getPrivate());
            PemFiles.write(certFile, false, cert);
            ClusterKey.readOrCreate(dir.resolve(ClusterKey.FILE));
            return new CertificateAuthority(dir, cert, pair.getPrivate());
        } catch (GeneralSecurityException e) {
            throw new IOException("cannot create the CA: " + e.getMessage(), e);
        }
    }

    public static CertificateAuthority load(Path dir) throws IOException {
        Path keyFile = dir.resolve(CA_KEY);
        if (!Files.exists(keyFile)) {
            throw new IOException("no CA in " + dir + " (" + CA_KEY + " missing): create one with `mooseng admin ca init " + dir + "`");
        }
        return new CertificateAuthority(dir, PemFiles.certificates(dir.resolve(ClusterTls.CA)).get(0), PemFiles.privateKey(keyFile));
    }

    public X509Certificate certificate() {
        return certificate;
    }

    /**
     * Issues a certificate for one process into {@code out} ({@code ca.pem}, {@code node.pem},
     * {@code node.key}), replacing what is there (processes pick up the new files by themselves).
     *
     * @param hosts DNS names and IP addresses the process is reached at (the S3 endpoint's
     *              clients check them; cluster peers check the CA and the role)
     */
    public X509Certificate issue(Role role, String name, List<String> hosts, Duration validity, Path out) throws IOException {
        KeyPair pair = newKeyPair();
        X500Name subject = new X500NameBuilder(BCStyle.INSTANCE).addRDN(BCStyle.O, "MooseNG")
                .addRDN(BCStyle.OU, role.label()).addRDN(BCStyle.CN, name).build();
        List<GeneralName> alt = new ArrayList<>();
        alt.add(new GeneralName(GeneralName.uniformResourceIdentifier, role.uri()));
        Set<String> all = new LinkedHashSet<>(hosts);
        all.add(name);
        for (String h : all) {
            alt.add(IP.matcher(h).matches() && isAddress(h) ? new GeneralName(GeneralName.iPAddress, h) : new GeneralName(GeneralName.dNSName, h));
        }
        try {
            JcaX509ExtensionUtils ext = new JcaX509ExtensionUtils();
            X509v3CertificateBuilder b = builder(X500Name.getInstance(certificate.getSubjectX500Principal().getEncoded()), subject,
                    pair.getPublic(), validity)
                    .addExtension(Extension.basicConstraints, true, new BasicConstraints(false))
                    .addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature | KeyUsage.keyEncipherment))
                    .addExtension(Extension.extendedKeyUsage, false,
                            new ExtendedKeyUsage(new KeyPurposeId[]{KeyPurposeId.id_kp_serverAuth, KeyPurposeId.id_kp_clientAuth}))
                    .addExtension(Extension.subjectAlternativeName, false, new GeneralNames(alt.toArray(GeneralName[]::new)))
                    .addExtension(Extension.authorityKeyIdentifier, false, ext.createAuthorityKeyIdentifier(certificate))
                    .addExtension(Extension.subjectKeyIdentifier, false, ext.createSubjectKeyIdentifier(pair.getPublic()));
            X509Certificate cert = sign(b, key);
            Files.createDirectories(out);
            PemFiles.write(out.resolve(ClusterTls.NODE_KEY), true, pair.getPrivate());
            PemFiles.write(out.resolve(ClusterTls.NODE_CERT), false, cert);
            PemFiles.write(out.resolve(ClusterTls.CA), false, certificate);
            if (HOLD_CLUSTER_KEY.contains(role) && Files.exists(dir.resolve(ClusterKey.FILE))) {
                // gateways open the users' sealed secrets with it; masters and admins the multisite sync key's
                Files.copy(dir.resolve(ClusterKey.FILE), out.resolve(ClusterKey.FILE), java.nio.file.StandardCopyOption.REPLACE_EXISTING,
                        java.nio.file.StandardCopyOption.COPY_ATTRIBUTES);
            }
            return cert;
        } catch (GeneralSecurityException e) {
            throw new IOException("cannot issue a certificate: " + e.getMessage(), e);
        }
    }

    private static boolean isAddress(String host) {
        try {
            return InetAddress.ofLiteral(host) != null;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    private static X509v3CertificateBuilder builder(X500Name issuer, X500Name subject, PublicKey key, Duration validity) {
        Instant now = Instant.now();
        // an hour of slack before now: clocks of the cluster's machines differ a little
        return new JcaX509v3CertificateBuilder(issuer, new BigInteger(128, RANDOM), Date.from(now.minus(Duration.ofHours(1))),
                Date.from(now.plus(validity)), subject, key);
    }

    private static X509Certificate sign(X509v3CertificateBuilder builder, PrivateKey signer) throws GeneralSecurityException {
        try {
            return new JcaX509CertificateConverter().getCertificate(builder.build(new JcaContentSignerBuilder(SIGNATURE).build(signer)));
        } catch (OperatorCreationException e) {
            throw new GeneralSecurityException(e.getMessage(), e);
        }
    }

    private static KeyPair newKeyPair() throws IOException {
        try {
            KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
            g.initialize(new ECGenParameterSpec("secp256r1"), RANDOM);
            return g.generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new IOException(e);
        }
    }
}
