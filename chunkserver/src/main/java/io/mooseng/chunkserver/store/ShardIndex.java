package io.mooseng.chunkserver.store;

import io.mooseng.core.model.ShardId;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

/**
 * The in-memory map shard id -> location of its current record, with the live-byte
 * accounting of the segments it points into.
 *
 * <p>Threading: lookups from any thread; changes from one thread at a time (recovery at
 * open, then the group-commit leader), always in log order, so the last record wins.
 */
final class ShardIndex {
    private final Map<ShardId, Location> locations = new ConcurrentHashMap<>();
    private final Map<Integer, Segment> segments;
    private final AtomicLong livePayloadBytes = new AtomicLong();

    /** @param segments every open segment by id; the index charges live bytes to them */
    ShardIndex(Map<Integer, Segment> segments) {
        this.segments = segments;
    }

    Location get(ShardId id) {
        return locations.get(id);
    }

    /** Points {@code id} at a new record; the record it replaces becomes dead space. */
    void put(ShardId id, Location location) {
        Location old = locations.put(id, location);
        if (old != null) {
            release(old);
        }
        charge(location);
    }

    /**
     * Points {@code id} at {@code location} only if it still points at {@code expected}
     * (a compaction copy of a record that may have been overwritten or deleted meanwhile).
     */
    void replace(ShardId id, Location expected, Location location) {
        if (locations.replace(id, expected, location)) {
            release(expected);
            charge(location);
        }
    }

    /** Drops {@code id}; its record becomes dead space. @return whether it was present */
    boolean remove(ShardId id) {
        Location old = locations.remove(id);
        if (old == null) {
            return false;
        }
        release(old);
        return true;
    }

    private void charge(Location location) {
        segments.get(location.segment()).addLiveBytes(location.recordBytes());
        livePayloadBytes.addAndGet(location.length());
    }

    private void release(Location old) {
        segments.get(old.segment()).addLiveBytes(-old.recordBytes());
        livePayloadBytes.addAndGet(-old.length());
    }

    int size() {
        return locations.size();
    }

    long livePayloadBytes() {
        return livePayloadBytes.get();
    }

    void forEach(Consumer<ShardId> action) {
        locations.keySet().forEach(action);
    }
}
