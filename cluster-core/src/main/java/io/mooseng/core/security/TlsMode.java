package io.mooseng.core.security;

import java.io.IOException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Path;
import java.util.Collection;
import java.util.Locale;

/**
 * Whether a process's internal connections use TLS: {@code on}, {@code off}, or {@code auto}
 * (the default): on when its TLS folder holds a certificate, else off if every address it
 * listens on or calls is loopback, else it refuses to start, saying how to issue one. So a
 * cluster on one machine needs no certificates, and one on a network cannot run in clear by
 * accident ({@code off} is the explicit choice for a network nobody else reaches).
 */
public enum TlsMode {
    AUTO, ON, OFF;

    public static TlsMode parse(String text) {
        try {
            return valueOf(text.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("--tls must be auto, on or off: " + text);
        }
    }

    /**
     * @param dir       the process's TLS folder (may not exist; null: none given)
     * @param addresses HOST:PORT or HOST of everything it listens on and calls
     * @return the TLS identity, or null for plaintext
     * @throws IOException when TLS is needed and the folder does not hold a usable certificate
     */
    public ClusterTls resolve(Path dir, Collection<String> addresses) throws IOException {
        return switch (this) {
            case OFF -> null;
            case ON -> {
                if (dir == null) {
                    throw new IOException("--tls on needs the folder of this process's certificate (--tls-dir)");
                }
                yield ClusterTls.load(dir);
            }
            case AUTO -> {
                if (ClusterTls.present(dir)) {
                    yield ClusterTls.load(dir);
                }
                for (String a : addresses) {
                    if (!loopback(a)) {
                        String where = dir == null ? "no TLS folder is given (--tls-dir)" : dir + " holds no certificate";
                        throw new IOException(a + " is not a loopback address, so its connections need TLS and " + where
                                + ". Issue one: `mooseng admin ca init CA_DIR` once, then `mooseng admin cert issue --ca CA_DIR --role ROLE "
                                + "--name NAME --out " + (dir == null ? "DIR" : dir) + "` (or --tls off on a network nobody else reaches)");
                    }
                }
                yield null;
            }
        };
    }

    /** Whether HOST or HOST:PORT names this machine's loopback (unresolvable names are not). */
    public static boolean loopback(String address) {
        String host = address;
        if (host.startsWith("[")) {
            host = host.substring(1, host.indexOf(']'));
        } else if (host.indexOf(':') == host.lastIndexOf(':') && host.indexOf(':') >= 0) {
            host = host.substring(0, host.indexOf(':'));
        }
        try {
            for (InetAddress a : InetAddress.getAllByName(host)) {
                if (!a.isLoopbackAddress()) {
                    return false;
                }
            }
            return true;
        } catch (UnknownHostException e) {
            return false;
        }
    }
}
