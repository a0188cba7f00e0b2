package io.mooseng.core.chunk.ec;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.LongBuffer;
import java.util.Arrays;

/**
 * The {@link CodingKernel#SCALAR} kernel: a matrix compiled into a loop plan over longs,
 * needing neither the Vector API nor native code.
 *
 * <p>How, and why not lookup tables: each output row is evaluated by Horner's rule over
 * the bits of its coefficients, {@code acc = 2 * acc + XOR(inputs whose coefficient has
 * bit b)} from the row's highest bit down to bit 0. Doubling is a carry-less shift with
 * a conditional XOR of 0x1d, done on eight bytes per long, and every pass is a plain loop
 * over long arrays that HotSpot's C2 compiles to SIMD. The classic per-byte
 * multiplication-table loop is bound by a table load per byte and input; this is several
 * times faster (docs/BENCHMARKS.md). Shards are copied into long buffers
 * one cache-sized chunk at a time, so every row is computed from inputs that sit in L1.
 */
final class BitSlicedMatrix implements CompiledMatrix {
    /** Longs per chunk buffer: 4 KiB, so k inputs plus the accumulator stay in L1/L2. */
    private static final int CHUNK_LONGS = 512;
    private static final int CHUNK_BYTES = CHUNK_LONGS * Long.BYTES;
    /** Inputs XORed per pass; bounds the number of loop shapes below. */
    private static final int FAN_IN = 4;
    private static final long LOW7 = 0x7f7f7f7f7f7f7f7fL;
    private static final long HIGH = 0x8080808080808080L;
    private static final long REDUCE = 0x1d1d1d1d1d1d1d1dL;

    private final int inputCount;
    private final int outputCount;
    /** levels[r][b]: indexes of the inputs whose coefficient in row r has bit b set. */
    private final int[][][] levels;
    /** topBit[r]: highest coefficient bit set in row r, -1 for an all-zero row. */
    private final int[] topBit;

    BitSlicedMatrix(GfMatrix matrix) {
        this.inputCount = matrix.cols();
        this.outputCount = matrix.rows();
        this.levels = new int[outputCount][Byte.SIZE][];
        this.topBit = new int[outputCount];
        for (int r = 0; r < outputCount; r++) {
            topBit[r] = -1;
            for (int b = 0; b < Byte.SIZE; b++) {
                int[] set = new int[inputCount];
                int size = 0;
                for (int j = 0; j < inputCount; j++) {
                    if ((matrix.get(r, j) >>> b & 1) != 0) {
                        set[size++] = j;
                    }
                }
                levels[r][b] = Arrays.copyOf(set, size);
                if (size > 0) {
                    topBit[r] = b;
                }
            }
        }
    }

    @Override
    public void apply(byte[][] inputs, byte[][] outputs, int offset, int length) {
        if (inputs.length != inputCount || outputs.length != outputCount) {
            throw new IllegalArgumentException("kernel takes " + inputCount + " inputs and " + outputCount + " outputs");
        }
        int bufferLongs = Math.min(CHUNK_LONGS, (length + Long.BYTES - 1) / Long.BYTES);
        long[][] words = new long[inputCount][bufferLongs];
        long[] acc = new long[bufferLongs];
        LongBuffer[] in = views(inputs, offset, length);
        LongBuffer[] out = views(outputs, offset, length);
        for (int done = 0; done < length; done += CHUNK_BYTES) {
            int n = Math.min(CHUNK_BYTES, length - done);
            int count = (n + Long.BYTES - 1) / Long.BYTES;
            for (int j = 0; j < inputCount; j++) {
                load(in[j], inputs[j], offset, done, n, words[j]);
            }
            for (int r = 0; r < outputCount; r++) {
                computeRow(r, words, acc, count);
                store(acc, out[r], outputs[r], offset, done, n);
            }
        }
    }

    /** acc = row r of the matrix times the input words, by Horner's rule over coefficient bits. */
    private void computeRow(int r, long[][] words, long[] acc, int n) {
        Arrays.fill(acc, 0, n, 0L);
        for (int b = topBit[r]; b >= 0; b--) {
            int[] set = levels[r][b];
            int done = 0;
            if (b != topBit[r]) {
                done = Math.min(FAN_IN, set.length);
                doubleAndXor(acc, words, set, done, n);
            }
            for (; done < set.length; done += FAN_IN) {
                xorInto(acc, words, set, done, Math.min(FAN_IN, set.length - done), n);
            }
        }
    }

    /** Little-endian views of [offset, offset + length) of each shard, for bulk long copies. */
    private static LongBuffer[] views(byte[][] shards, int offset, int length) {
        LongBuffer[] views = new LongBuffer[shards.length];
        for (int i = 0; i < shards.length; i++) {
            views[i] = ByteBuffer.wrap(shards[i], offset, length).slice().order(ByteOrder.LITTLE_ENDIAN).asLongBuffer();
        }
        return views;
    }

    /** Reads n bytes from chunk start {@code done} of the range into dst, zero-padding a partial last long. */
    private static void load(LongBuffer view, byte[] shard, int offset, int done, int n, long[] dst) {
        int full = n / Long.BYTES;
        view.get(done / Long.BYTES, dst, 0, full);
        int tail = n % Long.BYTES;
        if (tail > 0) {
            long v = 0;
            for (int t = 0, p = offset + done + full * Long.BYTES; t < tail; t++) {
                v |= (shard[p + t] & 0xffL) << (t * Byte.SIZE);
            }
            dst[full] = v;
        }
    }

    /** Writes n bytes of src to chunk start {@code done} of the range. */
    private static void store(long[] src, LongBuffer view, byte[] shard, int offset, int done, int n) {
        int full = n / Long.BYTES;
        view.put(done / Long.BYTES, src, 0, full);
        int tail = n % Long.BYTES;
        for (int t = 0, p = offset + done + full * Long.BYTES; t < tail; t++) {
            shard[p + t] = (byte) (src[full] >>> (t * Byte.SIZE));
        }
    }

    /** acc = 2 * acc ^ words[set[0..count)], for count in [0, FAN_IN]. */
    private static void doubleAndXor(long[] acc, long[][] w, int[] set, int count, int n) {
        switch (count) {
            case 0 -> double0(acc, n);
            case 1 -> double1(acc, w[set[0]], n);
            case 2 -> double2(acc, w[set[0]], w[set[1]], n);
            case 3 -> double3(acc, w[set[0]], w[set[1]], w[set[2]], n);
            default -> double4(acc, w[set[0]], w[set[1]], w[set[2]], w[set[3]], n);
        }
    }

    /** acc ^= words[set[from..from + count)], for count in [1, FAN_IN]. */
    private static void xorInto(long[] acc, long[][] w, int[] set, int from, int count, int n) {
        switch (count) {
            case 1 -> xor1(acc, w[set[from]], n);
            case 2 -> xor2(acc, w[set[from]], w[set[from + 1]], n);
            case 3 -> xor3(acc, w[set[from]], w[set[from + 1]], w[set[from + 2]], n);
            default -> xor4(acc, w[set[from]], w[set[from + 1]], w[set[from + 2]], w[set[from + 3]], n);
        }
    }

    /**
     * Multiplies each of the eight bytes of x by 2 in GF(2^8): shift left within the byte,
     * and where the top bit fell out, XOR in 0x1d. {@code (h << 1) - (h >>> 7)} turns each
     * set top bit into a 0xff byte mask without a multiply or any carry between bytes.
     */
    private static long times2(long x) {
        long h = x & HIGH;
        return ((x & LOW7) << 1) ^ (((h << 1) - (h >>> 7)) & REDUCE);
    }

    // One loop per shape so that C2 vectorises each; they differ only in arity.

    private static void double0(long[] acc, int n) {
        for (int i = 0; i < n; i++) {
            acc[i] = times2(acc[i]);
        }
    }

    private static void double1(long[] acc, long[] a, int n) {
        for (int i = 0; i < n; i++) {
            acc[i] = times2(acc[i]) ^ a[i];
        }
    }

    private static void double2(long[] acc, long[] a, long[] b, int n) {
        for (int i = 0; i < n; i++) {
            acc[i] = times2(acc[i]) ^ a[i] ^ b[i];
        }
    }

    private static void double3(long[] acc, long[] a, long[] b, long[] c, int n) {
        for (int i = 0; i < n; i++) {
            acc[i] = times2(acc[i]) ^ a[i] ^ b[i] ^ c[i];
        }
    }

    private static void double4(long[] acc, long[] a, long[] b, long[] c, long[] d, int n) {
        for (int i = 0; i < n; i++) {
            acc[i] = times2(acc[i]) ^ a[i] ^ b[i] ^ c[i] ^ d[i];
        }
    }

    private static void xor1(long[] acc, long[] a, int n) {
        for (int i = 0; i < n; i++) {
            acc[i] ^= a[i];
        }
    }

    private static void xor2(long[] acc, long[] a, long[] b, int n) {
        for (int i = 0; i < n; i++) {
            acc[i] ^= a[i] ^ b[i];
        }
    }

    private static void xor3(long[] acc, long[] a, long[] b, long[] c, int n) {
        for (int i = 0; i < n; i++) {
            acc[i] ^= a[i] ^ b[i] ^ c[i];
        }
    }

    private static void xor4(long[] acc, long[] a, long[] b, long[] c, long[] d, int n) {
        for (int i = 0; i < n; i++) {
            acc[i] ^= a[i] ^ b[i] ^ c[i] ^ d[i];
        }
    }
}
