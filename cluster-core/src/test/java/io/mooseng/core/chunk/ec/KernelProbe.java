package io.mooseng.core.chunk.ec;

/**
 * Run in a child JVM by {@link CodingKernelTest}: prints the kernel that JVM chose and the
 * CRC of a fixed 8+4 parity, to show the choice works with whatever flags it was given.
 */
public final class KernelProbe {
    private KernelProbe() {
    }

    public static void main(String[] args) {
        System.out.println(ErasureCodecs.kernel());
        System.out.println(ReedSolomonCodecTest.parityCrc8Plus4(ErasureCodecs.of(8, 4)));
    }
}
