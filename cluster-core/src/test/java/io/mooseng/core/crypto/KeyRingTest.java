package io.mooseng.core.crypto;

import io.mooseng.core.error.ErrorCode;
import io.mooseng.core.error.MooseException;
import io.mooseng.core.model.ObjectEncryption;
import io.mooseng.core.security.ClusterKeys;
import io.mooseng.core.security.SecretBox;
import org.junit.jupiter.api.Test;

import java.security.GeneralSecurityException;
import java.security.KeyPair;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** SSE-S3 data keys over several cluster key pairs: what a gateway holds during a rotation. */
class KeyRingTest {
    private final KeyPair oldPair = SecretBox.newKeyPair();
    private final KeyPair newPair = SecretBox.newKeyPair();

    @Test
    void opensDataKeysSealedToAnyPairHeldAndSealsToTheRegisteredKey() throws Exception {
        DataKey underOld = new KeyRing(oldPair).newServerKey();
        DataKey underNew = KeyRing.newServerKey(newPair.getPublic());
        ClusterKeys both = ClusterKeys.of(newPair, oldPair);
        KeyRing ring = new KeyRing(both);
        assertArrayEquals(underOld.key(), ring.open(underOld.record(), null).key());
        assertArrayEquals(underNew.key(), ring.open(underNew.record(), null).key());

        // until the namespace says otherwise, new keys are sealed to the current pair (cluster.key)
        assertArrayEquals(newPair.getPublic().getEncoded(), both.sealingKey().getEncoded());
        both.registered(oldPair.getPublic().getEncoded());
        DataKey fresh = ring.newServerKey();
        assertArrayEquals(fresh.key(), new KeyRing(oldPair).open(fresh.record(), null).key(), "sealed to the registered (old) key");
        assertThrows(MooseException.class, () -> new KeyRing(newPair).open(fresh.record(), null));
        both.registered(newPair.getPublic().getEncoded());
        DataKey after = ring.newServerKey();
        assertArrayEquals(after.key(), new KeyRing(newPair).open(after.record(), null).key());

        // once the old pair is gone, what is still sealed to it no longer opens
        MooseException e = assertThrows(MooseException.class, () -> new KeyRing(ClusterKeys.of(newPair)).open(underOld.record(), null));
        assertEquals(ErrorCode.SHARD_CORRUPT, e.code());
    }

    @Test
    void resealsADataKeyFromTheOldPairToTheNewOnceWithTheSameSaltAndKey() throws Exception {
        DataKey original = new KeyRing(oldPair).newServerKey();
        ObjectEncryption resealed = KeyRing.reseal(original.record(), oldPair, newPair).orElseThrow();
        assertEquals(ObjectEncryption.Mode.SSE_S3, resealed.mode());
        assertArrayEquals(original.record().salt(), resealed.salt());
        assertFalse(java.util.Arrays.equals(original.record().wrappedKey(), resealed.wrappedKey()));
        assertArrayEquals(original.key(), new KeyRing(newPair).open(resealed, null).key());
        assertThrows(MooseException.class, () -> new KeyRing(oldPair).open(resealed, null));

        // already sealed to the new pair: nothing to do (a repeated rotation)
        assertTrue(KeyRing.reseal(resealed, oldPair, newPair).isEmpty());
        // sealed to neither: refused, left as it is
        DataKey foreign = KeyRing.newServerKey(SecretBox.newKeyPair().getPublic());
        assertThrows(GeneralSecurityException.class, () -> KeyRing.reseal(foreign.record(), oldPair, newPair));
        // the context is the salt: a wrapped key moved to another object's record does not open there either
        ObjectEncryption moved = new ObjectEncryption(ObjectEncryption.Mode.SSE_S3, new byte[16], resealed.wrappedKey(), null);
        assertThrows(MooseException.class, () -> new KeyRing(ClusterKeys.of(newPair, oldPair)).open(moved, null));
    }
}
