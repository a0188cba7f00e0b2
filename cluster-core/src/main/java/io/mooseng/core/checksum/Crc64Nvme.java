package io.mooseng.core.checksum;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * CRC-64/NVME (x-amz-checksum-crc64nvme): reflected polynomial 0x9A6C9329AC4BC9B5,
 * initial value and final xor all ones. The JDK has no CRC-64. Slicing-by-8: eight tables
 * take eight bytes per step, several times faster than a byte at a time.
 */
public final class Crc64Nvme {
    /** The polynomial, reflected. */
    static final long POLY = 0x9A6C9329AC4BC9B5L;
    /** TABLES[k][b]: the CRC register after byte b followed by k zero bytes. */
    private static final long[][] TABLES = new long[8][256];

    static {
        for (int i = 0; i < 256; i++) {
            long crc = i;
            for (int bit = 0; bit < 8; bit++) {
                crc = (crc & 1) != 0 ? (crc >>> 1) ^ POLY : crc >>> 1;
            }
            TABLES[0][i] = crc;
        }
        for (int k = 1; k < 8; k++) {
            for (int i = 0; i < 256; i++) {
                long prev = TABLES[k - 1][i];
                TABLES[k][i] = (prev >>> 8) ^ TABLES[0][(int) prev & 0xFF];
            }
        }
    }

    private long crc = -1L;

    /** Takes all of {@code data}'s remaining bytes. */
    public void update(ByteBuffer data) {
        long c = crc;
        ByteBuffer in = data.slice().order(ByteOrder.LITTLE_ENDIAN);
        data.position(data.limit());
        long[] t0 = TABLES[0];
        while (in.remaining() >= Long.BYTES) {
            c ^= in.getLong();
            c = TABLES[7][(int) c & 0xFF] ^ TABLES[6][(int) (c >>> 8) & 0xFF] ^ TABLES[5][(int) (c >>> 16) & 0xFF]
                    ^ TABLES[4][(int) (c >>> 24) & 0xFF] ^ TABLES[3][(int) (c >>> 32) & 0xFF] ^ TABLES[2][(int) (c >>> 40) & 0xFF]
                    ^ TABLES[1][(int) (c >>> 48) & 0xFF] ^ t0[(int) (c >>> 56)];
        }
        while (in.hasRemaining()) {
            c = t0[(int) (c ^ in.get()) & 0xFF] ^ (c >>> 8);
        }
        crc = c;
    }

    public long value() {
        return ~crc;
    }
}
