package io.mooseng.s3.auth;

import io.mooseng.core.checksum.ChecksumAlgorithm;
import io.mooseng.core.model.ObjectChecksum;
import io.mooseng.core.model.UploadChecksum;
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
 * or trailer), computing that checksum on the pieces as they pass (no copy). Payload bytes
 * are passed on before the body is verified; a caller stores nothing until {@link #finish}
 * returned. Not thread-safe: one per request body.
 */
public final class PayloadStream {
    /** The streaming modes of x-amz-content-sha256. */
    public static final String STREAMING_SIGNED = "STREAMING-AWS4-HMAC-SHA256-PAYLOAD";
    public static final String STREAMING_SIGNED_TRAILER = "STREAMING-AWS4-HMAC-SHA256-PAYLOAD-TRAILER";
    public static final String STREAMING_UNSIGNED_TRAILER = "STREAMING-UNSIGNED-PAYLOAD-TRAILER";

    private static final String SDK_ALGORITHM = "x-amz-sdk-checksum-algorithm";

    private final long length;
    private final long maxLength;
    private final AwsChunkedDecoder chunked;
    private final MessageDigest sha256;
    private final String expectedSha256;
    /** The checksum's algorithm (sent, or asked for by {@link #expect}), or null for none. */
    private ChecksumAlgorithm checksumAlgorithm;
    private ChecksumAlgorithm.Accumulator checksum;
    private final String checksumFromHeader;
    /** The client sends the checksum in a trailer (else in a header, or not at all when only computed). */
    private final boolean checksumInTrailer;
    private long received;

    private PayloadStream(long length, long maxLength, AwsChunkedDecoder chunked, String expectedSha256,
                          ChecksumAlgorithm checksumAlgorithm, String checksumFromHeader, boolean checksumInTrailer) {
        this.length = length;
        this.maxLength = maxLength;
        this.chunked = chunked;
        this.expectedSha256 = expectedSha256;
        this.sha256 = expectedSha256 == null ? null : Digests.sha256();
        this.checksumAlgorithm = checksumAlgorithm;
        this.checksum = checksumAlgorithm == null ? null : checksumAlgorithm.newAccumulator();
        this.checksumFromHeader = checksumFromHeader;
        this.checksumInTrailer = checksumInTrailer;
    }

    /**
     * Reads how the body is framed and what it must satisfy. A plain body sent with
     * Transfer-Encoding: chunked and no Content-Length has an unknown length, as RGW and
     * MinIO take it; an aws-chunked body always declares x-amz-decoded-content-length.
     *
     * @param maxLength the largest payload accepted
     * @throws S3Exception MissingContentLength (411), EntityTooLarge, NotImplemented for unknown
     *                     streaming modes, InvalidRequest for a malformed checksum header, more than one, or
     *                     an x-amz-sdk-checksum-algorithm that names none sent
     */
    public static PayloadStream open(SignedRequest auth, MultiMap headers, long maxLength) {
        return open(auth, headers, maxLength, true);
    }

    /**
     * As {@link #open(SignedRequest, MultiMap, long)}; {@code checksumHeaders} false leaves x-amz-checksum-* headers
     * (and x-amz-sdk-checksum-algorithm) alone, for a request whose checksum headers are about something else than
     * its body (CompleteMultipartUpload's name the object's). A trailer is always the body's.
     */
    public static PayloadStream open(SignedRequest auth, MultiMap headers, long maxLength, boolean checksumHeaders) {
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
        boolean inTrailer = trailer != null && awsChunked;
        if (inTrailer) {
            algorithm = ChecksumAlgorithm.fromHeaderName(trailer.trim());
            if (algorithm == null) {
                throw S3Error.INVALID_REQUEST.exception("Unsupported x-amz-trailer: " + trailer);
            }
        }
        for (ChecksumAlgorithm a : checksumHeaders ? ChecksumAlgorithm.values() : new ChecksumAlgorithm[0]) {
            String value = headers.get(a.headerName());
            if (value != null) {
                if (algorithm != null) {
                    throw S3Error.INVALID_REQUEST.exception("Expecting a single x-amz-checksum- header. Multiple checksum Types are not allowed.");
                }
                algorithm = a;
                headerValue = value.trim();
                decodeChecksum(a, headerValue);
            }
        }
        if (checksumHeaders) {
            checkSdkAlgorithm(headers.get(SDK_ALGORITHM), algorithm);
        }
        return new PayloadStream(length, maxLength, decoder, expectedSha, algorithm, headerValue, inTrailer);
    }

    /** x-amz-sdk-checksum-algorithm only names the checksum a header or trailer carries. */
    private static void checkSdkAlgorithm(String named, ChecksumAlgorithm sent) {
        if (named == null) {
            return;
        }
        ChecksumAlgorithm a = ChecksumAlgorithm.named(named);
        if (a == null) {
            throw S3Error.INVALID_REQUEST.exception("Value for " + SDK_ALGORITHM + " header is invalid.");
        }
        if (sent == null) {
            throw S3Error.INVALID_REQUEST.exception(SDK_ALGORITHM + " specified, but no corresponding x-amz-checksum-* or "
                    + "x-amz-trailer headers were found.");
        }
        if (a != sent) {
            throw S3Error.INVALID_REQUEST.exception(SDK_ALGORITHM + " " + named + " does not match the checksum sent, " + sent.headerName());
        }
    }

    /**
     * Requires the checksum of a part of an upload made with one, before any of the body is read: a client's
     * checksum must be of the upload's algorithm; without one, the server computes it.
     *
     * @param upload the upload's checksum, or null when it has none (then anything or nothing may be sent)
     * @throws S3Exception InvalidRequest for a checksum of another algorithm
     */
    public void expect(UploadChecksum upload) {
        if (upload == null || upload.algorithm() == checksumAlgorithm) {
            return;
        }
        if (checksumAlgorithm != null) {
            throw S3Error.INVALID_REQUEST.exception("Checksum Type mismatch occurred, expected checksum Type: "
                    + upload.algorithm().name().toLowerCase(Locale.ROOT) + ", actual checksum Type: "
                    + checksumAlgorithm.name().toLowerCase(Locale.ROOT));
        }
        checksumAlgorithm = upload.algorithm();
        checksum = checksumAlgorithm.newAccumulator();
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
     * @return the verified (or, asked by {@link #expect}, computed) checksum, or null without one
     * @throws S3Exception IncompleteBody, XAmzContentSHA256Mismatch, BadDigest, SignatureDoesNotMatch
     */
    public ObjectChecksum finish() {
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
        if (checksumInTrailer) {
            expected = chunked.trailers().get(checksumAlgorithm.headerName());
            if (expected == null) {
                throw S3Error.INVALID_REQUEST.exception("The trailing header " + checksumAlgorithm.headerName() + " is missing.");
            }
            decodeChecksum(checksumAlgorithm, expected);
        }
        ObjectChecksum actual = ObjectChecksum.of(checksumAlgorithm, checksum.finish());
        if (expected != null && !actual.text().equals(expected)) {
            throw S3Error.BAD_DIGEST.exception("The " + checksumAlgorithm.headerName() + " you specified did not match the calculated checksum.");
        }
        return actual;
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

    /**
     * @throws S3Exception InvalidRequest unless {@code value} is base64 of a checksum of {@code algorithm}
     */
    public static void decodeChecksum(ChecksumAlgorithm algorithm, String value) {
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
