package io.mooseng.cli;

import java.io.IOException;
import java.io.Reader;
import java.io.Writer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.Properties;

/**
 * The S3 access key pair: from MOOSENG_ACCESS_KEY / MOOSENG_SECRET_KEY if set, else from
 * {@code DIR/credentials}, else generated at first start, stored there (mode 0600) and
 * announced, so no default key pair ever exists.
 */
record CredentialsFile(String accessKey, String secretKey, boolean generated) {
    private static final String ALNUM = "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";
    private static final String SECRET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

    static CredentialsFile load(Path dir) throws IOException {
        String envKey = System.getenv("MOOSENG_ACCESS_KEY");
        String envSecret = System.getenv("MOOSENG_SECRET_KEY");
        if (envKey != null && !envKey.isEmpty() && envSecret != null && !envSecret.isEmpty()) {
            return new CredentialsFile(envKey, envSecret, false);
        }
        Path file = dir.resolve("credentials");
        Properties p = new Properties();
        if (Files.exists(file)) {
            try (Reader r = Files.newBufferedReader(file)) {
                p.load(r);
            }
            return new CredentialsFile(p.getProperty("access_key"), p.getProperty("secret_key"), false);
        }
        CredentialsFile c = newPair();
        p.setProperty("access_key", c.accessKey);
        p.setProperty("secret_key", c.secretKey);
        Files.createDirectories(dir);
        Path tmp = dir.resolve("credentials.tmp");
        Files.deleteIfExists(tmp);
        Files.createFile(tmp, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        try (Writer w = Files.newBufferedWriter(tmp)) {
            p.store(w, "MooseNG S3 credentials, generated at first start");
        }
        Files.move(tmp, file, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
        return c;
    }

    /** A new random key pair (AWS's shapes: a 20-character id, a 40-character secret). */
    static CredentialsFile newPair() {
        SecureRandom rnd = new SecureRandom();
        return new CredentialsFile(random(rnd, ALNUM, 20), random(rnd, SECRET, 40), true);
    }

    private static String random(SecureRandom rnd, String alphabet, int n) {
        StringBuilder sb = new StringBuilder(n);
        for (int i = 0; i < n; i++) {
            sb.append(alphabet.charAt(rnd.nextInt(alphabet.length())));
        }
        return sb.toString();
    }
}
