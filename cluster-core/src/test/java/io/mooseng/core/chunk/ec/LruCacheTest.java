package io.mooseng.core.chunk.ec;

import org.junit.jupiter.api.Test;

import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;

class LruCacheTest {

    @Test
    void keepsTheMostRecentlyUsedEntriesUpToCapacity() {
        LruCache<Integer, String> cache = new LruCache<>(2);
        AtomicInteger computed = new AtomicInteger();
        cache.get(1, k -> "v" + k + computed.incrementAndGet());
        cache.get(2, k -> "v" + k + computed.incrementAndGet());
        cache.get(1, k -> "recomputed");
        cache.get(3, k -> "v" + k + computed.incrementAndGet());
        assertEquals(2, cache.size());
        assertEquals("v11", cache.get(1, k -> "evicted"), "1 was used recently, so 2 went");
        assertEquals("evicted", cache.get(2, k -> "evicted"));
        assertEquals(3, computed.get());
    }
}
