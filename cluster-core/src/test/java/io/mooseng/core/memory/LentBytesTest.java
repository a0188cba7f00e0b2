package io.mooseng.core.memory;

import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class LentBytesTest {

    @Test
    void lentBytesAreGivenBackOnceAndCountedUntilThen() {
        long before = LentBytes.outstanding();
        AtomicInteger givenBack = new AtomicInteger();
        LentBytes lent = LentBytes.lent(ByteBuffer.allocateDirect(1000).limit(700), givenBack::incrementAndGet);
        assertTrue(lent.isLent());
        assertEquals(before + 700, LentBytes.outstanding());

        lent.bytes().get(new byte[500]); // a reader moves the position: the count must not follow it
        assertEquals(700, lent.length());
        lent.release();
        lent.release();
        assertEquals(1, givenBack.get());
        assertEquals(before, LentBytes.outstanding());
    }

    @Test
    void ownedBytesAreNotCounted() {
        long before = LentBytes.outstanding();
        LentBytes owned = LentBytes.owned(ByteBuffer.allocate(64));
        assertFalse(owned.isLent());
        assertEquals(before, LentBytes.outstanding());
        owned.release();
        assertEquals(64, owned.length());
        assertEquals(before, LentBytes.outstanding());
    }
}
