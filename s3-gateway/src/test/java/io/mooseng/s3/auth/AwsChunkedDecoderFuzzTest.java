package io.mooseng.s3.auth;

import io.mooseng.core.fuzz.Fuzz;
import io.mooseng.core.fuzz.Mutations;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;

import static io.mooseng.s3.auth.AwsChunkedDecoderTest.SEED;
import static io.mooseng.s3.auth.AwsChunkedDecoderTest.TRAILER_SEED;
import static io.mooseng.s3.auth.AwsChunkedDecoderTest.chain;
import static io.mooseng.s3.error.ParserOutcomes.resultOrClientError;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * aws-chunked bodies of random payloads and chunk sizes, signed or not, cut into random reads,
 * then mutated (sizes, signatures, trailers, truncation). Properties: a valid body decodes to
 * its payload however it is cut; any body either decodes or fails with an S3 4xx; a signed
 * body that decodes decodes to exactly its payload (no change passes the signatures); what
 * decoding allocates grows with the bytes fed (a signature's strings per chunk, the copies
 * made here), never with the sizes a body claims.
 */
class AwsChunkedDecoderFuzzTest {
    private static final List<String> DICTIONARY = List.of("\r\n", "\n", "\r", ";", "chunk-signature=", ";chunk-signature=",
            "0\r\n", "0\r\n\r\n", "ffffffffffffffff", "x-amz-checksum-crc32:AAAAAA==\r\n", "x-amz-trailer-signature:", ":", "=",
            "0".repeat(64), "\r\n\r\n");

    private record Body(byte[] bytes, byte[] payload, boolean signed, boolean trailers) {
        AwsChunkedDecoder decoder() {
            return new AwsChunkedDecoder(signed ? chain(trailers ? TRAILER_SEED : SEED) : null, trailers, payload.length);
        }
    }

    @Test
    void validBodiesDecodeToTheirPayloadHoweverCut() {
        Fuzz.check("aws-chunked valid", 400, r -> {
            Body body = body(r);
            assertArrayEquals(body.payload(), decode(body.decoder(), Mutations.pieces(r, body.bytes())));
        });
    }

    @Test
    void mutatedBodiesDecodeOrFailWithAnS3ClientError() {
        Fuzz.check("aws-chunked mutated", 3000, r -> {
            Body body = body(r);
            byte[] mutated = Mutations.mutate(r, body.bytes(), DICTIONARY);
            long before = Fuzz.allocatedBytes();
            resultOrClientError(() -> {
                byte[] decoded = decode(body.decoder(), Mutations.pieces(r, mutated));
                if (body.signed()) {
                    assertArrayEquals(body.payload(), decoded, "a changed signed body passed its signatures");
                }
            });
            long allocated = Fuzz.allocatedBytes() - before;
            assertTrue(allocated < 256 * 1024 + 64L * mutated.length, () -> allocated + " bytes allocated for " + mutated.length);
        });
    }

    @Test
    void randomBytesFailWithAnS3ClientError() {
        Fuzz.check("aws-chunked random", 2000, r -> {
            byte[] junk = r.nextBoolean() ? Mutations.randomBytes(r, 256)
                    : Mutations.randomText(r, "0123456789abcdefABCDEF;=\r\n:chunk-signature", 200).getBytes();
            resultOrClientError(() -> decode(new AwsChunkedDecoder(r.nextBoolean() ? chain(SEED) : null, r.nextBoolean(),
                    r.nextLong(1 << 20)), Mutations.pieces(r, junk)));
        });
    }

    /** A body of up to 3 KiB in chunks of random sizes; signed bodies with or without one trailer. */
    private static Body body(SplittableRandom r) {
        byte[] payload = Mutations.randomBytes(r, 3000);
        int[] sizes = chunkSizes(r, payload.length);
        boolean signed = r.nextBoolean();
        boolean trailers = r.nextBoolean();
        String trailer = trailers ? "x-amz-checksum-crc32:" + Mutations.randomText(r, "ABCDEFabcdef0123456789+/=", 12) : null;
        if (signed) {
            return new Body(AwsChunkedDecoderTest.signedBody(trailers ? TRAILER_SEED : SEED, sizes, payload, trailer), payload, true, trailers);
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int offset = 0;
        for (int size : sizes) {
            out.writeBytes((Integer.toHexString(size) + (r.nextInt(4) == 0 ? ";ext=" + r.nextInt(9) : "") + "\r\n").getBytes());
            out.write(payload, offset, size);
            out.writeBytes("\r\n".getBytes());
            offset += size;
        }
        out.writeBytes(("0\r\n" + (trailer == null ? "" : trailer + "\r\n") + "\r\n").getBytes());
        return new Body(out.toByteArray(), payload, false, trailers);
    }

    private static int[] chunkSizes(SplittableRandom r, int total) {
        int[] sizes = new int[0];
        for (int left = total; left > 0; ) {
            int size = 1 + r.nextInt(Math.min(left, 1 + r.nextInt(1024)));
            sizes = Arrays.copyOf(sizes, sizes.length + 1);
            sizes[sizes.length - 1] = size;
            left -= size;
        }
        return sizes;
    }

    private static byte[] decode(AwsChunkedDecoder decoder, List<byte[]> pieces) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] piece : pieces) {
            decoder.decode(ByteBuffer.wrap(piece), slice -> {
                byte[] b = new byte[slice.remaining()];
                slice.get(b);
                out.writeBytes(b);
            });
        }
        decoder.finish();
        return out.toByteArray();
    }
}
