package io.mooseng.core.chunk.ec;

import java.util.Arrays;

/** An immutable matrix over GF(2^8), just what building and inverting coding matrices needs. */
final class GfMatrix {
    private final int rows;
    private final int cols;
    private final byte[][] cells;

    private GfMatrix(int cols, byte[][] cells) {
        this.rows = cells.length;
        this.cols = cols;
        this.cells = cells;
    }

    /** A matrix with the given cells, each in [0, 255]; rows must have equal lengths. */
    static GfMatrix of(int[][] cells) {
        int cols = cells.length == 0 ? 0 : cells[0].length;
        byte[][] c = new byte[cells.length][cols];
        for (int i = 0; i < cells.length; i++) {
            if (cells[i].length != cols) {
                throw new IllegalArgumentException("ragged matrix");
            }
            for (int j = 0; j < cols; j++) {
                c[i][j] = (byte) cells[i][j];
            }
        }
        return new GfMatrix(cols, c);
    }

    static GfMatrix identity(int n) {
        byte[][] c = new byte[n][n];
        for (int i = 0; i < n; i++) {
            c[i][i] = 1;
        }
        return new GfMatrix(n, c);
    }

    /**
     * The rows x cols Cauchy matrix 1 / (x_i + y_j) with y_j = j and x_i = cols + i. All
     * x and y are distinct, so every square submatrix is invertible: stacked under an
     * identity it gives a code where any cols of the rows + cols rows are independent.
     */
    static GfMatrix cauchy(int rows, int cols) {
        if (rows + cols > GaloisField.SIZE) {
            throw new IllegalArgumentException("a Cauchy matrix over GF(2^8) needs rows + cols <= 256");
        }
        byte[][] c = new byte[rows][cols];
        for (int i = 0; i < rows; i++) {
            for (int j = 0; j < cols; j++) {
                c[i][j] = (byte) GaloisField.inverse((cols + i) ^ j);
            }
        }
        return new GfMatrix(cols, c);
    }

    int rows() {
        return rows;
    }

    int cols() {
        return cols;
    }

    int get(int row, int col) {
        return cells[row][col] & 0xff;
    }

    /** Cell (i, j) multiplied by rowFactors[i] * colFactors[j]; non-zero factors keep every minor's rank. */
    GfMatrix scale(int[] rowFactors, int[] colFactors) {
        byte[][] c = new byte[rows][cols];
        for (int i = 0; i < rows; i++) {
            for (int j = 0; j < cols; j++) {
                c[i][j] = (byte) GaloisField.mul(GaloisField.mul(get(i, j), rowFactors[i]), colFactors[j]);
            }
        }
        return new GfMatrix(cols, c);
    }

    /** This matrix with {@code below}'s rows appended. */
    GfMatrix stack(GfMatrix below) {
        if (below.cols != cols) {
            throw new IllegalArgumentException("cannot stack " + below.cols + " columns under " + cols);
        }
        byte[][] c = new byte[rows + below.rows][];
        for (int i = 0; i < rows; i++) {
            c[i] = cells[i].clone();
        }
        for (int i = 0; i < below.rows; i++) {
            c[rows + i] = below.cells[i].clone();
        }
        return new GfMatrix(cols, c);
    }

    /** The matrix made of the given rows, in the given order. */
    GfMatrix selectRows(int[] rowIndexes) {
        byte[][] c = new byte[rowIndexes.length][];
        for (int i = 0; i < rowIndexes.length; i++) {
            c[i] = cells[rowIndexes[i]].clone();
        }
        return new GfMatrix(cols, c);
    }

    GfMatrix times(GfMatrix other) {
        if (cols != other.rows) {
            throw new IllegalArgumentException("cannot multiply " + rows + "x" + cols + " by " + other.rows + "x" + other.cols);
        }
        byte[][] c = new byte[rows][other.cols];
        for (int i = 0; i < rows; i++) {
            for (int j = 0; j < other.cols; j++) {
                int sum = 0;
                for (int t = 0; t < cols; t++) {
                    sum ^= GaloisField.mul(get(i, t), other.get(t, j));
                }
                c[i][j] = (byte) sum;
            }
        }
        return new GfMatrix(other.cols, c);
    }

    /** The inverse by Gauss-Jordan elimination; throws IllegalArgumentException if singular. */
    GfMatrix invert() {
        if (rows != cols) {
            throw new IllegalArgumentException("only square matrices invert: " + rows + "x" + cols);
        }
        int n = rows;
        byte[][] a = new byte[n][];
        byte[][] inv = identity(n).cells;
        for (int i = 0; i < n; i++) {
            a[i] = cells[i].clone();
        }
        for (int col = 0; col < n; col++) {
            int pivot = col;
            while (pivot < n && a[pivot][col] == 0) {
                pivot++;
            }
            if (pivot == n) {
                throw new IllegalArgumentException("matrix is singular");
            }
            swap(a, col, pivot);
            swap(inv, col, pivot);
            int scale = GaloisField.inverse(a[col][col] & 0xff);
            scaleRow(a[col], scale);
            scaleRow(inv[col], scale);
            for (int r = 0; r < n; r++) {
                int factor = a[r][col] & 0xff;
                if (r != col && factor != 0) {
                    subtractScaled(a[r], a[col], factor);
                    subtractScaled(inv[r], inv[col], factor);
                }
            }
        }
        return new GfMatrix(n, inv);
    }

    private static void swap(byte[][] m, int i, int j) {
        byte[] t = m[i];
        m[i] = m[j];
        m[j] = t;
    }

    private static void scaleRow(byte[] row, int factor) {
        for (int j = 0; j < row.length; j++) {
            row[j] = (byte) GaloisField.mul(row[j] & 0xff, factor);
        }
    }

    /** row -= factor * source (subtraction is XOR). */
    private static void subtractScaled(byte[] row, byte[] source, int factor) {
        for (int j = 0; j < row.length; j++) {
            row[j] ^= (byte) GaloisField.mul(source[j] & 0xff, factor);
        }
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof GfMatrix m && Arrays.deepEquals(cells, m.cells);
    }

    @Override
    public int hashCode() {
        return Arrays.deepHashCode(cells);
    }

    @Override
    public String toString() {
        return Arrays.deepToString(cells);
    }
}
