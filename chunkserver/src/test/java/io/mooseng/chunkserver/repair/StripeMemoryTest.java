package io.mooseng.chunkserver.repair;

import io.vertx.core.Vertx;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class StripeMemoryTest {
    private static final Vertx VERTX = Vertx.vertx();

    @AfterAll
    static void close() throws Exception {
        VERTX.close().await(10, TimeUnit.SECONDS);
    }

    @Test
    void regionsAreSeparateNativeBuffersThenHeapOnesPastTheLast() {
        StripeMemory memory = new StripeMemory(VERTX, 60_000);
        StripeMemory.Stripe stripe = memory.take(3, 4096);
        ByteBuffer[] regions = {stripe.region(), stripe.region(), stripe.region()};
        for (int i = 0; i < regions.length; i++) {
            assertTrue(regions[i].isDirect());
            assertEquals(4096, regions[i].remaining());
            regions[i].put(0, (byte) (i + 1)).put(4095, (byte) (i + 1));
        }
        for (int i = 0; i < regions.length; i++) {
            assertEquals(i + 1, regions[i].get(0));
            assertEquals(i + 1, regions[i].get(4095), "region " + i + " overlaps the next");
        }
        ByteBuffer extra = stripe.region();
        assertFalse(extra.isDirect());
        assertEquals(4096, extra.remaining());
        memory.give(stripe);
    }

    @Test
    void aGivenStripeIsReusedAndGrowsWhenItMustAndConcurrentOnesDiffer() {
        StripeMemory memory = new StripeMemory(VERTX, 60_000);
        StripeMemory.Stripe first = memory.take(2, 1024);
        first.region().put(0, (byte) 7);
        memory.give(first);
        StripeMemory.Stripe again = memory.take(2, 1024);
        assertEquals(first, again);
        assertEquals(7, again.region().get(0), "reused, not zeroed again");
        StripeMemory.Stripe other = memory.take(2, 1024);
        assertNotEquals(again, other);
        memory.give(other);
        memory.give(again);
        StripeMemory.Stripe bigger = memory.take(5, 1 << 20);
        for (int i = 0; i < 5; i++) {
            assertTrue(bigger.region().isDirect(), "region " + i);
        }
        memory.give(bigger);
    }

    @Test
    void allMemoryIsFreedOnceIdleLongEnough() throws InterruptedException {
        StripeMemory memory = new StripeMemory(VERTX, 50);
        StripeMemory.Stripe a = memory.take(2, 1024);
        StripeMemory.Stripe b = memory.take(2, 1024);
        memory.give(a);
        Thread.sleep(150);
        assertTrue(memory.holdsMemory(), "one stripe is still taken");
        memory.give(b);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (memory.holdsMemory() && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        assertFalse(memory.holdsMemory());
    }
}
