package io.mooseng.core.chunk.ec;

import java.lang.foreign.MemorySegment;

/**
 * A systematic (k, m) erasure code over equal-length shards: shards 0..k-1 hold the data,
 * k..k+m-1 the parity. Any k shards rebuild the rest. Obtain one with
 * {@link ErasureCodecs#of(int, int)}.
 *
 * <p>Contract: pure and thread-safe; every kernel gives the same bytes. Byte-array shards are
 * at least offset+length bytes long and only [offset, offset+length) of each is read or
 * written. Segment shards (native memory, or heap: {@code MemorySegment.ofBuffer} covers
 * direct and heap ByteBuffers) each hold exactly one shard, all of one size, and must stay
 * alive for the call; with the ISA-L kernel, native segments are coded in place without a
 * copy. Shards never overlap.
 */
public interface ErasureCodec {
    int dataShards();

    int parityShards();

    default int totalShards() {
        return dataShards() + parityShards();
    }

    /** Computes parity shards k..k+m-1 from data shards 0..k-1. */
    void encodeParity(byte[][] shards, int offset, int length);

    /** Computes parity segments k..k+m-1 from data segments 0..k-1. */
    void encodeParity(MemorySegment[] shards);

    /**
     * Rebuilds every shard whose {@code present[i]} is false (data and parity) from the
     * present ones. Throws IllegalArgumentException if fewer than k are present.
     */
    default void reconstruct(byte[][] shards, boolean[] present, int offset, int length) {
        reconstruct(shards, present, absent(present), offset, length);
    }

    /** Rebuilds every segment whose {@code present[i]} is false, like the byte-array form. */
    default void reconstruct(MemorySegment[] shards, boolean[] present) {
        reconstruct(shards, present, absent(present));
    }

    /**
     * Rebuilds only the absent shards whose {@code wanted[i]} is true (a degraded read needs
     * data shards, a repair one shard: coding the others would be wasted work). Shards neither
     * present nor wanted are neither read nor written and may be null. Throws
     * IllegalArgumentException if fewer than k are present or a wanted shard is present.
     */
    void reconstruct(byte[][] shards, boolean[] present, boolean[] wanted, int offset, int length);

    /** Rebuilds only the wanted segments, like the byte-array form; unused ones may be null. */
    void reconstruct(MemorySegment[] shards, boolean[] present, boolean[] wanted);

    private static boolean[] absent(boolean[] present) {
        boolean[] absent = new boolean[present.length];
        for (int i = 0; i < present.length; i++) {
            absent[i] = !present[i];
        }
        return absent;
    }
}
