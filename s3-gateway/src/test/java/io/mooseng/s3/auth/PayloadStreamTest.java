package io.mooseng.s3.auth;

import io.mooseng.core.checksum.ChecksumAlgorithm;
import io.mooseng.core.checksum.ChecksumType;
import io.mooseng.core.model.ObjectChecksum;
import io.mooseng.core.model.UploadChecksum;
import io.mooseng.s3.error.S3Error;
import io.mooseng.s3.error.S3Exception;
import io.vertx.core.MultiMap;
import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

class PayloadStreamTest {
    private static final long MAX = 5L << 30;

    private static SignedRequest signed(String payloadHash, String seed) {
        return new SignedRequest(io.mooseng.s3.auth.Identity.root("AK"), AwsChunkedDecoderTest.KEY, "20130524T000000Z", SigV4AuthenticatorTest.SCOPE,
                seed, payloadHash, false);
    }

    private static long feed(PayloadStream s, byte[] body, int piece) {
        long[] n = {0};
        for (int off = 0; off < body.length; off += piece) {
            s.accept(ByteBuffer.wrap(body, off, Math.min(piece, body.length - off)), b -> n[0] += b.remaining());
        }
        return n[0];
    }

    @Test
    void documentedTrailerExampleChecksCrc32c() {
        MultiMap h = SigV4AuthenticatorTest.headers("x-amz-decoded-content-length", "66560",
                "content-encoding", "aws-chunked", "x-amz-trailer", "x-amz-checksum-crc32c");
        PayloadStream s = PayloadStream.open(signed(PayloadStream.STREAMING_SIGNED_TRAILER, AwsChunkedDecoderTest.TRAILER_SEED), h, MAX);
        assertEquals(66560, feed(s, AwsChunkedDecoderTest.docTrailerBody(), 3000));
        ObjectChecksum c = s.finish();
        assertEquals(ChecksumAlgorithm.CRC32C, c.algorithm());
        assertEquals("sOO8/Q==", c.text());
    }

    @Test
    void unsignedTrailerChecksumMismatchIsBadDigest() {
        MultiMap h = SigV4AuthenticatorTest.headers("x-amz-decoded-content-length", "3", "x-amz-trailer", "x-amz-checksum-crc32");
        PayloadStream good = PayloadStream.open(signed(PayloadStream.STREAMING_UNSIGNED_TRAILER, null), h, MAX);
        feed(good, "3\r\nabc\r\n0\r\nx-amz-checksum-crc32:NSRBwg==\r\n\r\n".getBytes(StandardCharsets.US_ASCII), 5);
        assertEquals("NSRBwg==", good.finish().text());

        PayloadStream bad = PayloadStream.open(signed(PayloadStream.STREAMING_UNSIGNED_TRAILER, null), h, MAX);
        feed(bad, "3\r\nabd\r\n0\r\nx-amz-checksum-crc32:NSRBwg==\r\n\r\n".getBytes(StandardCharsets.US_ASCII), 5);
        assertEquals(S3Error.BAD_DIGEST, assertThrows(S3Exception.class, bad::finish).error());

        PayloadStream missing = PayloadStream.open(signed(PayloadStream.STREAMING_UNSIGNED_TRAILER, null), h, MAX);
        feed(missing, "3\r\nabc\r\n0\r\n\r\n".getBytes(StandardCharsets.US_ASCII), 5);
        assertEquals(S3Error.INVALID_REQUEST, assertThrows(S3Exception.class, missing::finish).error());
    }

    @Test
    void signedPayloadHashIsVerifiedAtTheEnd() {
        byte[] body = "Welcome to Amazon S3.".getBytes(StandardCharsets.US_ASCII);
        String sha = "44ce7dd67c959e0d3524ffac1771dfbba87d2b6b4b4e99e42034a8b803f8b072";
        MultiMap h = SigV4AuthenticatorTest.headers("content-length", String.valueOf(body.length));
        PayloadStream s = PayloadStream.open(signed(sha, null), h, MAX);
        feed(s, body, 4);
        assertNull(s.finish());

        PayloadStream t = PayloadStream.open(signed(sha, null), h, MAX);
        body[0] = 'w';
        feed(t, body, 4);
        assertEquals(S3Error.X_AMZ_CONTENT_SHA256_MISMATCH, assertThrows(S3Exception.class, t::finish).error());
    }

    @Test
    void checksumHeadersAreVerified() {
        MultiMap h = SigV4AuthenticatorTest.headers("content-length", "3", "x-amz-checksum-crc32", "NSRBwg==");
        PayloadStream s = PayloadStream.open(signed(SigV4Authenticator.UNSIGNED_PAYLOAD, null), h, MAX);
        feed(s, "abc".getBytes(StandardCharsets.US_ASCII), 1);
        assertEquals(ChecksumAlgorithm.CRC32, s.finish().algorithm());

        MultiMap malformed = SigV4AuthenticatorTest.headers("content-length", "3", "x-amz-checksum-crc32", "not base64!");
        S3Exception e = assertThrows(S3Exception.class,
                () -> PayloadStream.open(signed(SigV4Authenticator.UNSIGNED_PAYLOAD, null), malformed, MAX));
        assertEquals(S3Error.INVALID_REQUEST, e.error());
    }

    @Test
    void oneChecksumAtMostAndTheSdkAlgorithmMustNameIt() {
        SignedRequest unsigned = signed(SigV4Authenticator.UNSIGNED_PAYLOAD, null);
        assertEquals(S3Error.INVALID_REQUEST, assertThrows(S3Exception.class, () -> PayloadStream.open(unsigned,
                SigV4AuthenticatorTest.headers("content-length", "3", "x-amz-checksum-crc32", "NSRBwg==", "x-amz-checksum-sha1",
                        "qZk+NkcGgWq6PiVxeFDCbJzQ2J0="), MAX)).error());
        assertEquals(S3Error.INVALID_REQUEST, assertThrows(S3Exception.class, () -> PayloadStream.open(unsigned,
                SigV4AuthenticatorTest.headers("content-length", "3", "x-amz-sdk-checksum-algorithm", "CRC32"), MAX)).error());
        assertEquals(S3Error.INVALID_REQUEST, assertThrows(S3Exception.class, () -> PayloadStream.open(unsigned,
                SigV4AuthenticatorTest.headers("content-length", "3", "x-amz-sdk-checksum-algorithm", "SHA256",
                        "x-amz-checksum-crc32", "NSRBwg=="), MAX)).error());
        PayloadStream named = PayloadStream.open(unsigned, SigV4AuthenticatorTest.headers("content-length", "3",
                "x-amz-sdk-checksum-algorithm", "crc32", "x-amz-checksum-crc32", "NSRBwg=="), MAX);
        feed(named, "abd".getBytes(StandardCharsets.US_ASCII), 2);
        S3Exception bad = assertThrows(S3Exception.class, named::finish);
        assertEquals(S3Error.BAD_DIGEST, bad.error());
        assertEquals("The x-amz-checksum-crc32 you specified did not match the calculated checksum.", bad.getMessage());
    }

    @Test
    void aPartOfAnUploadWithAChecksumHasOneOfItsAlgorithm() {
        SignedRequest unsigned = signed(SigV4Authenticator.UNSIGNED_PAYLOAD, null);
        PayloadStream computed = PayloadStream.open(unsigned, SigV4AuthenticatorTest.headers("content-length", "3"), MAX);
        computed.expect(new UploadChecksum(ChecksumAlgorithm.CRC32, ChecksumType.COMPOSITE));
        feed(computed, "abc".getBytes(StandardCharsets.US_ASCII), 2);
        assertEquals("NSRBwg==", computed.finish().text());

        PayloadStream other = PayloadStream.open(unsigned, SigV4AuthenticatorTest.headers("content-length", "3",
                "x-amz-checksum-crc32", "NSRBwg=="), MAX);
        S3Exception e = assertThrows(S3Exception.class, () -> other.expect(new UploadChecksum(ChecksumAlgorithm.SHA256, ChecksumType.COMPOSITE)));
        assertEquals(S3Error.INVALID_REQUEST, e.error());
        assertEquals("Checksum Type mismatch occurred, expected checksum Type: sha256, actual checksum Type: crc32", e.getMessage());
        other.expect(null);
        other.expect(new UploadChecksum(ChecksumAlgorithm.CRC32, ChecksumType.FULL_OBJECT));
        feed(other, "abc".getBytes(StandardCharsets.US_ASCII), 3);
        assertEquals(ObjectChecksum.of(ChecksumAlgorithm.CRC32, ChecksumAlgorithm.CRC32.of("abc".getBytes(StandardCharsets.US_ASCII))),
                other.finish());
    }

    /** Transfer-Encoding: chunked without Content-Length: any length up to the limit, counted as it arrives. */
    @Test
    void aChunkedTransferHasAnUnknownLengthUpToTheLimit() {
        MultiMap chunked = SigV4AuthenticatorTest.headers("transfer-encoding", "chunked");
        PayloadStream s = PayloadStream.open(signed(SigV4Authenticator.UNSIGNED_PAYLOAD, null), chunked, 10);
        assertEquals(-1, s.length());
        assertEquals(10, feed(s, "0123456789".getBytes(StandardCharsets.US_ASCII), 3));
        assertNull(s.finish());

        PayloadStream tooLong = PayloadStream.open(signed(SigV4Authenticator.UNSIGNED_PAYLOAD, null), chunked, 10);
        assertEquals(S3Error.ENTITY_TOO_LARGE, assertThrows(S3Exception.class,
                () -> feed(tooLong, "0123456789A".getBytes(StandardCharsets.US_ASCII), 4)).error());

        byte[] body = "Welcome to Amazon S3.".getBytes(StandardCharsets.US_ASCII);
        PayloadStream hashed = PayloadStream.open(signed("44ce7dd67c959e0d3524ffac1771dfbba87d2b6b4b4e99e42034a8b803f8b072", null), chunked, MAX);
        body[0] = 'w';
        feed(hashed, body, 5);
        assertEquals(S3Error.X_AMZ_CONTENT_SHA256_MISMATCH, assertThrows(S3Exception.class, hashed::finish).error());
    }

    @Test
    void lengthsAreRequiredAndLimited() {
        SignedRequest unsigned = signed(SigV4Authenticator.UNSIGNED_PAYLOAD, null);
        assertEquals(S3Error.MISSING_CONTENT_LENGTH, assertThrows(S3Exception.class,
                () -> PayloadStream.open(unsigned, SigV4AuthenticatorTest.headers(), MAX)).error());
        assertEquals(S3Error.MISSING_CONTENT_LENGTH, assertThrows(S3Exception.class,
                () -> PayloadStream.open(signed(PayloadStream.STREAMING_UNSIGNED_TRAILER, null),
                        SigV4AuthenticatorTest.headers("content-length", "100"), MAX)).error());
        assertEquals(S3Error.ENTITY_TOO_LARGE, assertThrows(S3Exception.class,
                () -> PayloadStream.open(unsigned, SigV4AuthenticatorTest.headers("content-length", String.valueOf(MAX + 1)), MAX)).error());
        assertEquals(S3Error.NOT_IMPLEMENTED, assertThrows(S3Exception.class,
                () -> PayloadStream.open(signed("STREAMING-AWS4-ECDSA-P256-SHA256-PAYLOAD", null),
                        SigV4AuthenticatorTest.headers("x-amz-decoded-content-length", "1"), MAX)).error());

        PayloadStream shortBody = PayloadStream.open(unsigned, SigV4AuthenticatorTest.headers("content-length", "10"), MAX);
        feed(shortBody, "abc".getBytes(StandardCharsets.US_ASCII), 3);
        assertEquals(S3Error.INCOMPLETE_BODY, assertThrows(S3Exception.class, shortBody::finish).error());
    }
}
