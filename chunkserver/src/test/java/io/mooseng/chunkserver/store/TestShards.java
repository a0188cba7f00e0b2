package io.mooseng.chunkserver.store;

import io.mooseng.core.model.BlockId;
import io.mooseng.core.model.ShardId;

import java.nio.ByteBuffer;
import java.util.SplittableRandom;

/** Deterministic shard ids and contents, so a reader can check what a writer wrote. */
public final class TestShards {
    private TestShards() {
    }

    public static ShardId id(long n) {
        return new ShardId(new BlockId(0x5eed_0000_0000_0000L | n, ~n), (int) (n % 12));
    }

    /** {@code size} pseudo-random bytes determined by {@code seed}. */
    public static ByteBuffer content(long seed, int size) {
        byte[] bytes = new byte[size];
        SplittableRandom random = new SplittableRandom(seed);
        for (int i = 0; i < size; i += 8) {
            long v = random.nextLong();
            for (int j = 0; j < 8 && i + j < size; j++) {
                bytes[i + j] = (byte) (v >>> (8 * j));
            }
        }
        return ByteBuffer.wrap(bytes);
    }
}
