package io.mooseng.s3.auth;

import io.mooseng.s3.error.S3Error;
import io.mooseng.s3.error.S3Exception;
import io.vertx.core.MultiMap;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * Verifies AWS Signature Version 4, in the Authorization header or in a presigned URL, and
 * hands Version 2 requests to {@link SigV2Verifier}.
 * Contract: thread-safe and non-blocking (no I/O), so it runs on the event loop.
 */
public final class SigV4Authenticator {
    public static final String UNSIGNED_PAYLOAD = "UNSIGNED-PAYLOAD";
    static final Duration MAX_SKEW = Duration.ofMinutes(15);
    static final long MAX_PRESIGNED_EXPIRES = 604_800;
    private static final DateTimeFormatter AMZ_DATE = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'");

    private static final CompletableFuture<Void> LOADED = CompletableFuture.completedFuture(null);
    private final Credentials credentials;
    private final String region;
    private final Clock clock;
    private final SigningKeys keys = new SigningKeys();
    private final SigV2Verifier v2;
    /** Null on a gateway without the cluster key: it neither issues nor accepts temporary credentials. */
    private final SessionTokens sessions;

    /** @param region the region requests must be signed for, or null to accept the one each request names */
    public SigV4Authenticator(Credentials credentials, String region, Clock clock) {
        this(credentials, region, clock, null);
    }

    /** The keys requests are checked against. */
    public Credentials credentials() {
        return credentials;
    }

    /** @param sessions what opens session tokens (temporary credentials), or null to refuse them */
    public SigV4Authenticator(Credentials credentials, String region, Clock clock, SessionTokens sessions) {
        this.credentials = credentials;
        this.region = region;
        this.clock = clock;
        this.v2 = new SigV2Verifier(credentials, clock);
        this.sessions = sessions;
    }

    /**
     * Completes when the credentials store knows the key a request names (at once for keys it
     * holds; a key created a moment ago on another gateway is fetched first).
     */
    public CompletableFuture<Void> loadKey(QueryString query, MultiMap headers) {
        if (sessionToken(query, headers, query.has("X-Amz-Credential")) != null) {
            return LOADED; // a temporary key is in its token, not in the store
        }
        String accessKey = accessKeyOf(query, headers);
        return accessKey != null && credentials.mayMiss(accessKey) ? credentials.load(accessKey) : LOADED;
    }

    /** As {@link #loadKey(QueryString, MultiMap)}, for a key named elsewhere than in the headers or query (a browser form). */
    public CompletableFuture<Void> loadKey(String accessKey) {
        return credentials.mayMiss(accessKey) ? credentials.load(accessKey) : LOADED;
    }

    /** The access key a request names in any of the signature forms, or null; not validated. */
    static String accessKeyOf(QueryString query, MultiMap headers) {
        String authorization = headers.get("authorization");
        String credential = null;
        if (authorization != null && authorization.startsWith("AWS ")) {
            int colon = authorization.indexOf(':');
            return colon < 0 ? null : authorization.substring(4, colon).trim();
        }
        if (authorization != null) {
            int at = authorization.indexOf("Credential=");
            credential = at < 0 ? null : authorization.substring(at + "Credential=".length());
        } else if (query.has("X-Amz-Credential")) {
            credential = query.get("X-Amz-Credential");
        } else if (query.has("AWSAccessKeyId")) {
            return query.get("AWSAccessKeyId");
        }
        int slash = credential == null ? -1 : credential.indexOf('/');
        return slash <= 0 ? null : credential.substring(0, slash);
    }

    /** A path-style request: the path names the bucket. */
    public SignedRequest authenticate(String method, String rawPath, QueryString query, MultiMap headers) {
        return authenticate(method, rawPath, rawPath, query, headers);
    }

    /**
     * @param rawPath      the path as sent (percent-encoded); the query is decoded
     * @param resourcePath what Signature Version 2 signs: the path, behind {@code /bucket} when
     *                     the Host header named the bucket
     * @return the verified request, or {@link SignedRequest#anonymous()} when it carries no signature at all
     * @throws S3Exception AccessDenied (expired), InvalidAccessKeyId, SignatureDoesNotMatch,
     *                     RequestTimeTooSkewed, AuthorizationHeaderMalformed, AuthorizationQueryParametersError,
     *                     InvalidArgument (a malformed Version 2 header)
     */
    public SignedRequest authenticate(String method, String rawPath, String resourcePath, QueryString query, MultiMap headers) {
        String authorization = headers.get("authorization");
        if (authorization != null && authorization.startsWith("AWS ")) {
            return v2.verifyHeader(authorization, method, resourcePath, query, headers);
        }
        if (authorization != null) {
            return verifyHeader(authorization, method, rawPath, query, headers, "s3", null);
        }
        if (query.has("X-Amz-Signature") || query.has("X-Amz-Algorithm")) {
            return verifyPresigned(method, rawPath, query, headers);
        }
        if (query.has("Signature") && query.has("AWSAccessKeyId")) {
            return v2.verifyQuery(method, resourcePath, query, headers);
        }
        // authorization decides what an unsigned request may do (bucket policies granting everyone)
        return SignedRequest.anonymous();
    }

    /**
     * A browser form upload (S3's POST Object) signed with Signature Version 4: what is signed is
     * the policy field itself, as the form carries it (base64), under the key of the credential
     * scope. The form's body is not signed; the policy's conditions bound it.
     *
     * @param credential    the x-amz-credential field, {@code key/date/region/s3/aws4_request}
     * @param amzDate       the x-amz-date field
     * @param securityToken the x-amz-security-token field (temporary credentials), or null
     * @throws S3Exception InvalidArgument for a malformed credential or date, InvalidAccessKeyId,
     *                     SignatureDoesNotMatch, InvalidToken
     */
    public SignedRequest authenticatePost(String credential, String amzDate, String policy, String signature, String securityToken) {
        parseAmzDate(amzDate, S3Error.INVALID_ARGUMENT);
        Scope scope = Scope.parse(credential, amzDate, region, "s3", S3Error.INVALID_ARGUMENT);
        Credentials.Key known = securityToken == null ? credentials.key(scope.accessKey) : sessionKey(securityToken, scope.accessKey);
        if (known == null) {
            throw S3Error.INVALID_ACCESS_KEY_ID.exception();
        }
        byte[] key = keys.key(scope.accessKey, known.secretKey(), scope.date, scope.region, scope.service);
        if (!Digests.sameSignature(Digests.hex(Digests.hmacSha256(key, policy)), signature)) {
            throw S3Error.SIGNATURE_DOES_NOT_MATCH.exception();
        }
        return new SignedRequest(known.identity(), key, amzDate, scope.scope(), signature, UNSIGNED_PAYLOAD, false);
    }

    /**
     * A browser form upload signed with Signature Version 2 (the AWSAccessKeyId and signature
     * fields, as older SDKs' presigned POSTs make them): the policy field is what is signed.
     *
     * @throws S3Exception InvalidAccessKeyId, SignatureDoesNotMatch
     */
    public SignedRequest authenticatePostV2(String accessKey, String policy, String signature) {
        return v2.verifyPost(accessKey, policy, signature);
    }

    /**
     * An STS request (AWS's query protocol: a form in the body, service {@code sts} in the
     * credential scope). Its SDKs send no x-amz-content-sha256, so the body, already read,
     * is hashed by the caller.
     *
     * @return the verified request, or {@link SignedRequest#anonymous()} when it carries no signature
     * @throws S3Exception as {@link #authenticate}; AccessDenied for a presigned or Version 2 STS request
     */
    public SignedRequest authenticateSts(String method, String rawPath, QueryString query, MultiMap headers, String bodySha256) {
        String authorization = headers.get("authorization");
        if (authorization != null && authorization.startsWith(CanonicalRequest.ALGORITHM + " ")) {
            return verifyHeader(authorization, method, rawPath, query, headers, "sts", bodySha256);
        }
        if (authorization != null || query.has("X-Amz-Signature") || query.has("Signature")) {
            throw S3Error.ACCESS_DENIED.exception("STS requests must be signed with AWS4-HMAC-SHA256 in the Authorization header.");
        }
        return SignedRequest.anonymous();
    }

    /**
     * @param service    the service the credential scope must name
     * @param bodySha256 the hex SHA-256 of the body when the caller read it, to stand for a missing x-amz-content-sha256
     */
    private SignedRequest verifyHeader(String authorization, String method, String rawPath, QueryString query, MultiMap headers,
                                       String service, String bodySha256) {
        if (!authorization.startsWith(CanonicalRequest.ALGORITHM + " ")) {
            throw S3Error.AUTHORIZATION_HEADER_MALFORMED.exception("Unsupported authorization algorithm; use AWS4-HMAC-SHA256 or AWS (Signature Version 2).");
        }
        Map<String, String> fields = new HashMap<>();
        for (String part : authorization.substring(CanonicalRequest.ALGORITHM.length()).split(",")) {
            int eq = part.indexOf('=');
            if (eq > 0) {
                fields.put(part.substring(0, eq).trim(), part.substring(eq + 1).trim());
            }
        }
        String credential = fields.get("Credential");
        String signedHeaders = fields.get("SignedHeaders");
        String signature = fields.get("Signature");
        if (credential == null || signedHeaders == null || signature == null) {
            throw S3Error.AUTHORIZATION_HEADER_MALFORMED.exception(
                    "The authorization header must contain Credential, SignedHeaders and Signature.");
        }
        String payloadHash = headers.get("x-amz-content-sha256");
        if (payloadHash == null && bodySha256 != null) {
            payloadHash = bodySha256;
        } else if (payloadHash == null) {
            throw S3Error.INVALID_REQUEST.exception("Missing required header for this request: x-amz-content-sha256");
        } else if (bodySha256 != null && !payloadHash.equals(bodySha256)) {
            throw S3Error.X_AMZ_CONTENT_SHA256_MISMATCH.exception();
        }
        if (!isValidPayloadHash(payloadHash)) {
            throw S3Error.INVALID_ARGUMENT.exception(
                    "x-amz-content-sha256 must be UNSIGNED-PAYLOAD, a STREAMING-* mode, or a valid sha256 value.");
        }
        Instant time = requestTime(headers);
        String amzDate = AMZ_DATE.format(time.atOffset(ZoneOffset.UTC));
        if (Duration.between(time, clock.instant()).abs().compareTo(MAX_SKEW) > 0) {
            throw S3Error.REQUEST_TIME_TOO_SKEWED.exception();
        }
        Scope scope = Scope.parse(credential, amzDate, region, service, S3Error.AUTHORIZATION_HEADER_MALFORMED);
        List<String> signed = signedHeaderList(signedHeaders, S3Error.AUTHORIZATION_HEADER_MALFORMED);
        requireAmzHeadersSigned(headers, signed);
        return verify(scope, sessionToken(query, headers, false), amzDate, signature, payloadHash, false,
                CanonicalRequest.build(method, rawPath, query, null, headers, signed, payloadHash));
    }

    private SignedRequest verifyPresigned(String method, String rawPath, QueryString query, MultiMap headers) {
        S3Error malformed = S3Error.AUTHORIZATION_QUERY_PARAMETERS_ERROR;
        String algorithm = query.get("X-Amz-Algorithm");
        String credential = query.get("X-Amz-Credential");
        String amzDate = query.get("X-Amz-Date");
        String expires = query.get("X-Amz-Expires");
        String signedHeaders = query.get("X-Amz-SignedHeaders");
        String signature = query.get("X-Amz-Signature");
        if (algorithm == null || credential == null || amzDate == null || expires == null
                || signedHeaders == null || signature == null) {
            throw malformed.exception();
        }
        if (!CanonicalRequest.ALGORITHM.equals(algorithm)) {
            throw malformed.exception("X-Amz-Algorithm only supports \"AWS4-HMAC-SHA256\"");
        }
        long lifetime;
        try {
            lifetime = Long.parseLong(expires);
        } catch (NumberFormatException e) {
            throw malformed.exception("X-Amz-Expires should be a number");
        }
        if (lifetime < 0 || lifetime > MAX_PRESIGNED_EXPIRES) {
            throw malformed.exception("X-Amz-Expires must be non-negative and less than a week (in seconds) that is; 604800 seconds");
        }
        Instant time = parseAmzDate(amzDate, malformed);
        Instant now = clock.instant();
        if (now.isAfter(time.plusSeconds(lifetime))) {
            throw S3Error.ACCESS_DENIED.exception("Request has expired");
        }
        if (time.isAfter(now.plus(MAX_SKEW))) {
            throw S3Error.ACCESS_DENIED.exception("Request is not valid yet");
        }
        Scope scope = Scope.parse(credential, amzDate, region, "s3", malformed);
        String payloadHash = query.has("X-Amz-Content-Sha256") ? query.get("X-Amz-Content-Sha256") : UNSIGNED_PAYLOAD;
        if (!isValidPayloadHash(payloadHash) || payloadHash.startsWith("STREAMING-AWS4")) {
            throw S3Error.INVALID_REQUEST.exception("A presigned URL cannot carry a signed streaming payload.");
        }
        List<String> signed = signedHeaderList(signedHeaders, malformed);
        return verify(scope, sessionToken(query, headers, true), amzDate, signature, payloadHash, true,
                CanonicalRequest.build(method, rawPath, query, "X-Amz-Signature", headers, signed, payloadHash));
    }

    /** @param token the request's session token (temporary credentials), or null for a long-term key */
    private SignedRequest verify(Scope scope, String token, String amzDate, String signature, String payloadHash, boolean presigned,
                                 String canonicalRequest) {
        Credentials.Key known = token == null ? credentials.key(scope.accessKey) : sessionKey(token, scope.accessKey);
        if (known == null) {
            throw S3Error.INVALID_ACCESS_KEY_ID.exception();
        }
        byte[] key = keys.key(scope.accessKey, known.secretKey(), scope.date, scope.region, scope.service);
        String expected = Digests.hex(Digests.hmacSha256(key,
                CanonicalRequest.stringToSign(amzDate, scope.scope(), canonicalRequest)));
        if (!Digests.sameSignature(expected, signature)) {
            throw S3Error.SIGNATURE_DOES_NOT_MATCH.exception();
        }
        return new SignedRequest(known.identity(), key, amzDate, scope.scope(), signature, payloadHash, presigned);
    }

    /**
     * The key of temporary credentials: the secret from the token, acting as the user of the
     * long-term key the session was issued to, while that key still works.
     */
    private Credentials.Key sessionKey(String token, String accessKey) {
        if (sessions == null) {
            throw S3Error.INVALID_TOKEN.exception("This gateway holds no cluster key: it does not accept temporary credentials.");
        }
        SessionTokens.Session s = sessions.open(token, accessKey);
        Credentials.Key parent = credentials.key(s.parentAccessKey());
        if (parent == null) {
            throw S3Error.INVALID_TOKEN.exception("The key that issued these temporary credentials was revoked, expired or disabled.");
        }
        return new Credentials.Key(s.secretKey(), parent.identity().inSession(s.accessKey(), new Identity.Session(s.name(), s.policy())));
    }

    /** X-Amz-Security-Token of a presigned URL, else the x-amz-security-token header; null without one. */
    private static String sessionToken(QueryString query, MultiMap headers, boolean presigned) {
        return presigned ? query.get("X-Amz-Security-Token") : headers.get("x-amz-security-token");
    }

    private static boolean isValidPayloadHash(String value) {
        return value.equals(UNSIGNED_PAYLOAD) || value.startsWith("STREAMING-") || Digests.isSha256Hex(value);
    }

    private static Instant requestTime(MultiMap headers) {
        String amzDate = headers.get("x-amz-date");
        if (amzDate != null) {
            return parseAmzDate(amzDate, S3Error.ACCESS_DENIED);
        }
        String date = headers.get("date");
        if (date == null) {
            throw S3Error.ACCESS_DENIED.exception("AWS authentication requires a valid Date or x-amz-date header");
        }
        try {
            return ZonedDateTime.parse(date, DateTimeFormatter.RFC_1123_DATE_TIME).toInstant();
        } catch (DateTimeParseException e) {
            throw S3Error.ACCESS_DENIED.exception("AWS authentication requires a valid Date or x-amz-date header");
        }
    }

    private static Instant parseAmzDate(String value, S3Error error) {
        try {
            return LocalDateTime.parse(value, AMZ_DATE).toInstant(ZoneOffset.UTC);
        } catch (DateTimeParseException e) {
            throw error.exception("Invalid date '" + value + "'; expected yyyyMMdd'T'HHmmss'Z'");
        }
    }

    private static List<String> signedHeaderList(String value, S3Error error) {
        List<String> names = Arrays.asList(value.toLowerCase(Locale.ROOT).split(";"));
        if (!names.contains("host")) {
            throw error.exception("The host header must be signed.");
        }
        return names;
    }

    /** As S3: every x-amz-* header sent must be signed, or it could be added in transit. */
    private static void requireAmzHeadersSigned(MultiMap headers, List<String> signed) {
        for (String name : headers.names()) {
            String lower = name.toLowerCase(Locale.ROOT);
            if (lower.startsWith("x-amz-") && !signed.contains(lower)) {
                throw S3Error.ACCESS_DENIED.exception("There were headers present in the request which were not signed: " + lower);
            }
        }
    }

    /** The credential scope {@code accessKey/date/region/service/aws4_request}, checked against the request. */
    private record Scope(String accessKey, String date, String region, String service) {
        String scope() {
            return date + '/' + region + '/' + service + "/aws4_request";
        }

        static Scope parse(String credential, String amzDate, String expectedRegion, String service, S3Error error) {
            String[] p = credential.split("/");
            if (p.length != 5 || !p[4].equals("aws4_request") || p[0].isEmpty()) {
                throw error.exception("Error parsing the Credential: expected <key>/<date>/<region>/s3/aws4_request");
            }
            if (!amzDate.startsWith(p[1]) || p[1].length() != 8) {
                throw error.exception("Invalid credential date \"" + p[1] + "\". This date is not the same as X-Amz-Date: \"" + amzDate.substring(0, 8) + "\".");
            }
            if (p[2].isEmpty() || (expectedRegion != null && !p[2].equals(expectedRegion))) {
                throw error.exception("The region '" + p[2] + "' is wrong; expecting '" + (expectedRegion == null ? "a region" : expectedRegion) + "'")
                        .withRegion(expectedRegion);
            }
            if (!p[3].equals(service)) {
                throw error.exception("The service '" + p[3] + "' is wrong; expecting '" + service + "'");
            }
            return new Scope(p[0], p[1], p[2], p[3]);
        }
    }
}
