package io.mooseng.core.chunk.ec;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.Arrays;
import java.util.Random;
import java.util.stream.IntStream;
import java.util.stream.Stream;

import static io.mooseng.core.chunk.ec.CompiledMatrixTest.assumeAvailable;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;

/**
 * The codec writes the same bytes on every kernel available here: parity equal to the
 * scalar kernel's (the codec's only kernel before the others, so the stored format), and
 * every loss pattern of up to m shards rebuilt, over odd sizes and offsets, from byte
 * arrays and from native, heap and mixed segments. Kernels that cannot run here are
 * skipped with the reason.
 */
class KernelEquivalenceTest {
    private static final int[] LENGTHS = {1, 15, 16, 17, 63, 4097, 65537};
    private static final int[][] CODES = {{4, 2}, {8, 3}, {8, 4}, {1, 0}, {1, 1}, {4, 1}, {8, 1}};

    static Stream<Arguments> kernelsAndCodes() {
        return Arrays.stream(CodingKernel.values())
                .flatMap(kernel -> Arrays.stream(CODES).map(km -> Arguments.of(kernel, km[0], km[1])));
    }

    @ParameterizedTest(name = "{0} {1}+{2}")
    @MethodSource("kernelsAndCodes")
    void sameParityAsTheScalarKernelAndEveryLossPatternRebuilt(CodingKernel kernel, int k, int m) {
        assumeAvailable(kernel);
        Random random = new Random(31L * k + m + kernel.ordinal());
        ReedSolomonCodec codec = new ReedSolomonCodec(k, m, kernel);
        ReedSolomonCodec scalar = new ReedSolomonCodec(k, m, CodingKernel.SCALAR);
        int[] lengths = IntStream.concat(Arrays.stream(LENGTHS), random.ints(2, 1, 20_000)).toArray();
        for (int length : lengths) {
            int offset = 1 + random.nextInt(64);
            byte[][] expected = randomShards(k + m, offset + length + 7, random);
            byte[][] shards = copy(expected);
            scalar.encodeParity(expected, offset, length);
            codec.encodeParity(shards, offset, length);
            assertShardsEqual(expected, shards, kernel + " " + k + "+" + m + " parity of " + length + " bytes");
            for (long lostMask : lossPatterns(k + m, m)) {
                boolean[] present = new boolean[k + m];
                for (int i = 0; i < present.length; i++) {
                    present[i] = (lostMask >>> i & 1) == 0;
                    if (!present[i]) {
                        Arrays.fill(shards[i], offset, offset + length, (byte) (lostMask * 37 + i));
                    }
                }
                codec.reconstruct(shards, present, offset, length);
                assertShardsEqual(expected, shards, kernel + " " + k + "+" + m + " lost " + Long.toBinaryString(lostMask)
                        + " of " + length + " bytes at " + offset);
            }
        }
    }

    @ParameterizedTest
    @EnumSource(CodingKernel.class)
    void segmentsCodeLikeArrays(CodingKernel kernel) {
        assumeAvailable(kernel);
        Random random = new Random(kernel.ordinal());
        for (int[] km : new int[][] {{4, 2}, {8, 4}}) {
            ReedSolomonCodec codec = new ReedSolomonCodec(km[0], km[1], kernel);
            int total = codec.totalShards();
            for (int length : new int[] {1, 63, 4097, 200_000}) {
                byte[][] expected = randomShards(total, length, random);
                codec.encodeParity(expected, 0, length);
                for (String layout : new String[] {"native", "heap", "mixed"}) {
                    try (Arena arena = Arena.ofConfined()) {
                        MemorySegment[] shards = new MemorySegment[total];
                        for (int i = 0; i < total; i++) {
                            boolean isNative = layout.equals("native") || layout.equals("mixed") && i % 2 == 0;
                            shards[i] = isNative ? arena.allocate(length) : MemorySegment.ofArray(new byte[length]);
                            if (i < km[0]) {
                                MemorySegment.copy(expected[i], 0, shards[i], ValueLayout.JAVA_BYTE, 0, length);
                            }
                        }
                        String what = kernel + " " + km[0] + "+" + km[1] + " " + layout + " segments of " + length + " bytes";
                        codec.encodeParity(shards);
                        assertSegmentsEqual(expected, shards, what + ": parity");
                        boolean[] present = new boolean[total];
                        Arrays.fill(present, true);
                        for (int lost : random.ints(0, total).distinct().limit(km[1]).toArray()) {
                            present[lost] = false;
                            shards[lost].fill((byte) 0x5a);
                        }
                        codec.reconstruct(shards, present);
                        assertSegmentsEqual(expected, shards, what + ": rebuilt " + Arrays.toString(present));
                        // one lost shard alone, the other lost ones not given at all
                        int target = IntStream.range(0, total).filter(i -> !present[i]).findFirst().orElseThrow();
                        boolean[] wanted = new boolean[total];
                        wanted[target] = true;
                        MemorySegment[] sparse = new MemorySegment[total];
                        for (int i = 0; i < total; i++) {
                            sparse[i] = present[i] || wanted[i] ? shards[i] : null;
                        }
                        shards[target].fill((byte) 0x5a);
                        codec.reconstruct(sparse, present, wanted);
                        assertArrayEquals(expected[target], shards[target].toArray(ValueLayout.JAVA_BYTE),
                                what + ": shard " + target + " rebuilt alone");
                    }
                }
            }
        }
    }

    /** Every set of 1..maxLost of the shards, as bit masks. */
    private static long[] lossPatterns(int shards, int maxLost) {
        return IntStream.range(1, 1 << shards).filter(mask -> Integer.bitCount(mask) <= maxLost).asLongStream().toArray();
    }

    private static byte[][] randomShards(int count, int size, Random random) {
        byte[][] shards = new byte[count][size];
        for (byte[] shard : shards) {
            random.nextBytes(shard);
        }
        return shards;
    }

    private static byte[][] copy(byte[][] shards) {
        return Arrays.stream(shards).map(byte[]::clone).toArray(byte[][]::new);
    }

    private static void assertShardsEqual(byte[][] expected, byte[][] actual, String what) {
        for (int i = 0; i < expected.length; i++) {
            assertArrayEquals(expected[i], actual[i], what + ", shard " + i);
        }
    }

    private static void assertSegmentsEqual(byte[][] expected, MemorySegment[] actual, String what) {
        for (int i = 0; i < expected.length; i++) {
            assertArrayEquals(expected[i], actual[i].toArray(ValueLayout.JAVA_BYTE), what + ", shard " + i);
        }
    }
}
