package io.mooseng.s3.auth;

import io.mooseng.s3.error.S3Error;
import io.mooseng.s3.error.S3Exception;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Incremental decoder of the aws-chunked content encoding:
 * <pre>
 *   hex-size [;chunk-signature=sig] CRLF data CRLF ... 0 [;chunk-signature=sig] CRLF
 *   [trailer-name:value CRLF ...] [x-amz-trailer-signature:sig CRLF] CRLF
 * </pre>
 * Input may be split anywhere; payload is handed out as slices of the input (no copy).
 * Memory is bounded: only one header or trailer line is ever buffered.
 *
 * <p>With {@link ChunkSignatures} every chunk signature (and the trailer signature, if
 * trailers are allowed) is verified as the chunk ends; without, chunk extensions are ignored.
 * Not thread-safe: one decoder per request body.
 */
public final class AwsChunkedDecoder {
    static final int MAX_LINE = 4096;
    private static final int MAX_TRAILERS = 16;
    private static final String TRAILER_SIGNATURE = "x-amz-trailer-signature";

    private enum State { SIZE_LINE, DATA, DATA_CR, DATA_LF, TRAILER_LINE, DONE }

    private final ChunkSignatures signatures;
    private final boolean trailersAllowed;
    private final long decodedLength;
    private final byte[] line = new byte[MAX_LINE];
    private final Map<String, String> trailers = new LinkedHashMap<>();
    private final StringBuilder canonicalTrailers = new StringBuilder();
    private final MessageDigest chunkDigest;
    private State state = State.SIZE_LINE;
    private int lineLength;
    private long chunkRemaining;
    private String chunkSignature;
    private String trailerSignature;
    private long decoded;

    /**
     * @param signatures      the chain to verify, or null for an unsigned body
     * @param trailersAllowed whether trailing headers may follow the last chunk
     * @param decodedLength   x-amz-decoded-content-length: the payload must be exactly this long
     */
    public AwsChunkedDecoder(ChunkSignatures signatures, boolean trailersAllowed, long decodedLength) {
        this.signatures = signatures;
        this.trailersAllowed = trailersAllowed;
        this.decodedLength = decodedLength;
        this.chunkDigest = signatures == null ? null : Digests.sha256();
    }

    /**
     * Consumes all of {@code in}, passing each run of payload bytes to {@code payload}.
     * The slices share {@code in}'s memory.
     *
     * @throws S3Exception on malformed framing or a signature that does not match
     */
    public void decode(ByteBuffer in, Consumer<ByteBuffer> payload) {
        while (in.hasRemaining()) {
            switch (state) {
                case SIZE_LINE -> {
                    if (readLine(in)) {
                        startChunk(takeLine());
                    }
                }
                case DATA -> {
                    int n = (int) Math.min(chunkRemaining, in.remaining());
                    ByteBuffer slice = in.slice(in.position(), n);
                    in.position(in.position() + n);
                    if (chunkDigest != null) {
                        chunkDigest.update(slice.duplicate());
                    }
                    chunkRemaining -= n;
                    decoded += n;
                    payload.accept(slice);
                    if (chunkRemaining == 0) {
                        endChunk();
                        state = State.DATA_CR;
                    }
                }
                case DATA_CR -> expect(in, '\r', State.DATA_LF);
                case DATA_LF -> expect(in, '\n', State.SIZE_LINE);
                case TRAILER_LINE -> {
                    if (readLine(in)) {
                        trailerLine(takeLine());
                    }
                }
                case DONE -> {
                    byte b = in.get();
                    if (b != '\r' && b != '\n') {
                        throw malformed("unexpected data after the final chunk");
                    }
                }
            }
        }
    }

    /**
     * Checks that the body ended where the encoding says it ends.
     *
     * @throws S3Exception IncompleteBody when chunks or the payload are cut short
     */
    public void finish() {
        // a body whose last line lacks the closing empty line is accepted, as S3 does
        if (state == State.TRAILER_LINE && lineLength == 0) {
            endTrailers();
        }
        if (state != State.DONE) {
            throw S3Error.INCOMPLETE_BODY.exception("The aws-chunked body ended before its final chunk.");
        }
    }

    /** Trailing headers received (lower-case names), without the trailer signature. */
    public Map<String, String> trailers() {
        return Collections.unmodifiableMap(trailers);
    }

    private void startChunk(String header) {
        int semi = header.indexOf(';');
        String hex = semi < 0 ? header : header.substring(0, semi);
        if (hex.isEmpty() || hex.length() > 16) {
            throw S3Error.INVALID_CHUNK_SIZE_ERROR.exception("Invalid chunk size '" + hex + "'");
        }
        long size;
        try {
            size = Long.parseUnsignedLong(hex, 16);
        } catch (NumberFormatException e) {
            throw S3Error.INVALID_CHUNK_SIZE_ERROR.exception("Invalid chunk size '" + hex + "'");
        }
        if (size < 0 || size > decodedLength - decoded) {
            throw S3Error.INVALID_CHUNK_SIZE_ERROR.exception(
                    "Chunk of " + hex + " bytes runs past x-amz-decoded-content-length " + decodedLength);
        }
        chunkSignature = signatures == null ? null : chunkSignature(semi < 0 ? "" : header.substring(semi + 1));
        chunkRemaining = size;
        if (size > 0) {
            state = State.DATA;
            return;
        }
        endChunk();
        if (decoded != decodedLength) {
            throw S3Error.INCOMPLETE_BODY.exception("The aws-chunked body carried " + decoded
                    + " bytes but x-amz-decoded-content-length is " + decodedLength);
        }
        state = State.TRAILER_LINE;
    }

    private static String chunkSignature(String extensions) {
        for (String ext : extensions.split(";")) {
            int eq = ext.indexOf('=');
            if (eq > 0 && ext.substring(0, eq).trim().equals("chunk-signature")) {
                String sig = ext.substring(eq + 1).trim();
                if (Digests.isSha256Hex(sig)) {
                    return sig;
                }
            }
        }
        throw malformed("a signed chunk needs a chunk-signature");
    }

    private void endChunk() {
        if (signatures != null && !Digests.sameSignature(signatures.nextChunk(chunkDigest.digest()), chunkSignature)) {
            throw S3Error.SIGNATURE_DOES_NOT_MATCH.exception("The chunk signature does not match.");
        }
    }

    private void trailerLine(String text) {
        if (text.isEmpty()) {
            endTrailers();
            return;
        }
        if (!trailersAllowed) {
            throw malformed("trailing headers are not allowed with this x-amz-content-sha256");
        }
        int colon = text.indexOf(':');
        if (colon <= 0) {
            throw malformed("trailing header without ':'");
        }
        String name = text.substring(0, colon).trim().toLowerCase(Locale.ROOT);
        String value = text.substring(colon + 1).trim();
        if (name.equals(TRAILER_SIGNATURE)) {
            trailerSignature = value;
            return;
        }
        if (trailerSignature != null || trailers.size() >= MAX_TRAILERS) {
            throw malformed("unexpected trailing header " + name);
        }
        trailers.put(name, value);
        canonicalTrailers.append(name).append(':').append(value).append('\n');
    }

    private void endTrailers() {
        if (signatures != null && trailersAllowed) {
            byte[] hash = Digests.sha256().digest(canonicalTrailers.toString().getBytes(StandardCharsets.UTF_8));
            if (!Digests.sameSignature(signatures.trailer(hash), trailerSignature)) {
                throw S3Error.SIGNATURE_DOES_NOT_MATCH.exception("The trailer signature does not match.");
            }
        }
        state = State.DONE;
    }

    private void expect(ByteBuffer in, char c, State next) {
        if (in.get() != c) {
            throw malformed("chunk data must be followed by CRLF");
        }
        state = next;
    }

    /** Buffers bytes up to and including '\n'; true once a whole line is buffered. */
    private boolean readLine(ByteBuffer in) {
        while (in.hasRemaining()) {
            byte b = in.get();
            if (b == '\n') {
                return true;
            }
            if (lineLength == MAX_LINE) {
                throw malformed("chunk header or trailer line longer than " + MAX_LINE + " bytes");
            }
            line[lineLength++] = b;
        }
        return false;
    }

    /** The buffered line without its line break; a bare LF is tolerated as trailers from some clients end so. */
    private String takeLine() {
        int len = lineLength > 0 && line[lineLength - 1] == '\r' ? lineLength - 1 : lineLength;
        if (state == State.SIZE_LINE && len == lineLength) {
            throw malformed("chunk header must end with CRLF");
        }
        lineLength = 0;
        return new String(line, 0, len, StandardCharsets.UTF_8);
    }

    private static S3Exception malformed(String why) {
        return S3Error.INCOMPLETE_BODY.exception("Malformed aws-chunked body: " + why);
    }
}
