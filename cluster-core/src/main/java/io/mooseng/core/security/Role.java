package io.mooseng.core.security;

import java.security.cert.CertificateParsingException;
import java.security.cert.X509Certificate;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * What a process is to the cluster, as its certificate says: a subject alternative name URI
 * {@code mooseng:role:<role>} signed by the cluster CA. Callees decide what each role may call;
 * a {@link #MONITOR} (a metrics scraper such as Prometheus) may call nothing: it may only scrape
 * the processes' {@code /metrics}, which any certificate of the CA may.
 */
public enum Role {
    MASTER, METALOGGER, CHUNKSERVER, GATEWAY, MOUNT, ADMIN, MONITOR;

    private static final String URI_PREFIX = "mooseng:role:";
    /** The GeneralName tag of a URI in X.509's subjectAltName. */
    private static final int SAN_URI = 6;

    public String uri() {
        return URI_PREFIX + label();
    }

    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static Role parse(String label) {
        try {
            return valueOf(label.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("unknown role '" + label + "' ("
                    + Arrays.stream(values()).map(Role::label).collect(Collectors.joining(", ")) + ")");
        }
    }

    /** The role a certificate names, or null when it names none (or more than one). */
    public static Role of(X509Certificate certificate) {
        Role found = null;
        try {
            if (certificate.getSubjectAlternativeNames() == null) {
                return null;
            }
            for (List<?> name : certificate.getSubjectAlternativeNames()) {
                if (((Integer) name.get(0)) == SAN_URI && name.get(1) instanceof String uri && uri.startsWith(URI_PREFIX)) {
                    Role role;
                    try {
                        role = parse(uri.substring(URI_PREFIX.length()));
                    } catch (IllegalArgumentException e) {
                        return null;
                    }
                    if (found != null && found != role) {
                        return null;
                    }
                    found = role;
                }
            }
        } catch (CertificateParsingException e) {
            return null;
        }
        return found;
    }
}
