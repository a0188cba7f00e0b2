package io.mooseng.s3.auth;

import io.vertx.core.MultiMap;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The canonical request and string to sign of Signature Version 4, as S3 computes them:
 * the path is decoded and re-encoded once per segment (S3 does not normalize "." or "//"),
 * query parameters are encoded and sorted, header values read as text ({@link HeaderText}),
 * trimmed with inner runs of spaces collapsed, and headers listed in the order of SignedHeaders.
 */
public final class CanonicalRequest {
    public static final String ALGORITHM = "AWS4-HMAC-SHA256";

    private CanonicalRequest() {
    }

    /**
     * @param rawPath       the path as sent, still percent-encoded
     * @param excludedParam a query parameter left out (X-Amz-Signature of presigned URLs), or null
     * @param signedHeaders lower-case header names in the client's order
     */
    public static String build(String method, String rawPath, QueryString query, String excludedParam,
                               MultiMap headers, List<String> signedHeaders, String payloadHash) {
        StringBuilder sb = new StringBuilder(256);
        sb.append(method).append('\n');
        sb.append(canonicalUri(rawPath)).append('\n');
        sb.append(canonicalQuery(query, excludedParam)).append('\n');
        for (String name : signedHeaders) {
            sb.append(name).append(':').append(canonicalHeaderValue(headers.getAll(name))).append('\n');
        }
        sb.append('\n');
        sb.append(String.join(";", signedHeaders)).append('\n');
        sb.append(payloadHash);
        return sb.toString();
    }

    public static String stringToSign(String amzDate, String scope, String canonicalRequest) {
        return ALGORITHM + '\n' + amzDate + '\n' + scope + '\n' + Digests.sha256Hex(canonicalRequest);
    }

    static String canonicalUri(String rawPath) {
        if (rawPath == null || rawPath.isEmpty()) {
            return "/";
        }
        return UriEncoding.encode(UriEncoding.decodePath(rawPath), true);
    }

    static String canonicalQuery(QueryString query, String excludedParam) {
        List<String[]> pairs = new ArrayList<>();
        for (Map.Entry<String, String> e : query.entries()) {
            if (!e.getKey().equals(excludedParam)) {
                pairs.add(new String[] {UriEncoding.encode(e.getKey(), false), UriEncoding.encode(e.getValue(), false)});
            }
        }
        pairs.sort((a, b) -> a[0].equals(b[0]) ? a[1].compareTo(b[1]) : a[0].compareTo(b[0]));
        StringBuilder sb = new StringBuilder();
        for (String[] p : pairs) {
            if (sb.length() > 0) {
                sb.append('&');
            }
            sb.append(p[0]).append('=').append(p[1]);
        }
        return sb.toString();
    }

    static String canonicalHeaderValue(List<String> values) {
        StringBuilder sb = new StringBuilder();
        for (String v : values) {
            if (sb.length() > 0) {
                sb.append(',');
            }
            sb.append(HeaderText.fromWire(v).trim().replaceAll(" {2,}", " "));
        }
        return sb.toString();
    }
}
