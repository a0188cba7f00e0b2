package io.mooseng.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.mooseng.core.security.ClusterKey;
import io.mooseng.core.security.ClusterKeys;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.KeyPair;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;

/**
 * {@code mooseng admin cluster-key}: a new cluster key, and the rotation of a cluster from one
 * to another (see {@link ClusterKeyRotation}; README, "Security").
 */
final class ClusterKeyCommands {
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private ClusterKeyCommands() {
    }

    @Command(name = "cluster-key", mixinStandardHelpOptions = true,
            description = "The cluster key users' secrets and SSE-S3 data keys are sealed to.", subcommands = {Create.class, Rotate.class})
    static final class Group {
    }

    @Command(name = "create", mixinStandardHelpOptions = true,
            description = "Write a new cluster key pair to FILE (mode 0600; an existing file is never overwritten).")
    static final class Create implements Callable<Integer> {
        @Parameters(index = "0", paramLabel = "FILE")
        Path file;

        @Override
        public Integer call() throws Exception {
            try {
                ClusterKey.create(file);
            } catch (FileAlreadyExistsException e) {
                throw new IllegalArgumentException(e.getMessage());
            }
            System.out.println("cluster key written to " + file + "; install it on every gateway as " + ClusterKey.FILE
                    + " (the one in use there becoming " + ClusterKeys.PREVIOUS_FILE + "), then run `admin cluster-key rotate`");
            return 0;
        }
    }

    @Command(name = "rotate", mixinStandardHelpOptions = true,
            description = "Move the cluster to a new cluster key: registers it, then re-seals every user's secret and every SSE-S3 "
                    + "object's data key from the old key to the new (objects' data is not rewritten). Idempotent: run it again after "
                    + "an interruption, and once more before removing the old key from gateways (it then re-seals nothing).")
    static final class Rotate implements Callable<Integer> {
        @Mixin
        MastersOption masters;

        @Option(names = "--old", required = true, paramLabel = "FILE", description = "The key pair the cluster uses now (its cluster.key).")
        Path oldKey;

        @Option(names = "--new", required = true, paramLabel = "FILE", description = "The new key pair (from `admin cluster-key create`).")
        Path newKey;

        @Option(names = "--json", description = "Print the summary as JSON (progress goes to standard error).")
        boolean json;

        @Override
        public Integer call() throws Exception {
            KeyPair from = read(oldKey, "--old");
            KeyPair to = read(newKey, "--new");
            var out = json ? System.err : System.out;
            ClusterKeyRotation.Summary s = masters.withMetadata(m -> new ClusterKeyRotation(m, from, to, out::println).run());
            if (json) {
                Map<String, Object> v = new LinkedHashMap<>();
                v.put("registered", s.registered());
                v.put("accessKeys", s.accessKeys());
                v.put("accessKeysResealed", s.accessKeysResealed());
                v.put("encryptedObjects", s.encryptedObjects());
                v.put("objectsResealed", s.objectsResealed());
                v.put("objectsChangedMeanwhile", s.objectsChanged());
                v.put("unopenable", s.unopenable());
                System.out.println(JSON.writeValueAsString(v));
            } else {
                System.out.printf("done: %d of %d access keys and %d of %d SSE-S3 objects re-sealed (%d changed meanwhile, left to their writers)%n",
                        s.accessKeysResealed(), s.accessKeys(), s.objectsResealed(), s.encryptedObjects(), s.objectsChanged());
                if (!s.unopenable().isEmpty()) {
                    System.out.println("open with neither key (left as they are): " + String.join(", ", s.unopenable()));
                } else if (s.resealed() > 0 || s.objectsChanged() > 0) {
                    System.out.println("run it once more before removing the old key: it re-seals what gateways wrote under it meanwhile");
                } else {
                    System.out.println("nothing is sealed to the old key any more: remove " + ClusterKeys.PREVIOUS_FILE + " from the gateways");
                }
            }
            return s.unopenable().isEmpty() ? 0 : 1;
        }

        private static KeyPair read(Path file, String option) {
            try {
                return ClusterKey.read(file);
            } catch (IOException e) {
                throw new IllegalArgumentException(option + " " + file + ": " + (e instanceof NoSuchFileException ? "no such file" : e.getMessage()));
            }
        }
    }
}
