package io.mooseng.core.chunk.ec;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Systematic Reed-Solomon over GF(2^8). The encoding matrix is an identity over a Cauchy
 * matrix, so every square submatrix of the parity part is invertible and any k of the
 * k + m shards rebuild the block.
 *
 * <p>The Cauchy matrix is rescaled (rows and columns by non-zero factors, which keeps that
 * property) so that the first parity row is all ones, i.e. plain XOR, and every other row
 * uses coefficients with as few high bits as possible, because {@link CodingKernel}'s
 * cost grows with the highest bit of a row's coefficients.
 *
 * <p>Instances are immutable apart from an internal bounded cache of decode kernels, one
 * per pattern of present shards; all methods are thread-safe. Obtain them with
 * {@link #of(int, int)}, which shares one instance per (k, m).
 */
public final class ReedSolomonCodec implements ErasureCodec {
    /** Limit of k + m: the loss pattern is keyed by a 64-bit mask. */
    public static final int MAX_TOTAL_SHARDS = Long.SIZE;
    /** Loss patterns remembered per codec; 8+4 has 793 patterns of one to four losses. */
    private static final int DECODE_CACHE_SIZE = 256;
    private static final Map<Long, ReedSolomonCodec> INSTANCES = new ConcurrentHashMap<>();

    private final int k;
    private final int m;
    /** The (k + m) x k encoding matrix: identity on top of the parity rows. */
    private final GfMatrix encoding;
    private final CodingKernel parityKernel;
    private final LruCache<Long, CodingKernel> decodeKernels = new LruCache<>(DECODE_CACHE_SIZE);

    private ReedSolomonCodec(int k, int m) {
        this.k = k;
        this.m = m;
        GfMatrix parity = parityMatrix(k, m);
        this.encoding = GfMatrix.identity(k).stack(parity);
        this.parityKernel = new CodingKernel(parity);
    }

    /**
     * The codec for k data and m parity shards, shared by all callers.
     *
     * @throws IllegalArgumentException unless k >= 1, m >= 0 and k + m <= {@value #MAX_TOTAL_SHARDS}
     */
    public static ReedSolomonCodec of(int k, int m) {
        if (k < 1 || m < 0 || k + m > MAX_TOTAL_SHARDS) {
            throw new IllegalArgumentException("need 1 <= k, 0 <= m, k + m <= " + MAX_TOTAL_SHARDS + ": " + k + "+" + m);
        }
        return INSTANCES.computeIfAbsent(((long) k << 32) | m, key -> new ReedSolomonCodec(k, m));
    }

    @Override
    public int dataShards() {
        return k;
    }

    @Override
    public int parityShards() {
        return m;
    }

    @Override
    public void encodeParity(byte[][] shards, int offset, int length) {
        checkShards(shards, offset, length);
        if (m == 0) {
            return;
        }
        byte[][] data = new byte[k][];
        byte[][] parity = new byte[m][];
        System.arraycopy(shards, 0, data, 0, k);
        System.arraycopy(shards, k, parity, 0, m);
        parityKernel.apply(data, parity, offset, length);
    }

    @Override
    public void reconstruct(byte[][] shards, boolean[] present, int offset, int length) {
        int total = totalShards();
        if (present.length != total) {
            throw new IllegalArgumentException("present has " + present.length + " flags for " + total + " shards");
        }
        long mask = 0;
        int presentCount = 0;
        for (int i = 0; i < total; i++) {
            if (present[i]) {
                mask |= 1L << i;
                presentCount++;
            }
        }
        if (presentCount < k) {
            throw new IllegalArgumentException("need " + k + " shards to reconstruct, only " + presentCount + " present");
        }
        checkShards(shards, offset, length);
        if (presentCount == total) {
            return;
        }
        int[] used = survivorsUsed(mask);
        int[] lost = lost(mask);
        byte[][] inputs = new byte[k][];
        byte[][] outputs = new byte[lost.length][];
        for (int i = 0; i < k; i++) {
            inputs[i] = shards[used[i]];
        }
        for (int i = 0; i < lost.length; i++) {
            outputs[i] = shards[lost[i]];
        }
        decodeKernels.get(mask, key -> decodeKernel(used, lost)).apply(inputs, outputs, offset, length);
    }

    @Override
    public String toString() {
        return "ReedSolomonCodec[" + k + "+" + m + "]";
    }

    /** Rows that compute the lost shards from the used survivors: E[lost] * inverse(E[used]). */
    private CodingKernel decodeKernel(int[] used, int[] lost) {
        GfMatrix fromSurvivors = encoding.selectRows(used).invert();
        return new CodingKernel(encoding.selectRows(lost).times(fromSurvivors));
    }

    /** The first k present shards: data shards come first, so a lost parity costs no inversion work. */
    private int[] survivorsUsed(long presentMask) {
        int[] used = new int[k];
        for (int i = 0, n = 0; n < k; i++) {
            if ((presentMask >>> i & 1) != 0) {
                used[n++] = i;
            }
        }
        return used;
    }

    private int[] lost(long presentMask) {
        int total = totalShards();
        int[] lost = new int[total - Long.bitCount(presentMask)];
        for (int i = 0, n = 0; i < total; i++) {
            if ((presentMask >>> i & 1) == 0) {
                lost[n++] = i;
            }
        }
        return lost;
    }

    private void checkShards(byte[][] shards, int offset, int length) {
        if (shards.length != totalShards()) {
            throw new IllegalArgumentException("expected " + totalShards() + " shards, got " + shards.length);
        }
        if (offset < 0 || length < 0) {
            throw new IllegalArgumentException("negative offset or length: " + offset + ", " + length);
        }
        for (int i = 0; i < shards.length; i++) {
            if (shards[i] == null || shards[i].length < (long) offset + length) {
                throw new IllegalArgumentException("shard " + i + " is missing or shorter than offset + length");
            }
        }
    }

    /**
     * The m x k parity rows: a Cauchy matrix with columns scaled so that row 0 is all ones
     * and every other row scaled by the factor that keeps its coefficients' bits lowest.
     */
    private static GfMatrix parityMatrix(int k, int m) {
        GfMatrix cauchy = GfMatrix.cauchy(m, k);
        if (m == 0) {
            return cauchy;
        }
        int[] colFactors = new int[k];
        int[] rowFactors = new int[m];
        for (int j = 0; j < k; j++) {
            colFactors[j] = GaloisField.inverse(cauchy.get(0, j));
        }
        for (int r = 0; r < m; r++) {
            rowFactors[r] = cheapestRowFactor(cauchy, r, colFactors);
        }
        return cauchy.scale(rowFactors, colFactors);
    }

    /** The factor f minimising (highest bit, total set bits) over row r's coefficients times f. */
    private static int cheapestRowFactor(GfMatrix cauchy, int r, int[] colFactors) {
        int best = 1;
        long bestCost = Long.MAX_VALUE;
        for (int f = 1; f < GaloisField.SIZE; f++) {
            int topBit = 0;
            int bits = 0;
            for (int j = 0; j < cauchy.cols(); j++) {
                int c = GaloisField.mul(GaloisField.mul(cauchy.get(r, j), colFactors[j]), f);
                topBit = Math.max(topBit, 31 - Integer.numberOfLeadingZeros(c));
                bits += Integer.bitCount(c);
            }
            long cost = ((long) topBit << 32) | bits;
            if (cost < bestCost) {
                bestCost = cost;
                best = f;
            }
        }
        return best;
    }
}
