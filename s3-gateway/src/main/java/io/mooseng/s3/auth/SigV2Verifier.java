package io.mooseng.s3.auth;

import io.mooseng.s3.error.S3Error;
import io.mooseng.s3.error.S3Exception;
import io.vertx.core.MultiMap;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Verifies AWS Signature Version 2, which older clients still send (s3cmd with
 * {@code signature_v2}, boto 2): {@code Authorization: AWS key:signature}, or a presigned URL
 * with {@code AWSAccessKeyId}, {@code Expires} and {@code Signature}. The signature is
 * Base64(HMAC-SHA1(secret, string to sign)); the payload is not signed (Content-MD5, when
 * sent, is, and the body is checked against it).
 * Contract: thread-safe and non-blocking, like {@link SigV4Authenticator}.
 */
final class SigV2Verifier {
    /** The sub-resources that are part of what is signed, as S3 lists them; other parameters are not. */
    private static final Set<String> SIGNED_SUBRESOURCES = Set.of("acl", "cors", "delete", "lifecycle", "location",
            "logging", "notification", "partNumber", "policy", "requestPayment", "restore", "tagging", "torrent", "uploadId",
            "uploads", "versionId", "versioning", "versions", "website", "response-cache-control",
            "response-content-disposition", "response-content-encoding", "response-content-language",
            "response-content-type", "response-expires");
    private static final DateTimeFormatter AMZ_DATE = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'");

    private final Credentials credentials;
    private final Clock clock;

    SigV2Verifier(Credentials credentials, Clock clock) {
        this.credentials = credentials;
        this.clock = clock;
    }

    /**
     * @param resourcePath the path as sent, with {@code /bucket} in front when the bucket was
     *                     named by the Host header (virtual-host style)
     */
    SignedRequest verifyHeader(String authorization, String method, String resourcePath, QueryString query, MultiMap headers) {
        String credential = authorization.substring("AWS ".length()).trim();
        int colon = credential.lastIndexOf(':');
        if (colon <= 0 || colon == credential.length() - 1) {
            throw S3Error.INVALID_ARGUMENT.exception("AWS authorization header is invalid.  Expected AwsAccessKeyId:signature");
        }
        Instant time = requestTime(headers);
        if (Duration.between(time, clock.instant()).abs().compareTo(SigV4Authenticator.MAX_SKEW) > 0) {
            throw S3Error.REQUEST_TIME_TOO_SKEWED.exception();
        }
        // with x-amz-date the Date line is empty: the time is signed among the x-amz-* headers
        String date = headers.contains("x-amz-date") ? "" : headers.get("date");
        return verify(credential.substring(0, colon), credential.substring(colon + 1), false,
                stringToSign(method, date, resourcePath, query, headers));
    }

    SignedRequest verifyQuery(String method, String resourcePath, QueryString query, MultiMap headers) {
        String expires = query.get("Expires");
        long expiresAt;
        try {
            expiresAt = Long.parseLong(expires == null ? "" : expires);
        } catch (NumberFormatException e) {
            throw S3Error.ACCESS_DENIED.exception("Invalid date (should be seconds since epoch): " + expires);
        }
        if (clock.instant().getEpochSecond() > expiresAt) {
            throw S3Error.ACCESS_DENIED.exception("Request has expired");
        }
        return verify(query.get("AWSAccessKeyId"), query.get("Signature"), true,
                stringToSign(method, expires, resourcePath, query, headers));
    }

    /** A browser form signed with Signature Version 2: base64 of HMAC-SHA1 of the policy field as the form carries it. */
    SignedRequest verifyPost(String accessKey, String policy, String signature) {
        return verify(accessKey, signature, false, policy);
    }

    private SignedRequest verify(String accessKey, String signature, boolean presigned, String stringToSign) {
        Credentials.Key known = credentials.key(accessKey);
        if (known == null) {
            throw S3Error.INVALID_ACCESS_KEY_ID.exception();
        }
        String expected = Base64.getEncoder().encodeToString(Digests.hmacSha1(known.secretKey().getBytes(StandardCharsets.UTF_8), stringToSign));
        if (!Digests.sameSignature(expected, signature)) {
            throw S3Error.SIGNATURE_DOES_NOT_MATCH.exception();
        }
        return new SignedRequest(known.identity(), null, null, null, signature, SigV4Authenticator.UNSIGNED_PAYLOAD, presigned);
    }

    /** Method, Content-MD5, Content-Type, the date (or Expires), the x-amz-* headers and the resource, one per line. */
    static String stringToSign(String method, String date, String resourcePath, QueryString query, MultiMap headers) {
        StringBuilder sb = new StringBuilder(256).append(method).append('\n')
                .append(value(headers, "content-md5")).append('\n')
                .append(value(headers, "content-type")).append('\n')
                .append(date == null ? "" : date).append('\n');
        Map<String, List<String>> amz = new TreeMap<>();
        for (Map.Entry<String, String> h : headers.entries()) {
            String name = h.getKey().toLowerCase(Locale.ROOT);
            if (name.startsWith("x-amz-")) {
                amz.computeIfAbsent(name, n -> new ArrayList<>()).add(HeaderText.fromWire(h.getValue()).trim());
            }
        }
        amz.forEach((name, values) -> sb.append(name).append(':').append(String.join(",", values)).append('\n'));
        sb.append(resourcePath);
        Map<String, String> subresources = new TreeMap<>();
        for (Map.Entry<String, String> p : query.entries()) {
            if (SIGNED_SUBRESOURCES.contains(p.getKey())) {
                subresources.putIfAbsent(p.getKey(), p.getValue());
            }
        }
        char separator = '?';
        for (Map.Entry<String, String> s : subresources.entrySet()) {
            sb.append(separator).append(s.getKey());
            if (!s.getValue().isEmpty()) {
                sb.append('=').append(s.getValue());
            }
            separator = '&';
        }
        return sb.toString();
    }

    private static String value(MultiMap headers, String name) {
        String v = headers.get(name);
        return v == null ? "" : HeaderText.fromWire(v).trim();
    }

    /** x-amz-date (RFC 1123, or ISO basic as SigV4 writes it), else Date. */
    private static Instant requestTime(MultiMap headers) {
        String value = headers.contains("x-amz-date") ? headers.get("x-amz-date") : headers.get("date");
        if (value != null) {
            try {
                return ZonedDateTime.parse(value.trim(), DateTimeFormatter.RFC_1123_DATE_TIME).toInstant();
            } catch (DateTimeParseException e) {
                try {
                    return LocalDateTime.parse(value.trim(), AMZ_DATE).toInstant(ZoneOffset.UTC);
                } catch (DateTimeParseException e2) {
                    // answered below
                }
            }
        }
        throw S3Error.ACCESS_DENIED.exception("AWS authentication requires a valid Date or x-amz-date header");
    }
}
