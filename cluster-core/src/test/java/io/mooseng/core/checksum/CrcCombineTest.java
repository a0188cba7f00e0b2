package io.mooseng.core.checksum;

import io.mooseng.core.model.ObjectChecksum;
import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class CrcCombineTest {
    private static final Random RANDOM = new Random(42);

    /** CRC-64/NVME a bit at a time, straight from its definition, against the sliced tables. */
    private static long bitwiseCrc64Nvme(byte[] data) {
        long crc = -1L;
        for (byte b : data) {
            crc ^= b & 0xFF;
            for (int i = 0; i < 8; i++) {
                crc = (crc & 1) != 0 ? (crc >>> 1) ^ 0x9A6C9329AC4BC9B5L : crc >>> 1;
            }
        }
        return ~crc;
    }

    private static byte[] random(int n) {
        byte[] b = new byte[n];
        RANDOM.nextBytes(b);
        return b;
    }

    @Test
    void slicedCrc64MatchesTheBitwiseDefinitionWhateverTheSplit() {
        for (int n : new int[] {0, 1, 7, 8, 9, 15, 16, 17, 1000, 65_537}) {
            byte[] data = random(n);
            Crc64Nvme crc = new Crc64Nvme();
            int at = 0;
            while (at < n) {
                int piece = Math.min(n - at, 1 + RANDOM.nextInt(40));
                crc.update(ByteBuffer.wrap(data, at, piece));
                at += piece;
            }
            assertEquals(bitwiseCrc64Nvme(data), crc.value(), "length " + n);
            ByteBuffer direct = ByteBuffer.allocateDirect(n).put(data).flip();
            Crc64Nvme whole = new Crc64Nvme();
            whole.update(direct);
            assertEquals(bitwiseCrc64Nvme(data), whole.value());
            assertEquals(0, direct.remaining());
        }
        // the CRC catalogue's check value of CRC-64/NVME
        assertEquals(0xae8b14860a799888L, bitwiseCrc64Nvme("123456789".getBytes()));
    }

    @Test
    void partsCombineIntoTheWholeContentsCrc() {
        for (ChecksumAlgorithm a : List.of(ChecksumAlgorithm.CRC32, ChecksumAlgorithm.CRC32C, ChecksumAlgorithm.CRC64NVME)) {
            byte[] whole = random((5 << 20) + 300_000);
            int[] cuts = {0, 1, 100_000, 100_008, 250_000, (5 << 20) + 250_000, (5 << 20) + 300_000};
            List<ObjectChecksum> parts = new ArrayList<>();
            List<Long> sizes = new ArrayList<>();
            for (int i = 0; i + 1 < cuts.length; i++) {
                byte[] part = Arrays.copyOfRange(whole, cuts[i], cuts[i + 1]);
                parts.add(ObjectChecksum.of(a, a.of(part)));
                sizes.add((long) part.length);
            }
            ObjectChecksum full = ObjectChecksum.ofParts(a, ChecksumType.FULL_OBJECT, parts, sizes);
            assertArrayEquals(a.of(whole), full.value(), a.name());
            assertEquals(ChecksumType.FULL_OBJECT, full.type());
        }
    }

    @Test
    void aCompositeIsTheChecksumOfThePartChecksums() {
        byte[] p1 = "hello ".getBytes();
        byte[] p2 = "world".getBytes();
        ChecksumAlgorithm a = ChecksumAlgorithm.SHA256;
        ObjectChecksum c = ObjectChecksum.ofParts(a, ChecksumType.COMPOSITE,
                List.of(ObjectChecksum.of(a, a.of(p1)), ObjectChecksum.of(a, a.of(p2))), List.of(6L, 5L));
        byte[] both = ByteBuffer.allocate(64).put(a.of(p1)).put(a.of(p2)).array();
        assertArrayEquals(a.of(both), c.value());
        assertEquals(2, c.partCount());
        assertEquals(java.util.Base64.getEncoder().encodeToString(a.of(both)) + "-2", c.text());
        // CRC32 of "abc" is 352441c2: base64 NSRBwg==
        assertEquals("NSRBwg==", ObjectChecksum.of(ChecksumAlgorithm.CRC32, HexFormat.of().parseHex("352441c2")).text());
    }

    @Test
    void digestsHaveNoFullObjectMultipartValueAndEveryPartNeedsOne() {
        ChecksumAlgorithm a = ChecksumAlgorithm.SHA1;
        List<ObjectChecksum> parts = List.of(ObjectChecksum.of(a, a.of(new byte[1])));
        assertThrows(IllegalArgumentException.class, () -> ObjectChecksum.ofParts(a, ChecksumType.FULL_OBJECT, parts, List.of(1L)));
        List<ObjectChecksum> missing = new ArrayList<>();
        missing.add(null);
        assertThrows(IllegalArgumentException.class, () -> ObjectChecksum.ofParts(ChecksumAlgorithm.CRC32, ChecksumType.COMPOSITE,
                missing, List.of(1L)));
    }
}
