package io.mooseng.core.chunk.ec;

import org.junit.jupiter.api.Test;

import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class GfMatrixTest {

    @Test
    void inverseTimesMatrixIsIdentity() {
        Random random = new Random(7);
        for (int n = 1; n <= 12; n++) {
            GfMatrix cauchy = GfMatrix.cauchy(n, n);
            assertEquals(GfMatrix.identity(n), cauchy.times(cauchy.invert()));
            assertEquals(GfMatrix.identity(n), cauchy.invert().times(cauchy));
            int[] rowFactors = random.ints(n, 1, 256).toArray();
            int[] colFactors = random.ints(n, 1, 256).toArray();
            GfMatrix scaled = cauchy.scale(rowFactors, colFactors);
            assertEquals(GfMatrix.identity(n), scaled.times(scaled.invert()));
        }
    }

    @Test
    void everySquareSubmatrixOfACauchyMatrixIsInvertible() {
        GfMatrix cauchy = GfMatrix.cauchy(4, 10);
        for (int rowMask = 1; rowMask < 1 << 4; rowMask++) {
            int[] rows = bits(rowMask);
            for (int colMask = 1; colMask < 1 << 10; colMask++) {
                int[] cols = bits(colMask);
                if (cols.length == rows.length) {
                    GfMatrix sub = submatrix(cauchy, rows, cols);
                    assertEquals(GfMatrix.identity(rows.length), sub.times(sub.invert()));
                }
            }
        }
    }

    @Test
    void singularMatrixIsRejected() {
        GfMatrix twoEqualRows = GfMatrix.cauchy(3, 3).selectRows(new int[] {0, 1, 0});
        assertThrows(IllegalArgumentException.class, twoEqualRows::invert);
        assertThrows(IllegalArgumentException.class, () -> GfMatrix.cauchy(2, 3).invert());
    }

    private static int[] bits(int mask) {
        int[] out = new int[Integer.bitCount(mask)];
        for (int i = 0, n = 0; n < out.length; i++) {
            if ((mask >>> i & 1) != 0) {
                out[n++] = i;
            }
        }
        return out;
    }

    private static GfMatrix submatrix(GfMatrix m, int[] rows, int[] cols) {
        int[][] cells = new int[rows.length][cols.length];
        for (int i = 0; i < rows.length; i++) {
            for (int j = 0; j < cols.length; j++) {
                cells[i][j] = m.get(rows[i], cols[j]);
            }
        }
        return GfMatrix.of(cells);
    }
}
