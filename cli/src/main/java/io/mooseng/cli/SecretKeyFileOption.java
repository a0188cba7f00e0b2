package io.mooseng.cli;

import picocli.CommandLine.Option;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.Collections;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

/**
 * The secret of a given access key: the first line of a file, or MOOSENG_SECRET_KEY; never an
 * argument, which {@code ps} would show to every user of the machine.
 */
final class SecretKeyFileOption {
    private static final Set<PosixFilePermission> OTHERS_MAY_READ = EnumSet.of(
            PosixFilePermission.GROUP_READ, PosixFilePermission.OTHERS_READ);

    @Option(names = "--secret-key-file", paramLabel = "FILE",
            description = "A file holding the secret key of --access-key (its first line; default: the environment's MOOSENG_SECRET_KEY).")
    Path file;

    boolean given() {
        return file != null;
    }

    /**
     * @param command who asks, for the messages
     * @throws IllegalArgumentException when neither the file nor the environment gives one
     */
    String secret(String command) throws IOException {
        String secret;
        if (file != null) {
            if (!Collections.disjoint(Files.getPosixFilePermissions(file), OTHERS_MAY_READ)) {
                System.err.println(command + ": warning: " + file + " is readable by other users (chmod 600 it)");
            }
            List<String> lines = Files.readAllLines(file);
            secret = lines.isEmpty() ? "" : lines.getFirst().strip();
        } else {
            secret = System.getenv("MOOSENG_SECRET_KEY");
        }
        if (secret == null || secret.isEmpty()) {
            throw new IllegalArgumentException("--access-key needs its secret key: set MOOSENG_SECRET_KEY or give --secret-key-file FILE");
        }
        return secret;
    }
}
