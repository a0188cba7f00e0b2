package io.mooseng.core.checksum;

import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.HexFormat;

import static org.junit.jupiter.api.Assertions.assertEquals;

class ChecksumAlgorithmTest {

    private static String checksum(ChecksumAlgorithm a, String text) {
        ChecksumAlgorithm.Accumulator acc = a.newAccumulator();
        byte[] bytes = text.getBytes(StandardCharsets.US_ASCII);
        acc.update(ByteBuffer.wrap(bytes, 0, bytes.length / 2));
        acc.update(ByteBuffer.wrap(bytes, bytes.length / 2, bytes.length - bytes.length / 2));
        return HexFormat.of().formatHex(acc.finish());
    }

    @Test
    void checkValuesOfTheCatalogue() {
        // "123456789" is the standard CRC check input
        assertEquals("cbf43926", checksum(ChecksumAlgorithm.CRC32, "123456789"));
        assertEquals("e3069283", checksum(ChecksumAlgorithm.CRC32C, "123456789"));
        assertEquals("ae8b14860a799888", checksum(ChecksumAlgorithm.CRC64NVME, "123456789"));
        assertEquals("f7c3bc1d808e04732adf679965ccc34ca7ae3441", checksum(ChecksumAlgorithm.SHA1, "123456789"));
        assertEquals("15e2b0d3c33891ebb0f1ef609ec419420c20e320ce94c65fbc8c3312448eb225", checksum(ChecksumAlgorithm.SHA256, "123456789"));
    }

    @Test
    void headerNamesRoundTrip() {
        for (ChecksumAlgorithm a : ChecksumAlgorithm.values()) {
            assertEquals(a, ChecksumAlgorithm.fromHeaderName(a.headerName().toUpperCase()));
            assertEquals(a.byteLength(), a.newAccumulator().finish().length);
        }
        assertEquals("NSRBwg==", Base64.getEncoder().encodeToString(HexFormat.of().parseHex(checksum(ChecksumAlgorithm.CRC32, "abc"))));
    }
}
