package io.mooseng.core.security;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.time.Duration;
import java.util.function.BooleanSupplier;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A gateway's cluster key files: installed beside the old one and removed again without a restart. */
class ClusterKeysTest {
    private static final byte[] CONTEXT = "mooseng access key AK1".getBytes(StandardCharsets.UTF_8);

    @Test
    void picksUpANewKeyBesideThePreviousOneAndItsRemoval(@TempDir Path dir) throws Exception {
        Path file = dir.resolve(ClusterKey.FILE);
        ClusterKeys keys = ClusterKeys.load(file);
        KeyPair old = keys.current();
        byte[] underOld = SecretBox.seal(old.getPublic(), "s1".getBytes(StandardCharsets.UTF_8), CONTEXT);

        // the operator's procedure: the old file becomes .previous, the new one cluster.key
        Path made = dir.resolve("new.key");
        KeyPair fresh = ClusterKey.create(made);
        assertThrows(java.nio.file.FileAlreadyExistsException.class, () -> ClusterKey.create(made));
        Files.move(file, dir.resolve(ClusterKeys.PREVIOUS_FILE));
        Files.move(made, file, StandardCopyOption.ATOMIC_MOVE);
        await(() -> keys.pairs().size() == 2);
        assertArrayEquals(fresh.getPublic().getEncoded(), keys.current().getPublic().getEncoded());
        assertTrue(keys.holds(old.getPublic().getEncoded()));
        assertEquals("s1", new String(keys.open(underOld, CONTEXT), StandardCharsets.UTF_8));

        Files.delete(dir.resolve(ClusterKeys.PREVIOUS_FILE));
        await(() -> keys.pairs().size() == 1);
        assertThrows(GeneralSecurityException.class, () -> keys.open(underOld, CONTEXT));

        // a damaged file is reported and the pairs held are kept
        Files.writeString(file, "not a key");
        Thread.sleep(1100);
        assertArrayEquals(fresh.getPublic().getEncoded(), keys.current().getPublic().getEncoded());
    }

    private static void await(BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
        while (!condition.getAsBoolean()) {
            assertTrue(System.nanoTime() < deadline, "not reloaded within 5 s");
            Thread.sleep(100);
        }
    }
}
