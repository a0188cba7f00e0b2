package io.mooseng.core.model;

import java.util.concurrent.ThreadLocalRandom;

/** A 128-bit random block id: chosen by the writer before any metadata exists. */
public record BlockId(long hi, long lo) implements Comparable<BlockId> {
    public static BlockId random() {
        ThreadLocalRandom r = ThreadLocalRandom.current();
        return new BlockId(r.nextLong(), r.nextLong());
    }

    public static BlockId parse(String hex) {
        if (hex.length() != 32) {
            throw new IllegalArgumentException("block id must be 32 hex digits: " + hex);
        }
        return new BlockId(Long.parseUnsignedLong(hex, 0, 16, 16), Long.parseUnsignedLong(hex, 16, 32, 16));
    }

    @Override
    public int compareTo(BlockId o) {
        int c = Long.compareUnsigned(hi, o.hi);
        return c != 0 ? c : Long.compareUnsigned(lo, o.lo);
    }

    @Override
    public String toString() {
        return String.format("%016x%016x", hi, lo);
    }
}
