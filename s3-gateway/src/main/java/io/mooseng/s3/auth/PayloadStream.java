package io.mooseng.s3.auth;

import io.mooseng.s3.error.S3Error;
import io.mooseng.s3.error.S3Exception;
import io.vertx.core.MultiMap;

import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.util.Base64;
import java.util.Locale;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Turns a request's body, as it arrives, into verified payload: decodes aws-chunked,
 * checks chunk signatures, the x-amz-content-sha256 hash and any x-amz-checksum-* (header
 * or trailer). Payload bytes are passed on before the body is verified; a caller stores
 * nothing until {@link #finish} returned. Not thread-safe: one per request body.
 */
public final class PayloadStream {
    /** The streaming modes of x-amz-content-sha256. */
    public static final String STREAMING_SIGNED = "STREAMING-AWS4-HMAC-SHA256-PAYLOAD";
    public static final String STREAMING_SIGNED_TRAILER = "STREAMING-AWS4-HMAC-SHA256-PAYLOAD-TRAILER";
    public static final String STREAMING_UNSIGNED_TRAILER = "STREAMING-UNSIGNED-PAYLOAD-TRAILER";

    /** The checksum the client asked for and the server verified, to echo in the response. */
    public record Checksum(ChecksumAlgorithm algorithm, String base64) {
    }

    private final long length;
    private final long maxLength;
    private final AwsChunkedDecoder chunked;
    private final MessageDigest sha256;
    private final String expectedSha256;
    private final ChecksumAlgorithm checksumAlgorithm;
    private final ChecksumAlgorithm.Accumulator checksum;
    private final String checksumFromHeader;
    private long received;

    private PayloadStream(long length, long maxLength, AwsChunkedDecoder chunked, String expectedSha256,
                          ChecksumAlgorithm checksumAlgorithm, String checksumFromHeader) {
        this.length = length;
        this.maxLength = maxLength;
        this.chunked = chunked;
        this.expectedSha256 = expectedSha256;
        this.sha256 = expectedSha256 == null ? null : Digests.sha256();
        this.checksumAlgorithm = checksumAlgorithm;
        this.checksum = checksumAlgorithm == null ? null : checksumAlgorithm.newAccumulator();
        this.checksumFromHeader = checksumFromHeader;
    }

    /**
     * Reads how the body is framed and what it must satisfy. A plain body sent with
     * Transfer-Encoding: chunked and no Content-Length has an unknown length, as RGW and
     * MinIO take it; an aws-chunked body always declares x-amz-decoded-content-length.
     *
     * @param maxLength the largest payload accepted
     * @throws S3Exception MissingContentLength (411), EntityTooLarge, NotImplemented for unknown
     *                     streaming modes, InvalidRequest for a malformed checksum header
     */
    public static PayloadStream open(SignedRequest auth, MultiMap headers, long maxLength) {
        String mode = auth.payloadHash();
        String encoding = headers.get("content-encoding");
        boolean awsChunked = mode.startsWith("STREAMING-")
                || (encoding != null && encoding.toLowerCase(Locale.ROOT).contains("aws-chunked"));
        long length = awsChunked ? lengthHeader(headers, "x-amz-decoded-content-length")
                : headers.get("content-length") == null && isChunked(headers.get("transfer-encoding")) ? -1
                : lengthHeader(headers, "content-length");
        if (length > maxLength) {
            throw S3Error.ENTITY_TOO_LARGE.exception("Your proposed upload of " + length
                    + " bytes exceeds the maximum allowed size of " + maxLength + " bytes.");
        }
        AwsChunkedDecoder decoder = null;
        if (awsChunked) {
            decoder = switch (mode) {
                case STREAMING_SIGNED -> new AwsChunkedDecoder(chain(auth), false, length);
                case STREAMING_SIGNED_TRAILER -> new AwsChunkedDecoder(chain(auth), true, length);
                case STREAMING_UNSIGNED_TRAILER, SigV4Authenticator.UNSIGNED_PAYLOAD -> new AwsChunkedDecoder(null, true, length);
                default -> throw S3Error.NOT_IMPLEMENTED.exception("x-amz-content-sha256 " + mode + " is not supported.");
            };
        }
        String expectedSha = Digests.isSha256Hex(mode) ? mode.toLowerCase(Locale.ROOT) : null;
        ChecksumAlgorithm algorithm = null;
        String headerValue = null;
        String trailer = headers.get("x-amz-trailer");
        if (trailer != null && awsChunked) {
            algorithm = ChecksumAlgorithm.fromHeaderName(trailer.trim());
            if (algorithm == null) {
                throw S3Error.INVALID_REQUEST.exception("Unsupported x-amz-trailer: " + trailer);
            }
        } else {
            for (ChecksumAlgorithm a : ChecksumAlgorithm.values()) {
                String value = headers.get(a.headerName());
                if (value != null) {
                    algorithm = a;
                    headerValue = value.trim();
                    decodeChecksum(a, headerValue);
                    break;
                }
            }
        }
        return new PayloadStream(length, maxLength, decoder, expectedSha, algorithm, headerValue);
    }

    /** The payload length the client declared, or -1 when it sent none (a chunked transfer). */
    public long length() {
        return length;
    }

    /**
     * Consumes a piece of the raw body and passes its payload to {@code payload}, as slices
     * sharing {@code raw}'s memory.
     *
     * @throws S3Exception on malformed aws-chunked framing or a bad chunk signature
     */
    public void accept(ByteBuffer raw, Consumer<ByteBuffer> payload) {
        if (chunked == null) {
            consume(raw, payload);
        } else {
            chunked.decode(raw, piece -> consume(piece, payload));
        }
    }

    private void consume(ByteBuffer piece, Consumer<ByteBuffer> payload) {
        received += piece.remaining();
        if (length < 0 && received > maxLength) {
            throw S3Error.ENTITY_TOO_LARGE.exception("Your upload exceeds the maximum allowed size of " + maxLength + " bytes.");
        }
        if (length >= 0 && received > length) {
            throw S3Error.INCOMPLETE_BODY.exception("The body is longer than the declared length " + length);
        }
        if (sha256 != null) {
            sha256.update(piece.duplicate());
        }
        if (checksum != null) {
            checksum.update(piece.duplicate());
        }
        payload.accept(piece);
    }

    /**
     * Verifies the whole body once it ended.
     *
     * @return the verified checksum, or null when the client sent none
     * @throws S3Exception IncompleteBody, XAmzContentSHA256Mismatch, BadDigest, SignatureDoesNotMatch
     */
    public Checksum finish() {
        if (chunked != null) {
            chunked.finish();
        }
        if (length >= 0 && received != length) {
            throw S3Error.INCOMPLETE_BODY.exception("Received " + received + " of " + length + " bytes.");
        }
        if (sha256 != null && !Digests.hex(sha256.digest()).equals(expectedSha256)) {
            throw S3Error.X_AMZ_CONTENT_SHA256_MISMATCH.exception();
        }
        if (checksumAlgorithm == null) {
            return null;
        }
        String expected = checksumFromHeader;
        if (expected == null) {
            expected = chunked.trailers().get(checksumAlgorithm.headerName());
            if (expected == null) {
                throw S3Error.INVALID_REQUEST.exception("The trailing header " + checksumAlgorithm.headerName() + " is missing.");
            }
            decodeChecksum(checksumAlgorithm, expected);
        }
        String actual = Base64.getEncoder().encodeToString(checksum.finish());
        if (!actual.equals(expected)) {
            throw S3Error.BAD_DIGEST.exception("The " + checksumAlgorithm + " you specified did not match the calculated checksum.");
        }
        return new Checksum(checksumAlgorithm, actual);
    }

    /** Trailing headers of an aws-chunked body (empty otherwise), valid after {@link #finish}. */
    public Map<String, String> trailers() {
        return chunked == null ? Map.of() : chunked.trailers();
    }

    private static ChunkSignatures chain(SignedRequest auth) {
        return new ChunkSignatures(auth.signingKey(), auth.amzDate(), auth.scope(), auth.signature());
    }

    private static boolean isChunked(String transferEncoding) {
        return transferEncoding != null && transferEncoding.toLowerCase(Locale.ROOT).contains("chunked");
    }

    private static long lengthHeader(MultiMap headers, String name) {
        String value = headers.get(name);
        if (value == null) {
            throw S3Error.MISSING_CONTENT_LENGTH.exception("You must provide the " + name + " HTTP header.");
        }
        try {
            long n = Long.parseLong(value.trim());
            if (n >= 0) {
                return n;
            }
        } catch (NumberFormatException e) {
            // answered below
        }
        throw S3Error.INVALID_ARGUMENT.exception("Invalid " + name + ": " + value);
    }

    private static void decodeChecksum(ChecksumAlgorithm algorithm, String value) {
        try {
            if (Base64.getDecoder().decode(value).length == algorithm.byteLength()) {
                return;
            }
        } catch (IllegalArgumentException e) {
            // answered below
        }
        throw S3Error.INVALID_REQUEST.exception("Value for " + algorithm.headerName() + " header is invalid.");
    }
}
