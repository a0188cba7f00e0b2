package io.mooseng.core.file;

import io.mooseng.core.model.BlockId;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

class PageCacheTest {
    private static final int PAGE = PageCache.PAGE_BYTES;
    private final BlockId a = BlockId.random();
    private final BlockId b = BlockId.random();

    @Test
    void keepsPagesByBlockAndPlace() {
        PageCache cache = new PageCache(4L * PAGE);
        byte[] page = new byte[PAGE];
        cache.put(a, 3, page);
        assertSame(page, cache.get(a, 3));
        assertNull(cache.get(a, 2));
        assertNull(cache.get(b, 3));
    }

    @Test
    void neverHoldsMoreThanItsBoundAndEvictsTheLeastRecentlyUsed() {
        PageCache cache = new PageCache(3L * PAGE);
        cache.put(a, 0, new byte[PAGE]);
        cache.put(a, 1, new byte[PAGE]);
        cache.put(a, 2, new byte[PAGE]);
        assertNotNull(cache.get(a, 0));   // now the most recently used
        cache.put(b, 0, new byte[PAGE]);
        assertEquals(3L * PAGE, cache.bytes());
        assertNull(cache.get(a, 1), "the least recently used page goes first");
        assertNotNull(cache.get(a, 0));
        assertNotNull(cache.get(a, 2));
        assertNotNull(cache.get(b, 0));
    }

    @Test
    void countsTheBytesOfShortPagesAndReplacedOnes() {
        PageCache cache = new PageCache(2L * PAGE);
        cache.put(a, 0, new byte[PAGE]);
        cache.put(a, 1, new byte[100]);   // a block's last page
        assertEquals(PAGE + 100L, cache.bytes());
        cache.put(a, 1, new byte[200]);
        assertEquals(PAGE + 200L, cache.bytes());
        assertEquals(2, cache.pages());
        cache.put(b, 0, new byte[PAGE]);
        assertEquals(PAGE + 200L, cache.bytes(), "the eldest page made room");
        assertNull(cache.get(a, 0));
        assertEquals(2, cache.pages());
    }

    @Test
    void aCacheSmallerThanAPageKeepsNothing() {
        PageCache none = new PageCache(0);
        assertFalse(none.enabled());
        assertFalse(new PageCache(PAGE - 1).enabled());
        assertThrows(IllegalArgumentException.class, () -> none.put(a, 0, new byte[1]));
        assertThrows(IllegalArgumentException.class, () -> new PageCache(-1));
        assertThrows(IllegalArgumentException.class, () -> new PageCache(PAGE).put(a, 0, new byte[PAGE + 1]));
    }
}
