package io.mooseng.core.chunk.ec;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.zip.CRC32;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

class ReedSolomonCodecTest {

    @ParameterizedTest(name = "{0}+{1}")
    @CsvSource({"4,2", "8,3", "8,4", "1,2", "10,4", "6,3"})
    void everyPatternOfUpToMLostShardsIsRebuilt(int k, int m) {
        ErasureCodec codec = ErasureCodecs.of(k, m);
        int offset = 3;
        int length = 4096 + 13; // more than one kernel chunk, with a partial long at the end
        byte[][] original = encodedRandomShards(codec, new Random(k * 31 + m), offset, length, 2);
        int total = k + m;
        int patterns = 0;
        for (int lostMask = 1; lostMask < 1 << total; lostMask++) {
            if (Integer.bitCount(lostMask) > m) {
                continue;
            }
            byte[][] shards = copy(original);
            boolean[] present = new boolean[total];
            for (int i = 0; i < total; i++) {
                present[i] = (lostMask >>> i & 1) == 0;
                if (!present[i]) {
                    Arrays.fill(shards[i], offset, offset + length, (byte) 0x5a);
                }
            }
            codec.reconstruct(shards, present, offset, length);
            for (int i = 0; i < total; i++) {
                assertArrayEquals(original[i], shards[i], k + "+" + m + " lost " + Integer.toBinaryString(lostMask) + " shard " + i);
            }
            patterns++;
        }
        int expected = 0;
        for (int lost = 1; lost <= m; lost++) {
            expected += binomial(total, lost);
        }
        assertEquals(expected, patterns);
    }

    @Test
    void parityIsTheMatrixProductOfTheData() {
        for (int[] km : new int[][] {{4, 2}, {8, 4}, {10, 4}, {1, 2}}) {
            ErasureCodec codec = ErasureCodecs.of(km[0], km[1]);
            int k = km[0];
            int[][] coefficients = parityCoefficients(codec);
            for (int j = 0; j < k; j++) {
                assertEquals(1, coefficients[0][j], "the first parity row is plain XOR");
            }
            Random random = new Random(5);
            byte[][] shards = encodedRandomShards(codec, random, 0, 1000, 0);
            for (int r = 0; r < km[1]; r++) {
                for (int i = 0; i < 1000; i++) {
                    int sum = 0;
                    for (int j = 0; j < k; j++) {
                        sum ^= GaloisField.mul(coefficients[r][j], shards[j][i] & 0xff);
                    }
                    assertEquals((byte) sum, shards[k + r][i]);
                }
            }
        }
    }

    /** Parity bytes are part of the on-disk format: a change of matrix would orphan stored data. */
    @Test
    void encodingIsPinned() {
        assertEquals(List.of(
                        Arrays.asList(1, 1, 1, 1),
                        Arrays.asList(61, 47, 13, 25)),
                rows(parityCoefficients(ErasureCodecs.of(4, 2))));
        assertEquals(Arrays.asList(97, 43, 23, 6, 71, 83, 21, 113),
                rows(parityCoefficients(ErasureCodecs.of(8, 4))).get(3));
        assertEquals(PINNED_8_4_CRC, parityCrc8Plus4(ErasureCodecs.of(8, 4)));
    }

    static final long PINNED_8_4_CRC = 191_140_428L;

    /** The CRC-32 of the parity of an 8+4 codec over a fixed pattern of 4 KiB data shards. */
    static long parityCrc8Plus4(ErasureCodec codec) {
        byte[][] shards = new byte[12][4096];
        for (int j = 0; j < 8; j++) {
            for (int i = 0; i < 4096; i++) {
                shards[j][i] = (byte) (i * 31 + j * 7);
            }
        }
        codec.encodeParity(shards, 0, 4096);
        CRC32 crc = new CRC32();
        for (int r = 8; r < 12; r++) {
            crc.update(shards[r]);
        }
        return crc.getValue();
    }

    @Test
    void fuzzedSizesOffsetsAndLosses() {
        Random random = new Random(1234);
        int[][] configs = {{4, 2}, {8, 3}, {8, 4}, {1, 2}, {10, 4}, {6, 3}, {3, 1}, {2, 0}};
        for (int trial = 0; trial < 300; trial++) {
            int[] km = configs[random.nextInt(configs.length)];
            ErasureCodec codec = ErasureCodecs.of(km[0], km[1]);
            int length = trial < 20 ? 1 + trial : 1 + random.nextInt(trial % 10 == 0 ? 70_000 : 3000);
            int offset = random.nextInt(40);
            byte[][] original = encodedRandomShards(codec, random, offset, length, random.nextInt(9));
            byte[][] shards = copy(original);
            boolean[] present = new boolean[codec.totalShards()];
            Arrays.fill(present, true);
            for (int lost = random.nextInt(km[1] + 1); lost > 0; ) {
                int i = random.nextInt(present.length);
                if (present[i]) {
                    present[i] = false;
                    random.nextBytes(shards[i]);
                    System.arraycopy(original[i], 0, shards[i], 0, offset);
                    System.arraycopy(original[i], offset + length, shards[i], offset + length, shards[i].length - offset - length);
                    lost--;
                }
            }
            codec.reconstruct(shards, present, offset, length);
            for (int i = 0; i < present.length; i++) {
                assertArrayEquals(original[i], shards[i], "trial " + trial + " shard " + i);
            }
        }
    }

    @ParameterizedTest(name = "{0}+{1}")
    @CsvSource({"4,2", "8,3", "8,4"})
    void onlyTheWantedShardIsRebuiltAndShardsNotCodedMayBeAbsent(int k, int m) {
        ErasureCodec codec = ErasureCodecs.of(k, m);
        int total = k + m;
        int offset = 5;
        int length = 5000;
        byte[][] original = encodedRandomShards(codec, new Random(k * 7 + m), offset, length, 3);
        Random random = new Random(k + m);
        for (int trial = 0; trial < 200; trial++) {
            int[] order = random.ints(0, total).distinct().limit(total).toArray();
            int present = k + random.nextInt(m); // k to k+m-1 survivors, the rest absent
            byte[][] shards = new byte[total][];
            boolean[] isPresent = new boolean[total];
            boolean[] wanted = new boolean[total];
            for (int i = 0; i < present; i++) {
                isPresent[order[i]] = true;
                shards[order[i]] = original[order[i]].clone();
            }
            int target = order[present + random.nextInt(total - present)];
            wanted[target] = true;
            shards[target] = new byte[original[target].length];
            codec.reconstruct(shards, isPresent, wanted, offset, length);
            assertArrayEquals(Arrays.copyOfRange(original[target], offset, offset + length),
                    Arrays.copyOfRange(shards[target], offset, offset + length), "trial " + trial + " shard " + target);
            for (int i = 0; i < total; i++) {
                if (!isPresent[i] && i != target) {
                    assertNull(shards[i], "shard " + i + " was neither present nor wanted");
                }
            }
        }
    }

    @Test
    void aPresentShardCannotBeWanted() {
        ErasureCodec codec = ErasureCodecs.of(4, 2);
        boolean[] present = {true, true, true, true, true, false};
        boolean[] wanted = {true, false, false, false, false, true};
        assertThrows(IllegalArgumentException.class, () -> codec.reconstruct(new byte[6][16], present, wanted, 0, 16));
    }

    @Test
    void fewerThanKPresentIsRejected() {
        ErasureCodec codec = ErasureCodecs.of(4, 2);
        byte[][] shards = new byte[6][16];
        boolean[] present = {true, false, true, false, false, true};
        assertThrows(IllegalArgumentException.class, () -> codec.reconstruct(shards, present, 0, 16));
        assertThrows(IllegalArgumentException.class, () -> codec.reconstruct(shards, new boolean[6], 0, 16));
    }

    @Test
    void malformedArgumentsAreRejected() {
        ErasureCodec codec = ErasureCodecs.of(4, 2);
        boolean[] allPresent = {true, true, true, true, true, true};
        assertThrows(IllegalArgumentException.class, () -> codec.encodeParity(new byte[5][16], 0, 16));
        assertThrows(IllegalArgumentException.class, () -> codec.encodeParity(new byte[6][16], 8, 16));
        assertThrows(IllegalArgumentException.class, () -> codec.encodeParity(new byte[6][16], -1, 4));
        assertThrows(IllegalArgumentException.class, () -> codec.reconstruct(new byte[6][16], new boolean[5], 0, 16));
        byte[][] withNull = new byte[6][16];
        withNull[5] = null;
        assertThrows(IllegalArgumentException.class, () -> codec.reconstruct(withNull, allPresent, 0, 16));
    }

    @Test
    void instancesAreSharedAndParametersChecked() {
        assertSame(ErasureCodecs.of(8, 4), ErasureCodecs.of(8, 4));
        assertEquals(12, ErasureCodecs.of(8, 4).totalShards());
        assertThrows(IllegalArgumentException.class, () -> ErasureCodecs.of(0, 2));
        assertThrows(IllegalArgumentException.class, () -> ErasureCodecs.of(4, -1));
        assertThrows(IllegalArgumentException.class, () -> ErasureCodecs.of(60, 5));
    }

    @Test
    void concurrentEncodesAndDecodesAgree() throws Exception {
        ErasureCodec codec = ErasureCodecs.of(8, 4);
        byte[][] original = encodedRandomShards(codec, new Random(9), 0, 50_000, 0);
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<?>> results = new ArrayList<>();
            for (int t = 0; t < 8; t++) {
                int seed = t;
                results.add(pool.submit((Callable<Void>) () -> {
                    Random random = new Random(seed);
                    for (int round = 0; round < 20; round++) {
                        byte[][] shards = copy(original);
                        boolean[] present = new boolean[12];
                        Arrays.fill(present, true);
                        present[random.nextInt(12)] = false;
                        present[random.nextInt(12)] = false;
                        codec.reconstruct(shards, present, 0, 50_000);
                        codec.encodeParity(shards, 0, 50_000);
                        for (int i = 0; i < 12; i++) {
                            assertArrayEquals(original[i], shards[i]);
                        }
                    }
                    return null;
                }));
            }
            for (Future<?> f : results) {
                f.get();
            }
        } finally {
            pool.shutdownNow();
        }
    }

    /** Random data shards with `slack` random bytes after the range, and their parity. */
    private static byte[][] encodedRandomShards(ErasureCodec codec, Random random, int offset, int length, int slack) {
        byte[][] shards = new byte[codec.totalShards()][offset + length + slack];
        for (byte[] shard : shards) {
            random.nextBytes(shard);
        }
        codec.encodeParity(shards, offset, length);
        return shards;
    }

    /** The parity matrix, read back by encoding unit vectors. */
    private static int[][] parityCoefficients(ErasureCodec codec) {
        int k = codec.dataShards();
        int[][] coefficients = new int[codec.parityShards()][k];
        for (int j = 0; j < k; j++) {
            byte[][] shards = new byte[codec.totalShards()][1];
            shards[j][0] = 1;
            codec.encodeParity(shards, 0, 1);
            for (int r = 0; r < codec.parityShards(); r++) {
                coefficients[r][j] = shards[k + r][0] & 0xff;
            }
        }
        return coefficients;
    }

    private static List<List<Integer>> rows(int[][] matrix) {
        List<List<Integer>> rows = new ArrayList<>();
        for (int[] row : matrix) {
            rows.add(Arrays.stream(row).boxed().toList());
        }
        return rows;
    }

    private static byte[][] copy(byte[][] shards) {
        byte[][] out = new byte[shards.length][];
        for (int i = 0; i < shards.length; i++) {
            out[i] = shards[i].clone();
        }
        return out;
    }

    private static int binomial(int n, int r) {
        long result = 1;
        for (int i = 1; i <= r; i++) {
            result = result * (n - r + i) / i;
        }
        return (int) result;
    }
}
