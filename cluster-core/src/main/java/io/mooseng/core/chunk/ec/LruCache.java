package io.mooseng.core.chunk.ec;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Function;

/**
 * A small thread-safe least-recently-used cache. One lock is enough: it guards a hash
 * lookup, while the work a hit saves (a matrix inversion) and the work it precedes
 * (coding megabytes) are far larger.
 */
final class LruCache<K, V> {
    private final Map<K, V> map;

    LruCache(int capacity) {
        if (capacity < 1) {
            throw new IllegalArgumentException("capacity must be positive: " + capacity);
        }
        this.map = new LinkedHashMap<>(16, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<K, V> eldest) {
                return size() > capacity;
            }
        };
    }

    /** The cached value, computing and caching it on a miss (under the lock: computations are short). */
    synchronized V get(K key, Function<? super K, ? extends V> compute) {
        V value = map.get(key);
        if (value == null) {
            value = compute.apply(key);
            map.put(key, value);
        }
        return value;
    }

    synchronized int size() {
        return map.size();
    }
}
