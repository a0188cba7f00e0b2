package io.mooseng.core.file;

import io.mooseng.core.model.BlockId;
import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class PageCacheTest {
    private static final int PAGE = PageCache.PAGE_BYTES;
    private static final BlockId A = new BlockId(1, 1);
    private static final BlockId B = new BlockId(2, 1);

    @Test
    void aKeptPageReadsBackAnyRangeOfItsBytesIntoHeapAndDirectBuffers() {
        PageCache cache = new PageCache(4L * PAGE);
        byte[] page = bytes(PAGE, 1);
        cache.put(A, 3, ByteBuffer.wrap(page));

        ByteBuffer heap = ByteBuffer.allocate(200).position(10);
        assertTrue(cache.read(A, 3, 1000, heap, 100));
        assertEquals(110, heap.position(), "the bytes land at the buffer's position, which moves past them");
        assertArrayEquals(Arrays.copyOfRange(page, 1000, 1100), Arrays.copyOfRange(heap.array(), 10, 110));

        ByteBuffer direct = ByteBuffer.allocateDirect(PAGE);
        assertTrue(cache.read(A, 3, 0, direct, PAGE));
        byte[] back = new byte[PAGE];
        direct.flip().get(back);
        assertArrayEquals(page, back);

        assertFalse(cache.read(A, 4, 0, ByteBuffer.allocate(10), 10), "another page of the block is not kept");
        assertFalse(cache.read(B, 3, 0, ByteBuffer.allocate(10), 10), "the same page of another block is not kept");
    }

    @Test
    void aBlocksShortLastPageAnswersOnlyTheBytesItHas() {
        PageCache cache = new PageCache(2L * PAGE);
        byte[] tail = bytes(5000, 2);
        cache.put(A, 7, ByteBuffer.wrap(tail));
        assertEquals(5000, cache.bytes());
        ByteBuffer into = ByteBuffer.allocate(PAGE);
        assertFalse(cache.read(A, 7, 4000, into, 2000), "past the page's end");
        assertEquals(0, into.position(), "a refused read copies nothing");
        assertTrue(cache.read(A, 7, 4000, into, 1000));
        assertArrayEquals(Arrays.copyOfRange(tail, 4000, 5000), Arrays.copyOf(into.array(), 1000));

        cache.put(A, 7, ByteBuffer.wrap(bytes(200, 3)));
        assertEquals(200, cache.bytes(), "a page kept again counts its new length");
        assertEquals(1, cache.pages());
        assertFalse(cache.read(A, 7, 0, ByteBuffer.allocate(PAGE), 201));
    }

    @Test
    void theLeastRecentlyUsedPageMakesRoomAndItsSlotServesTheNewOneWhole() {
        PageCache cache = new PageCache(2L * PAGE + PAGE / 2);   // two whole pages
        byte[] a0 = bytes(PAGE, 10);
        byte[] a1 = bytes(PAGE, 11);
        byte[] b0 = bytes(PAGE, 12);
        cache.put(A, 0, ByteBuffer.wrap(a0));
        cache.put(A, 1, ByteBuffer.wrap(a1));
        assertTrue(cache.read(A, 0, 0, ByteBuffer.allocate(1), 1), "A0 used: A1 is now the eldest");
        cache.put(B, 0, ByteBuffer.wrap(b0));

        assertEquals(2, cache.pages());
        assertEquals(2L * PAGE, cache.bytes());
        assertFalse(cache.read(A, 1, 0, ByteBuffer.allocate(1), 1), "the least recently used page went");
        assertArrayEquals(a0, readPage(cache, A, 0));
        assertArrayEquals(b0, readPage(cache, B, 0), "the reused slot holds the new page's bytes");

        byte[] again = bytes(PAGE, 13);
        cache.put(B, 0, ByteBuffer.wrap(again));
        assertEquals(2, cache.pages(), "a page kept again takes its own slot");
        assertArrayEquals(again, readPage(cache, B, 0));
    }

    @Test
    void lessThanAPageKeepsNothingAndRefusesPuts() {
        PageCache cache = new PageCache(PAGE - 1);
        assertFalse(cache.enabled());
        assertThrows(IllegalArgumentException.class, () -> cache.put(A, 0, ByteBuffer.allocate(10)));
        assertThrows(IllegalArgumentException.class, () -> new PageCache(-1));
        assertThrows(IllegalArgumentException.class, () -> new PageCache(4L * PAGE).put(A, 0, ByteBuffer.allocate(PAGE + 1)));
    }

    private static byte[] readPage(PageCache cache, BlockId block, int index) {
        ByteBuffer into = ByteBuffer.allocate(PAGE);
        assertTrue(cache.read(block, index, 0, into, PAGE));
        return into.array();
    }

    private static byte[] bytes(int n, long seed) {
        byte[] b = new byte[n];
        new Random(seed).nextBytes(b);
        return b;
    }
}
