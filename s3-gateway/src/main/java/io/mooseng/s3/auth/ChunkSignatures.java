package io.mooseng.s3.auth;

/**
 * The signature chain of a signed aws-chunked body: each chunk's signature covers its data
 * and the previous signature, starting from the request's (seed) signature, so chunks can be
 * neither altered, dropped nor reordered. Not thread-safe: one per request body.
 */
public final class ChunkSignatures {
    private final byte[] signingKey;
    private final String amzDate;
    private final String scope;
    private String previous;

    public ChunkSignatures(byte[] signingKey, String amzDate, String scope, String seedSignature) {
        this.signingKey = signingKey;
        this.amzDate = amzDate;
        this.scope = scope;
        this.previous = seedSignature;
    }

    /** The expected signature of the next chunk, whose data hashes to {@code dataSha256}; advances the chain. */
    public String nextChunk(byte[] dataSha256) {
        return advance("AWS4-HMAC-SHA256-PAYLOAD\n" + amzDate + '\n' + scope + '\n' + previous + '\n'
                + Digests.EMPTY_SHA256 + '\n' + Digests.hex(dataSha256));
    }

    /** The expected signature of the trailer, whose canonical form ("name:value\n" lines) hashes to {@code trailerSha256}. */
    public String trailer(byte[] trailerSha256) {
        return advance("AWS4-HMAC-SHA256-TRAILER\n" + amzDate + '\n' + scope + '\n' + previous + '\n'
                + Digests.hex(trailerSha256));
    }

    private String advance(String stringToSign) {
        previous = Digests.hex(Digests.hmacSha256(signingKey, stringToSign));
        return previous;
    }
}
