package io.mooseng.s3.auth;

/**
 * A request whose signature checked out, or that carried none ({@link #anonymous()}): who sent
 * it and what the body must satisfy.
 *
 * @param identity    the key's owner; null for an anonymous request
 * @param signingKey  the derived key, kept to verify aws-chunked chunk signatures (null for
 *                    Signature Version 2, which signs no chunks; so are amzDate and scope)
 * @param amzDate     the request time, ISO-8601 basic ({@code 20130524T000000Z})
 * @param scope       {@code date/region/s3/aws4_request}
 * @param signature   the request signature: the seed of the chunk signature chain
 * @param payloadHash what x-amz-content-sha256 declared: a hex SHA-256, UNSIGNED-PAYLOAD
 *                    or a STREAMING-* mode (always UNSIGNED-PAYLOAD for presigned URLs)
 */
public record SignedRequest(Identity identity, byte[] signingKey, String amzDate, String scope, String signature,
                            String payloadHash, boolean presigned) {

    private static final SignedRequest ANONYMOUS = new SignedRequest(null, null, null, null, null, SigV4Authenticator.UNSIGNED_PAYLOAD, false);

    /** A request without any signature: only bucket policies granting everyone let it through. */
    public static SignedRequest anonymous() {
        return ANONYMOUS;
    }

    public boolean isAnonymous() {
        return identity == null;
    }

    /** The access key, or "anonymous" where an owner must be named for an unsigned request. */
    public String accessKey() {
        return identity == null ? "anonymous" : identity.accessKey();
    }
}
