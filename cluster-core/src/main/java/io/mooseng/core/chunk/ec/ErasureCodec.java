package io.mooseng.core.chunk.ec;

/**
 * A systematic (k, m) erasure code over equal-length shards: shards 0..k-1 hold the data,
 * k..k+m-1 the parity. Any k shards rebuild the rest.
 *
 * <p>Contract: pure and thread-safe; shards are byte arrays of at least offset+length
 * bytes; only the range [offset, offset+length) of each is read or written.
 */
public interface ErasureCodec {
    int dataShards();

    int parityShards();

    default int totalShards() {
        return dataShards() + parityShards();
    }

    /** Computes parity shards k..k+m-1 from data shards 0..k-1. */
    void encodeParity(byte[][] shards, int offset, int length);

    /**
     * Rebuilds every shard whose {@code present[i]} is false (data and parity) from the
     * present ones. Throws IllegalArgumentException if fewer than k are present.
     */
    void reconstruct(byte[][] shards, boolean[] present, int offset, int length);
}
