package io.mooseng.core.security;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

class SecretBoxTest {
    private static final byte[] CONTEXT = "key AKIA1".getBytes(StandardCharsets.UTF_8);

    @Test
    void opensWhatWasSealedToItsKeyInItsContextOnly(@TempDir Path dir) throws Exception {
        KeyPair key = ClusterKey.readOrCreate(dir.resolve(ClusterKey.FILE));
        assertEquals("rw-------", java.nio.file.attribute.PosixFilePermissions.toString(Files.getPosixFilePermissions(dir.resolve(ClusterKey.FILE))));
        byte[] secret = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY".getBytes(StandardCharsets.UTF_8);
        byte[] sealed = SecretBox.seal(SecretBox.publicKey(key.getPublic().getEncoded()), secret, CONTEXT);
        assertFalse(new String(sealed, StandardCharsets.ISO_8859_1).contains("EXAMPLEKEY"));
        KeyPair reread = ClusterKey.read(dir.resolve(ClusterKey.FILE));
        assertArrayEquals(secret, SecretBox.open(reread, sealed, CONTEXT));
        assertThrows(GeneralSecurityException.class, () -> SecretBox.open(reread, sealed, "key AKIA2".getBytes(StandardCharsets.UTF_8)));
        assertThrows(GeneralSecurityException.class, () -> SecretBox.open(SecretBox.newKeyPair(), sealed, CONTEXT));
        sealed[sealed.length - 1] ^= 1;
        assertThrows(GeneralSecurityException.class, () -> SecretBox.open(reread, sealed, CONTEXT));
        assertThrows(GeneralSecurityException.class, () -> SecretBox.open(reread, new byte[3], CONTEXT));
    }
}
