package io.mooseng.core.chunk.ec;

/**
 * Arithmetic in GF(2^8) with the polynomial x^8 + x^4 + x^3 + x^2 + 1 (0x11d) and
 * generator 2, the field most Reed-Solomon storage codes use.
 *
 * <p>Elements are ints in [0, 255]; arguments outside that range are a caller bug and
 * give undefined results. Addition and subtraction are both XOR. All tables are built
 * once at class initialisation; every method is pure and thread-safe.
 */
public final class GaloisField {
    /** The reducing polynomial, including the x^8 term. */
    public static final int POLYNOMIAL = 0x11d;
    /** Number of field elements. */
    public static final int SIZE = 256;

    /** 2^i for i in [0, 509]: twice the period so log(a) + log(b) needs no modulo. */
    private static final byte[] EXP = new byte[2 * (SIZE - 1)];
    /** log2 of every non-zero element; LOG[0] is unused. */
    private static final int[] LOG = new int[SIZE];
    /** The full multiplication table: MUL[(a << 8) | b] = a * b. */
    private static final byte[] MUL = new byte[SIZE * SIZE];

    static {
        int x = 1;
        for (int i = 0; i < SIZE - 1; i++) {
            EXP[i] = (byte) x;
            EXP[i + SIZE - 1] = (byte) x;
            LOG[x] = i;
            x <<= 1;
            if (x >= SIZE) {
                x ^= POLYNOMIAL;
            }
        }
        for (int a = 1; a < SIZE; a++) {
            for (int b = 1; b < SIZE; b++) {
                MUL[(a << 8) | b] = EXP[LOG[a] + LOG[b]];
            }
        }
    }

    private GaloisField() {
    }

    public static int add(int a, int b) {
        return a ^ b;
    }

    public static int mul(int a, int b) {
        return MUL[(a << 8) | b] & 0xff;
    }

    /** a / b; throws ArithmeticException if b is 0. */
    public static int div(int a, int b) {
        if (b == 0) {
            throw new ArithmeticException("division by zero in GF(2^8)");
        }
        return a == 0 ? 0 : EXP[LOG[a] - LOG[b] + SIZE - 1] & 0xff;
    }

    /** The multiplicative inverse; throws ArithmeticException for 0. */
    public static int inverse(int a) {
        return div(1, a);
    }

    /** a^n for n >= 0 (0^0 = 1). */
    public static int pow(int a, int n) {
        if (n == 0) {
            return 1;
        }
        return a == 0 ? 0 : EXP[(int) ((long) LOG[a] * n % (SIZE - 1))] & 0xff;
    }

    /** 2^n for any n >= 0. */
    public static int exp(int n) {
        return EXP[n % (SIZE - 1)] & 0xff;
    }

    /** log2(a) in [0, 254]; throws ArithmeticException for 0. */
    public static int log(int a) {
        if (a == 0) {
            throw new ArithmeticException("log of zero in GF(2^8)");
        }
        return LOG[a];
    }

    /** A copy of the row {@code c * b} for b in [0, 255]: the lookup table for multiplying by c. */
    public static byte[] multiplicationRow(int c) {
        byte[] row = new byte[SIZE];
        System.arraycopy(MUL, c << 8, row, 0, SIZE);
        return row;
    }
}
