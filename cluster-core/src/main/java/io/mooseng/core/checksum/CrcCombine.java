package io.mooseng.core.checksum;

/**
 * The CRC of two pieces of content end to end, from the CRC of each and the second's length,
 * without the content: crc(A B) = crc(A) * x^(8 |B|) mod P xor crc(B), for the reflected CRCs
 * whose initial value and final xor are both all ones (CRC-32, CRC-32C, CRC-64/NVME). Polynomials
 * are in reflected order (bit 0 is the highest power), as the table-driven CRCs hold them.
 */
public final class CrcCombine {
    private final long poly;
    private final int width;
    /** x^(2^k) mod P for k = 0..63. */
    private final long[] powers = new long[64];

    private static final CrcCombine CRC32 = new CrcCombine(0xEDB88320L, 32);
    private static final CrcCombine CRC32C = new CrcCombine(0x82F63B78L, 32);
    private static final CrcCombine CRC64NVME = new CrcCombine(Crc64Nvme.POLY, 64);

    private CrcCombine(long poly, int width) {
        this.poly = poly;
        this.width = width;
        powers[0] = 1L << (width - 2); // x^1
        for (int k = 1; k < powers.length; k++) {
            powers[k] = multiply(powers[k - 1], powers[k - 1]);
        }
    }

    /** The combiner of a CRC algorithm. */
    public static CrcCombine of(ChecksumAlgorithm algorithm) {
        return switch (algorithm) {
            case CRC32 -> CRC32;
            case CRC32C -> CRC32C;
            case CRC64NVME -> CRC64NVME;
            default -> throw new IllegalArgumentException(algorithm + " is not a CRC");
        };
    }

    /** crc(A B) given {@code first} = crc(A), {@code second} = crc(B) and {@code secondLength} = |B| in bytes. */
    public long combine(long first, long second, long secondLength) {
        return multiply(xPow8n(secondLength), first) ^ second;
    }

    /** a * b mod P, both reflected. */
    private long multiply(long a, long b) {
        long top = 1L << (width - 1); // x^0
        long product = 0;
        for (long m = top; m != 0; m >>>= 1) {
            if ((a & m) != 0) {
                product ^= b;
            }
            b = (b & 1) != 0 ? (b >>> 1) ^ poly : b >>> 1;
        }
        return product;
    }

    /** x^(8n) mod P: the product of x^(2^k) over the bits of 8n. */
    private long xPow8n(long n) {
        long p = 1L << (width - 1);
        for (int k = 3; n != 0; n >>>= 1, k++) {
            if ((n & 1) != 0) {
                p = multiply(powers[k], p);
            }
        }
        return p;
    }
}
