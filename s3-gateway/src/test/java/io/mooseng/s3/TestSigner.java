package io.mooseng.s3;

import io.mooseng.s3.auth.CanonicalRequest;
import io.mooseng.s3.auth.Digests;
import io.mooseng.s3.auth.QueryString;
import io.mooseng.s3.auth.SigningKeys;
import io.vertx.core.MultiMap;

import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/** Signs test requests as an SDK would (the algorithm itself is checked against AWS's vectors elsewhere). */
final class TestSigner {
    static final String ACCESS_KEY = "AKIDTEST";
    static final String SECRET = "secret/key+test";

    private TestSigner() {
    }

    /** Adds x-amz-date, x-amz-content-sha256 and Authorization to {@code headers} (which must hold Host). */
    static void sign(String method, String rawPath, String rawQuery, Map<String, String> headers, String payloadHash) {
        String amzDate = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'").format(ZonedDateTime.now(ZoneOffset.UTC));
        headers.put("x-amz-date", amzDate);
        headers.put("x-amz-content-sha256", payloadHash);
        MultiMap mm = MultiMap.caseInsensitiveMultiMap();
        Map<String, String> sorted = new TreeMap<>();
        headers.forEach((k, v) -> {
            mm.add(k, v);
            sorted.put(k.toLowerCase(Locale.ROOT), v);
        });
        List<String> signed = new ArrayList<>(sorted.keySet());
        String scope = amzDate.substring(0, 8) + "/us-east-1/s3/aws4_request";
        String canonical = CanonicalRequest.build(method, rawPath, QueryString.parse(rawQuery), null, mm, signed, payloadHash);
        byte[] key = new SigningKeys().key(ACCESS_KEY, SECRET, amzDate.substring(0, 8), "us-east-1", "s3");
        String signature = Digests.hex(Digests.hmacSha256(key, CanonicalRequest.stringToSign(amzDate, scope, canonical)));
        headers.put("Authorization", "AWS4-HMAC-SHA256 Credential=" + ACCESS_KEY + "/" + scope
                + ", SignedHeaders=" + String.join(";", signed) + ", Signature=" + signature);
    }
}
