package io.mooseng.s3.auth;

import java.nio.ByteBuffer;

/**
 * CRC-64/NVME (x-amz-checksum-crc64nvme): reflected polynomial 0x9A6C9329AC4BC9B5,
 * initial value and final xor all ones. The JDK has no CRC-64.
 */
public final class Crc64Nvme {
    private static final long[] TABLE = new long[256];

    static {
        for (int i = 0; i < 256; i++) {
            long crc = i;
            for (int bit = 0; bit < 8; bit++) {
                crc = (crc & 1) != 0 ? (crc >>> 1) ^ 0x9A6C9329AC4BC9B5L : crc >>> 1;
            }
            TABLE[i] = crc;
        }
    }

    private long crc = -1L;

    public void update(ByteBuffer data) {
        long c = crc;
        while (data.hasRemaining()) {
            c = TABLE[(int) (c ^ data.get()) & 0xFF] ^ (c >>> 8);
        }
        crc = c;
    }

    public long value() {
        return ~crc;
    }
}
