package io.mooseng.cli;

import io.mooseng.core.metadata.IdentityStore;
import io.mooseng.core.metadata.KeySecrets;
import io.mooseng.core.security.ClusterKey;
import io.mooseng.core.security.ClusterKeys;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Objects;

/**
 * The cluster key of a process that signs with one of its cluster's own keys instead of
 * checking them: a master (its sync agent signs its pulls from peer zones with the sync key)
 * and an admin tool asking peer zones for their progress. Unlike a gateway, such a process
 * never creates a key: it uses the {@code cluster.key} it finds, or says where to install one.
 */
final class ClusterKeyFiles {
    private ClusterKeyFiles() {
    }

    /** @param folders where to look for {@code cluster.key}, in order (nulls skipped) */
    static KeySecrets secrets(IdentityStore store, Path... folders) throws IOException {
        Path[] candidates = Arrays.stream(folders).filter(Objects::nonNull).map(f -> f.resolve(ClusterKey.FILE)).toArray(Path[]::new);
        for (Path file : candidates) {
            if (Files.exists(file)) {
                return KeySecrets.of(store, ClusterKeys.load(file));
            }
        }
        return KeySecrets.withoutClusterKey(store, candidates.length == 0
                ? "give the TLS folder holding it with --tls-dir (`admin cert issue` copies it there for masters, gateways and admins)"
                : "install it as " + candidates[0] + " (`admin cert issue` copies it there for masters, gateways and admins)");
    }
}
