package io.mooseng.s3.auth;

import io.vertx.core.MultiMap;

import java.net.URI;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

/**
 * Builds SigV4 presigned URLs (UNSIGNED-PAYLOAD), so load generators such as wrk, a plain
 * HTTP client, and one zone's sync agent talking to another zone's gateways need no signing
 * of their own. Uses the gateway's own canonicalization, so the two cannot disagree.
 */
public final class Presigner {
    private static final DateTimeFormatter AMZ_DATE = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'");
    private final URI endpoint;
    private final String accessKey;
    private final String secretKey;
    private final String region;
    private final SigningKeys keys = new SigningKeys();

    public Presigner(URI endpoint, String accessKey, String secretKey, String region) {
        this.endpoint = endpoint;
        this.accessKey = accessKey;
        this.secretKey = secretKey;
        this.region = region;
    }

    /** A URL for {@code method} on {@code /bucket/key}, valid for {@code expiresSeconds}. */
    public String presign(String method, String bucket, String key, int expiresSeconds) {
        return presign(method, bucket, key, Map.of(), expiresSeconds);
    }

    /**
     * As {@link #presign(String, String, String, int)}, with more query parameters signed in.
     *
     * @param bucket null for the service (ListBuckets and service-level requests)
     */
    public String presign(String method, String bucket, String key, Map<String, String> params, int expiresSeconds) {
        ZonedDateTime now = ZonedDateTime.now(ZoneOffset.UTC);
        String amzDate = AMZ_DATE.format(now);
        String date = amzDate.substring(0, 8);
        String scope = date + "/" + region + "/s3/aws4_request";
        String path = bucket == null ? "/" : "/" + bucket + (key == null ? "" : "/" + UriEncoding.encode(key, true));
        StringBuilder extra = new StringBuilder();
        params.forEach((name, value) -> extra.append(UriEncoding.encode(name, false)).append('=')
                .append(UriEncoding.encode(value, false)).append('&'));
        String query = extra + "X-Amz-Algorithm=" + CanonicalRequest.ALGORITHM
                + "&X-Amz-Credential=" + UriEncoding.encode(accessKey + "/" + scope, false)
                + "&X-Amz-Date=" + amzDate
                + "&X-Amz-Expires=" + expiresSeconds
                + "&X-Amz-SignedHeaders=host";
        String host = endpoint.getHost() + (endpoint.getPort() > 0 ? ":" + endpoint.getPort() : "");
        MultiMap headers = MultiMap.caseInsensitiveMultiMap().add("host", host);
        String canonical = CanonicalRequest.build(method, path, QueryString.parse(query), null, headers, List.of("host"),
                "UNSIGNED-PAYLOAD");
        byte[] signingKey = keys.key(accessKey, secretKey, date, region, "s3");
        String signature = HexFormat.of().formatHex(Digests.hmacSha256(signingKey, CanonicalRequest.stringToSign(amzDate, scope, canonical)));
        return endpoint.getScheme() + "://" + host + path + "?" + query + "&X-Amz-Signature=" + signature;
    }
}
