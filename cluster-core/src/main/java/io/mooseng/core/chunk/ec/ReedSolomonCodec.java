package io.mooseng.core.chunk.ec;

import java.lang.foreign.MemorySegment;
import java.util.Arrays;

/**
 * Systematic Reed-Solomon over GF(2^8). The encoding matrix is an identity over a Cauchy
 * matrix, so every square submatrix of the parity part is invertible and any k of the
 * k + m shards rebuild the block.
 *
 * <p>The Cauchy matrix is rescaled (rows and columns by non-zero factors, which keeps that
 * property) so that the first parity row is all ones, i.e. plain XOR, and every other row
 * uses coefficients with as few high bits as possible, because {@link BitSlicedMatrix}'s
 * cost grows with the highest bit of a row's coefficients (the other kernels do not care).
 *
 * <p>The matrices are this class's; a {@link CodingKernel} only multiplies by them, so every
 * kernel writes the same bytes. Instances are immutable apart from an internal bounded cache
 * of decode matrices, one per pattern of present and wanted shards; all methods are thread-safe.
 * Callers get shared instances from {@link ErasureCodecs#of(int, int)}.
 */
final class ReedSolomonCodec implements ErasureCodec {
    /** Limit of k + m: the loss pattern is keyed by a 64-bit mask. */
    static final int MAX_TOTAL_SHARDS = Long.SIZE;
    /** Loss patterns remembered per codec; 8+4 has 793 patterns of one to four losses. */
    private static final int DECODE_CACHE_SIZE = 256;

    private final int k;
    private final int m;
    private final CodingKernel kernel;
    /** The (k + m) x k encoding matrix: identity on top of the parity rows. */
    private final GfMatrix encoding;
    private final CompiledMatrix parity;
    private final LruCache<Pattern, Rebuild> rebuilds = new LruCache<>(DECODE_CACHE_SIZE);

    /** Which shards are present and which of the absent ones are wanted, as bit masks. */
    private record Pattern(long present, long wanted) {
        long coded() {
            return present | wanted;
        }
    }

    /** How one pattern is rebuilt: the wanted ("lost") shards from the used survivors. */
    private record Rebuild(int[] used, int[] lost, CompiledMatrix matrix) {
    }

    /** @throws IllegalArgumentException unless k >= 1, m >= 0 and k + m <= {@value #MAX_TOTAL_SHARDS} */
    ReedSolomonCodec(int k, int m, CodingKernel kernel) {
        if (k < 1 || m < 0 || k + m > MAX_TOTAL_SHARDS) {
            throw new IllegalArgumentException("need 1 <= k, 0 <= m, k + m <= " + MAX_TOTAL_SHARDS + ": " + k + "+" + m);
        }
        this.k = k;
        this.m = m;
        this.kernel = kernel;
        GfMatrix parityRows = parityMatrix(k, m);
        this.encoding = GfMatrix.identity(k).stack(parityRows);
        this.parity = kernel.compile(parityRows);
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
        if (m > 0) {
            parity.apply(Arrays.copyOf(shards, k), Arrays.copyOfRange(shards, k, k + m), offset, length);
        }
    }

    @Override
    public void encodeParity(MemorySegment[] shards) {
        checkShards(shards);
        if (m > 0) {
            parity.apply(Arrays.copyOf(shards, k), Arrays.copyOfRange(shards, k, k + m));
        }
    }

    @Override
    public void reconstruct(byte[][] shards, boolean[] present, boolean[] wanted, int offset, int length) {
        Pattern pattern = pattern(present, wanted);
        checkShards(shards, offset, length, pattern.coded());
        if (pattern.wanted() != 0) {
            Rebuild rebuild = rebuilds.get(pattern, this::rebuild);
            rebuild.matrix().apply(pick(shards, rebuild.used()), pick(shards, rebuild.lost()), offset, length);
        }
    }

    @Override
    public void reconstruct(MemorySegment[] shards, boolean[] present, boolean[] wanted) {
        Pattern pattern = pattern(present, wanted);
        checkShards(shards, pattern.coded());
        if (pattern.wanted() != 0) {
            Rebuild rebuild = rebuilds.get(pattern, this::rebuild);
            rebuild.matrix().apply(pick(shards, rebuild.used()), pick(shards, rebuild.lost()));
        }
    }

    @Override
    public String toString() {
        return "ReedSolomonCodec[" + k + "+" + m + ", " + kernel.displayName() + "]";
    }

    private Pattern pattern(boolean[] present, boolean[] wanted) {
        checkCount(present.length, "present");
        checkCount(wanted.length, "wanted");
        Pattern pattern = new Pattern(mask(present), mask(wanted));
        int presentCount = Long.bitCount(pattern.present());
        if (presentCount < k) {
            throw new IllegalArgumentException("need " + k + " shards to reconstruct, only " + presentCount + " present");
        }
        long both = pattern.present() & pattern.wanted();
        if (both != 0) {
            throw new IllegalArgumentException("shard " + Long.numberOfTrailingZeros(both) + " is both present and wanted");
        }
        return pattern;
    }

    private static long mask(boolean[] flags) {
        long mask = 0;
        for (int i = 0; i < flags.length; i++) {
            if (flags[i]) {
                mask |= 1L << i;
            }
        }
        return mask;
    }

    /** Rows that compute the wanted shards from the used survivors: E[lost] * inverse(E[used]). */
    private Rebuild rebuild(Pattern pattern) {
        // the first k present shards: data shards come first, so a lost parity costs no inversion work
        int[] used = Arrays.copyOf(indexes(pattern.present()), k);
        int[] lost = indexes(pattern.wanted());
        GfMatrix fromSurvivors = encoding.selectRows(used).invert();
        return new Rebuild(used, lost, kernel.compile(encoding.selectRows(lost).times(fromSurvivors)));
    }

    /** The indexes of the set bits of {@code mask}, in order. */
    private static int[] indexes(long mask) {
        int[] indexes = new int[Long.bitCount(mask)];
        for (int i = 0, n = 0; n < indexes.length; i++) {
            if ((mask >>> i & 1) != 0) {
                indexes[n++] = i;
            }
        }
        return indexes;
    }

    private static <T> T[] pick(T[] shards, int[] indexes) {
        T[] picked = Arrays.copyOf(shards, indexes.length);
        for (int i = 0; i < indexes.length; i++) {
            picked[i] = shards[indexes[i]];
        }
        return picked;
    }

    private void checkShards(byte[][] shards, int offset, int length) {
        checkShards(shards, offset, length, -1L);
    }

    /** The shards of mask {@code coded} (those read or written) exist and are long enough. */
    private void checkShards(byte[][] shards, int offset, int length, long coded) {
        checkCount(shards.length, "shards");
        if (offset < 0 || length < 0) {
            throw new IllegalArgumentException("negative offset or length: " + offset + ", " + length);
        }
        for (int i = 0; i < shards.length; i++) {
            if ((coded >>> i & 1) != 0 && (shards[i] == null || shards[i].length < (long) offset + length)) {
                throw new IllegalArgumentException("shard " + i + " is missing or shorter than offset + length");
            }
        }
    }

    private void checkShards(MemorySegment[] shards) {
        checkShards(shards, -1L);
    }

    /** The segments of mask {@code coded} (those read or written) exist and have one size. */
    private void checkShards(MemorySegment[] shards, long coded) {
        checkCount(shards.length, "shards");
        long size = -1;
        for (int i = 0; i < shards.length; i++) {
            if ((coded >>> i & 1) == 0) {
                continue;
            }
            if (shards[i] == null || (size >= 0 && shards[i].byteSize() != size)) {
                throw new IllegalArgumentException("segment " + i + " is missing or not the size of the others");
            }
            size = shards[i].byteSize();
        }
    }

    private void checkCount(int count, String what) {
        if (count != totalShards()) {
            throw new IllegalArgumentException("expected " + totalShards() + " " + what + ", got " + count);
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
