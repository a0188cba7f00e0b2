package io.mooseng.core.chunk.ec;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** Every kernel available here computes the definition of a matrix product over GF(2^8). */
class CompiledMatrixTest {

    /** outputs[r][i] = sum_j M[r][j] * inputs[j][i], one multiplication at a time. */
    private static byte[][] reference(GfMatrix matrix, byte[][] inputs, int offset, int length) {
        byte[][] out = new byte[matrix.rows()][offset + length];
        for (int r = 0; r < matrix.rows(); r++) {
            for (int i = offset; i < offset + length; i++) {
                int sum = 0;
                for (int j = 0; j < matrix.cols(); j++) {
                    sum ^= GaloisField.mul(matrix.get(r, j), inputs[j][i] & 0xff);
                }
                out[r][i] = (byte) sum;
            }
        }
        return out;
    }

    static void assumeAvailable(CodingKernel kernel) {
        assumeTrue(kernel.unavailability().isEmpty(), () -> kernel.key() + " kernel skipped: " + kernel.unavailability().orElseThrow());
    }

    @ParameterizedTest
    @EnumSource(CodingKernel.class)
    void randomMatricesMatchTheDefinition(CodingKernel kernel) {
        assumeAvailable(kernel);
        Random random = new Random(42);
        int[] lengths = {0, 1, 7, 8, 9, 63, 64, 65, 4095, 4096, 4097, 3 * 4096 + 5};
        for (int trial = 0; trial < 120; trial++) {
            int rows = 1 + random.nextInt(10);
            int cols = 1 + random.nextInt(12);
            int[][] cells = new int[rows][cols];
            for (int[] row : cells) {
                for (int j = 0; j < cols; j++) {
                    // mostly random, sometimes 0 or 1 to hit the sparse paths
                    int pick = random.nextInt(10);
                    row[j] = pick == 0 ? 0 : pick == 1 ? 1 : random.nextInt(256);
                }
            }
            GfMatrix matrix = GfMatrix.of(cells);
            int length = lengths[trial % lengths.length];
            int offset = random.nextInt(20);
            byte[][] inputs = new byte[cols][offset + length + random.nextInt(5)];
            for (byte[] in : inputs) {
                random.nextBytes(in);
            }
            byte[][] outputs = new byte[rows][offset + length];
            kernel.compile(matrix).apply(inputs, outputs, offset, length);
            byte[][] expected = reference(matrix, inputs, offset, length);
            for (int r = 0; r < rows; r++) {
                assertArrayEquals(expected[r], outputs[r], "trial " + trial + " row " + r);
            }
        }
    }

    @ParameterizedTest
    @EnumSource(CodingKernel.class)
    void bytesOutsideTheRangeAreLeftAlone(CodingKernel kernel) {
        assumeAvailable(kernel);
        GfMatrix matrix = GfMatrix.cauchy(2, 3);
        byte[][] inputs = {{1, 2, 3, 4, 5}, {6, 7, 8, 9, 10}, {11, 12, 13, 14, 15}};
        byte[][] outputs = {{-1, -1, -1, -1, -1}, {-1, -1, -1, -1, -1}};
        kernel.compile(matrix).apply(inputs, outputs, 1, 3);
        byte[][] expected = reference(matrix, inputs, 1, 3);
        for (int r = 0; r < 2; r++) {
            assertArrayEquals(new byte[] {-1, expected[r][1], expected[r][2], expected[r][3], -1}, outputs[r]);
        }
    }
}
