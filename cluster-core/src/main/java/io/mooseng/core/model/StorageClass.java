package io.mooseng.core.model;

import io.mooseng.core.error.ErrorCode;
import io.mooseng.core.error.MooseException;

/**
 * How a block is made redundant. {@code REPLICATED_n}: n identical shards, any one
 * suffices. {@code EC_k_m}: k data shards and m Reed-Solomon parity shards, any k suffice.
 * Every class has {@link #shardCount()} shards on as many distinct chunkservers.
 */
public record StorageClass(Kind kind, int dataShards, int parityShards) {
    public enum Kind { REPLICATED, ERASURE }

    public static final StorageClass EC_4_2 = new StorageClass(Kind.ERASURE, 4, 2);

    public StorageClass {
        if (dataShards < 1 || parityShards < 0 || dataShards + parityShards > 32
                || (kind == Kind.REPLICATED && dataShards != 1)) {
            throw new MooseException(ErrorCode.INVALID_STORAGE_CLASS, "invalid storage class " + kind + " " + dataShards + "+" + parityShards);
        }
    }

    public static StorageClass replicated(int copies) {
        return new StorageClass(Kind.REPLICATED, 1, copies - 1);
    }

    public static StorageClass erasure(int k, int m) {
        return new StorageClass(Kind.ERASURE, k, m);
    }

    /** Parses {@code REPLICATED_3} or {@code EC_8_4} (case-insensitive). */
    public static StorageClass parse(String name) {
        String[] p = name.trim().toUpperCase(java.util.Locale.ROOT).split("_");
        try {
            if (p.length == 2 && p[0].equals("REPLICATED")) {
                return replicated(Integer.parseInt(p[1]));
            }
            if (p.length == 3 && p[0].equals("EC")) {
                return erasure(Integer.parseInt(p[1]), Integer.parseInt(p[2]));
            }
        } catch (NumberFormatException e) {
            // fall through to the error below
        }
        throw new MooseException(ErrorCode.INVALID_STORAGE_CLASS, "unknown storage class '" + name + "' (use REPLICATED_n or EC_k_m)");
    }

    public int shardCount() {
        return dataShards + parityShards;
    }

    /** Shards that may be lost with the data still readable. */
    public int toleratedLosses() {
        return parityShards;
    }

    /** Bytes stored per logical byte, ignoring padding. */
    public double overhead() {
        return kind == Kind.REPLICATED ? shardCount() : (double) shardCount() / dataShards;
    }

    public String name() {
        return kind == Kind.REPLICATED ? "REPLICATED_" + shardCount() : "EC_" + dataShards + "_" + parityShards;
    }

    @Override
    public String toString() {
        return name();
    }
}
