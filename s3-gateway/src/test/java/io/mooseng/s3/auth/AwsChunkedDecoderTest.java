package io.mooseng.s3.auth;

import io.mooseng.s3.error.S3Error;
import io.mooseng.s3.error.S3Exception;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Map;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** The documented examples (sigv4-streaming and sigv4-streaming-trailers), split every way, and broken framing. */
class AwsChunkedDecoderTest {
    static final String SEED = "4f232c4386841ef735655705268965c44a0e4690baa4adea153f7db9fa80a0a9";
    static final String TRAILER_SEED = "106e2a8a18243abcf37539882f36619c00e2dfc72633413f02d3b74544bfeb8e";
    static final byte[] KEY = SigningKeys.derive(SigV4AuthenticatorTest.SECRET, "20130524", "us-east-1", "s3");

    static ChunkSignatures chain(String seed) {
        return new ChunkSignatures(KEY, "20130524T000000Z", SigV4AuthenticatorTest.SCOPE, seed);
    }

    static byte[] docBody() {
        return concat("10000;chunk-signature=ad80c730a21e5b8d04586a2213dd63b9a0e99e0e2307b0ade35a65485a288648\r\n",
                a(65536), "\r\n400;chunk-signature=0055627c9e194cb4542bae2aa5492e3c1575bbb81b612b7d234b86a503ef5497\r\n",
                a(1024), "\r\n0;chunk-signature=b6c6ea8a5354eaf15b3cb7646744f4275b71ea724fed81ceb9323e279d449df9\r\n\r\n");
    }

    static byte[] docTrailerBody() {
        return concat("10000;chunk-signature=b474d8862b1487a5145d686f57f013e54db672cee1c953b3010fb58501ef5aa2\r\n",
                a(65536), "\r\n400;chunk-signature=1c1344b170168f8e65b41376b44b20fe354e373826ccbbe2c1d40a8cae51e5c7\r\n",
                a(1024), "\r\n0;chunk-signature=2ca2aba2005185cf7159c6277faf83795951dd77a3a99e6e65d5c9f85863f992\r\n",
                "x-amz-checksum-crc32c:sOO8/Q==\r\n",
                "x-amz-trailer-signature:d81f82fc3505edab99d459891051a732e8730629a2e4a59689829ca17fe2e435\r\n\r\n");
    }

    @Test
    void documentedSignedExampleDecodes() {
        byte[] body = docBody();
        assertEquals(66824, body.length);
        assertArrayEquals(a(66560), decode(new AwsChunkedDecoder(chain(SEED), false, 66560), body, body.length));
        assertArrayEquals(a(66560), decode(new AwsChunkedDecoder(chain(SEED), false, 66560), body, 1));
        assertArrayEquals(a(66560), decode(new AwsChunkedDecoder(chain(SEED), false, 66560), body, 4093));
    }

    @Test
    void documentedSignedExampleSplitAroundEveryFramingByte() {
        byte[] body = docBody();
        int[] boundaries = {0, 86 + 65536, 86 + 65536 + 2 + 85 + 1024, body.length};
        for (int boundary : boundaries) {
            for (int at = Math.max(1, boundary - 100); at < Math.min(body.length, boundary + 100); at++) {
                AwsChunkedDecoder d = new AwsChunkedDecoder(chain(SEED), false, 66560);
                assertEquals(66560, decodeSplit(d, body, at).length, "split at " + at);
            }
        }
    }

    @Test
    void documentedTrailerExampleDecodesAndVerifiesTheTrailerSignature() {
        byte[] body = docTrailerBody();
        AwsChunkedDecoder d = new AwsChunkedDecoder(chain(TRAILER_SEED), true, 66560);
        assertArrayEquals(a(66560), decode(d, body, 1000));
        assertEquals(Map.of("x-amz-checksum-crc32c", "sOO8/Q=="), d.trailers());

        byte[] forged = docTrailerBody();
        int at = indexOf(forged, "sOO8/Q==");
        forged[at] = 'X';
        S3Exception e = assertThrows(S3Exception.class, () -> decode(new AwsChunkedDecoder(chain(TRAILER_SEED), true, 66560), forged, 1000));
        assertEquals(S3Error.SIGNATURE_DOES_NOT_MATCH, e.error());
    }

    @Test
    void smallSignedBodyWithTrailerSplitAtEveryPositionAndInSmallPieces() {
        byte[] payload = "hello, chunked world".getBytes(StandardCharsets.UTF_8);
        byte[] body = signedBody(TRAILER_SEED, new int[] {7, 13}, payload, "x-amz-checksum-crc32:AAAAAA==");
        for (int i = 1; i < body.length; i++) {
            // every cut, and a second cut within the next few bytes: lines split three ways
            for (int j = i; j < Math.min(body.length, i + 8); j++) {
                AwsChunkedDecoder d = new AwsChunkedDecoder(chain(TRAILER_SEED), true, payload.length);
                assertArrayEquals(payload, decodeSplit(d, body, i, j), "split at " + i + "," + j);
                assertEquals("AAAAAA==", d.trailers().get("x-amz-checksum-crc32"));
            }
        }
    }

    @Test
    void unsignedBodyWithTrailerSplitAtEveryPosition() {
        byte[] body = "3\r\nabc\r\n2;ext=1\r\nde\r\n0\r\nx-amz-checksum-crc32:NSRBwg==\r\n\r\n".getBytes(StandardCharsets.US_ASCII);
        for (int i = 1; i < body.length; i++) {
            AwsChunkedDecoder d = new AwsChunkedDecoder(null, true, 5);
            assertArrayEquals("abcde".getBytes(StandardCharsets.US_ASCII), decodeSplit(d, body, i));
            assertEquals("NSRBwg==", d.trailers().get("x-amz-checksum-crc32"));
        }
    }

    @Test
    void aBodyEndingAfterItsLastTrailerLineIsAccepted() {
        byte[] body = "3\r\nabc\r\n0\r\nx-amz-checksum-crc32:NSRBwg==\r\n".getBytes(StandardCharsets.US_ASCII);
        AwsChunkedDecoder d = new AwsChunkedDecoder(null, true, 3);
        assertEquals(3, decode(d, body, body.length).length);
    }

    @Test
    void badChunkSignatureIsRefused() {
        byte[] body = docBody();
        body[100] = 'b';
        S3Exception e = assertThrows(S3Exception.class, () -> decode(new AwsChunkedDecoder(chain(SEED), false, 66560), body, 8192));
        assertEquals(S3Error.SIGNATURE_DOES_NOT_MATCH, e.error());
        // chunks replayed under another seed fail at once
        byte[] other = docBody();
        assertThrows(S3Exception.class, () -> decode(new AwsChunkedDecoder(chain(TRAILER_SEED), false, 66560), other, 8192));
    }

    @Test
    void malformedFramingIsRefusedWithTheS3Error() {
        assertMalformed(S3Error.INVALID_CHUNK_SIZE_ERROR, "zz\r\nabc\r\n0\r\n\r\n", 3);
        assertMalformed(S3Error.INVALID_CHUNK_SIZE_ERROR, "\r\nabc\r\n0\r\n\r\n", 3);
        assertMalformed(S3Error.INVALID_CHUNK_SIZE_ERROR, "10\r\nabc\r\n0\r\n\r\n", 3);
        assertMalformed(S3Error.INCOMPLETE_BODY, "3\r\nabcX\r\n0\r\n\r\n", 3);
        assertMalformed(S3Error.INCOMPLETE_BODY, "3\nabc\r\n0\r\n\r\n", 3);
        assertMalformed(S3Error.INCOMPLETE_BODY, "3\r\nabc\r\n", 3);
        assertMalformed(S3Error.INCOMPLETE_BODY, "3\r\nab", 3);
        assertMalformed(S3Error.INCOMPLETE_BODY, "2\r\nab\r\n0\r\n\r\n", 3);
        assertMalformed(S3Error.INCOMPLETE_BODY, "3\r\nabc\r\n0\r\n\r\nmore", 3);
        assertMalformed(S3Error.INCOMPLETE_BODY, "3\r\nabc\r\n0\r\nno-colon\r\n\r\n", 3);
        assertMalformed(S3Error.INCOMPLETE_BODY, "3" + ";x".repeat(AwsChunkedDecoder.MAX_LINE) + "\r\nabc\r\n0\r\n\r\n", 3);
        // a signed body needs a signature on every chunk
        S3Exception e = assertThrows(S3Exception.class, () -> decode(new AwsChunkedDecoder(chain(SEED), false, 3),
                "3\r\nabc\r\n0\r\n\r\n".getBytes(StandardCharsets.US_ASCII), 100));
        assertEquals(S3Error.INCOMPLETE_BODY, e.error());
        // trailers only where the mode announces them
        e = assertThrows(S3Exception.class, () -> decode(new AwsChunkedDecoder(null, false, 3),
                "3\r\nabc\r\n0\r\nx-amz-checksum-crc32:NSRBwg==\r\n\r\n".getBytes(StandardCharsets.US_ASCII), 100));
        assertEquals(S3Error.INCOMPLETE_BODY, e.error());
    }

    @Test
    void decodingAllocatesNoPayloadCopies() {
        byte[] body = "5\r\nhello\r\n0\r\n\r\n".getBytes(StandardCharsets.US_ASCII);
        ByteBuffer in = ByteBuffer.wrap(body);
        new AwsChunkedDecoder(null, true, 5).decode(in, slice -> {
            assertEquals(body, slice.array());
            assertEquals(3, slice.arrayOffset() + slice.position());
        });
    }

    private static void assertMalformed(S3Error expected, String body, long length) {
        byte[] bytes = body.getBytes(StandardCharsets.US_ASCII);
        S3Exception e = assertThrows(S3Exception.class, () -> decode(new AwsChunkedDecoder(null, true, length), bytes, 1 + new Random(body.hashCode()).nextInt(bytes.length)));
        assertEquals(expected, e.error(), e.getMessage());
    }

    /** A signed aws-chunked body with the given chunk sizes, chained from {@code seed}, optionally with one trailer. */
    static byte[] signedBody(String seed, int[] sizes, byte[] payload, String trailer) {
        ChunkSignatures signer = chain(seed);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int offset = 0;
        int[] all = Arrays.copyOf(sizes, sizes.length + 1);
        for (int size : all) {
            byte[] data = Arrays.copyOfRange(payload, offset, offset + size);
            offset += size;
            String sig = signer.nextChunk(Digests.sha256().digest(data));
            out.writeBytes((Integer.toHexString(size) + ";chunk-signature=" + sig + "\r\n").getBytes(StandardCharsets.US_ASCII));
            out.writeBytes(data);
            if (size > 0) {
                out.writeBytes("\r\n".getBytes(StandardCharsets.US_ASCII));
            }
        }
        if (trailer != null) {
            String sig = signer.trailer(Digests.sha256().digest((trailer + "\n").getBytes(StandardCharsets.UTF_8)));
            out.writeBytes((trailer + "\r\nx-amz-trailer-signature:" + sig + "\r\n").getBytes(StandardCharsets.US_ASCII));
        }
        out.writeBytes("\r\n".getBytes(StandardCharsets.US_ASCII));
        return out.toByteArray();
    }

    static byte[] decode(AwsChunkedDecoder d, byte[] body, int pieceSize) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (int off = 0; off < body.length; off += pieceSize) {
            d.decode(ByteBuffer.wrap(body, off, Math.min(pieceSize, body.length - off)), slice -> write(out, slice));
        }
        d.finish();
        return out.toByteArray();
    }

    static byte[] decodeSplit(AwsChunkedDecoder d, byte[] body, int... cuts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int from = 0;
        for (int cut : cuts) {
            d.decode(ByteBuffer.wrap(body, from, cut - from), slice -> write(out, slice));
            from = cut;
        }
        d.decode(ByteBuffer.wrap(body, from, body.length - from), slice -> write(out, slice));
        d.finish();
        return out.toByteArray();
    }

    private static void write(ByteArrayOutputStream out, ByteBuffer slice) {
        byte[] b = new byte[slice.remaining()];
        slice.get(b);
        out.writeBytes(b);
    }

    static byte[] a(int n) {
        byte[] b = new byte[n];
        Arrays.fill(b, (byte) 'a');
        return b;
    }

    static byte[] concat(Object... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (Object p : parts) {
            out.writeBytes(p instanceof byte[] b ? b : ((String) p).getBytes(StandardCharsets.US_ASCII));
        }
        return out.toByteArray();
    }

    static int indexOf(byte[] haystack, String needle) {
        byte[] n = needle.getBytes(StandardCharsets.US_ASCII);
        outer:
        for (int i = 0; i <= haystack.length - n.length; i++) {
            for (int j = 0; j < n.length; j++) {
                if (haystack[i + j] != n[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }
}
