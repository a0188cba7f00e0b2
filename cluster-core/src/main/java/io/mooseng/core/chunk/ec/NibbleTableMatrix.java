package io.mooseng.core.chunk.ec;

import jdk.incubator.vector.ByteVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

import java.util.Optional;

/**
 * The {@link CodingKernel#VECTOR} kernel: the split-table multiply of ISA-L on the Vector
 * API. Since {@code c * x = c * (x & 0x0f) ^ c * (x & 0xf0)} in GF(2^8), each coefficient
 * becomes two 16-entry product tables, and a whole vector of bytes is multiplied by two
 * byte shuffles (pshufb, vpermb) indexed by its low and high nibbles.
 *
 * <p>Loop order, measured on AVX-512: for each cache-sized chunk, for each pair of output
 * rows, for each input, one pass over the chunk. The pass keeps the input's four tables in
 * registers and splits each input vector into nibbles once for both rows; accumulating in
 * the output chunk (in L1) beat keeping k inputs' tables in flight per vector. The chunk
 * keeps the inputs in L1 for every pair after the first. Bytes past the last whole vector
 * are multiplied one at a time.
 */
final class NibbleTableMatrix implements CompiledMatrix {
    private static final VectorSpecies<Byte> SPECIES = ByteVector.SPECIES_PREFERRED;
    private static final int LANES = SPECIES.length();
    /** Bytes of input and output chunks that should fit the L1 data cache together. */
    private static final int L1_BYTES = 32 << 10;
    private static final int NIBBLE_VALUES = 16;

    private final GfMatrix matrix;
    /**
     * For row r and input j at {@code 2 * LANES * (r * inputs + j)}: the products of the
     * coefficient with every low nibble, then with every high nibble, each 16-entry table
     * repeated to fill a vector (byte shuffles may index within 128-bit lanes).
     */
    private final byte[] tables;
    /** Bytes per shard per chunk: a multiple of the vector length. */
    private final int chunk;

    NibbleTableMatrix(GfMatrix matrix) {
        this.matrix = matrix;
        int inputs = matrix.cols();
        this.tables = new byte[2 * LANES * matrix.rows() * inputs];
        for (int r = 0; r < matrix.rows(); r++) {
            for (int j = 0; j < inputs; j++) {
                int at = tableIndex(r, j);
                for (int lane = 0; lane < LANES; lane++) {
                    int nibble = lane % NIBBLE_VALUES;
                    tables[at + lane] = (byte) GaloisField.mul(matrix.get(r, j), nibble);
                    tables[at + LANES + lane] = (byte) GaloisField.mul(matrix.get(r, j), nibble << 4);
                }
            }
        }
        this.chunk = Math.max(LANES, L1_BYTES / (inputs + 2) / LANES * LANES);
    }

    /** Why the preferred vector shape cannot hold a 16-entry table, or empty if it can. */
    static Optional<String> unsupported() {
        return LANES >= NIBBLE_VALUES ? Optional.empty()
                : Optional.of("the preferred byte vector has " + LANES + " lanes, fewer than a 16-entry table");
    }

    @Override
    public void apply(byte[][] inputs, byte[][] outputs, int offset, int length) {
        int end = offset + length;
        int vectorEnd = end - length % LANES;
        for (int from = offset; from < vectorEnd; from += chunk) {
            int to = Math.min(from + chunk, vectorEnd);
            for (int r = 0; r < outputs.length; r += 2) {
                multiplyRows(r, Math.min(r + 1, outputs.length - 1), inputs, outputs, from, to);
            }
        }
        multiplyBytes(inputs, outputs, vectorEnd, end);
    }

    /** Rows r0 and r1 of [from, to), a multiple of the vector length; r1 == r0 computes one row. */
    private void multiplyRows(int r0, int r1, byte[][] inputs, byte[][] outputs, int from, int to) {
        boolean pair = r1 != r0;
        byte[] out0 = outputs[r0];
        byte[] out1 = outputs[r1];
        for (int j = 0; j < inputs.length; j++) {
            byte[] in = inputs[j];
            boolean first = j == 0;
            ByteVector low0 = table(r0, j, 0);
            ByteVector high0 = table(r0, j, LANES);
            ByteVector low1 = table(r1, j, 0);
            ByteVector high1 = table(r1, j, LANES);
            for (int i = from; i < to; i += LANES) {
                ByteVector x = ByteVector.fromArray(SPECIES, in, i);
                ByteVector low = x.and((byte) 0x0f);
                // bytes have no shift instruction: shift 16-bit lanes, then mask off what crossed over
                ByteVector high = x.reinterpretAsShorts().lanewise(VectorOperators.LSHR, 4).reinterpretAsBytes().and((byte) 0x0f);
                accumulate(low.selectFrom(low0).lanewise(VectorOperators.XOR, high.selectFrom(high0)), out0, i, first);
                if (pair) {
                    accumulate(low.selectFrom(low1).lanewise(VectorOperators.XOR, high.selectFrom(high1)), out1, i, first);
                }
            }
        }
    }

    /** out[i..] = product on the first input, out[i..] ^= product on the others. */
    private static void accumulate(ByteVector product, byte[] out, int i, boolean first) {
        (first ? product : product.lanewise(VectorOperators.XOR, ByteVector.fromArray(SPECIES, out, i))).intoArray(out, i);
    }

    private ByteVector table(int r, int j, int half) {
        return ByteVector.fromArray(SPECIES, tables, tableIndex(r, j) + half);
    }

    private int tableIndex(int r, int j) {
        return 2 * LANES * (r * matrix.cols() + j);
    }

    /** [from, to) of every row, one byte at a time: the tail shorter than a vector. */
    private void multiplyBytes(byte[][] inputs, byte[][] outputs, int from, int to) {
        for (int r = 0; r < outputs.length; r++) {
            for (int i = from; i < to; i++) {
                int sum = 0;
                for (int j = 0; j < inputs.length; j++) {
                    sum ^= GaloisField.mul(matrix.get(r, j), inputs[j][i] & 0xff);
                }
                outputs[r][i] = (byte) sum;
            }
        }
    }
}
