package io.mooseng.s3.auth;

import java.nio.charset.StandardCharsets;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Derives SigV4 signing keys (four chained HMACs) and caches them per access key, date,
 * region and service: the key changes once a day, requests arrive thousands of times a second.
 */
public final class SigningKeys {
    private static final int MAX_ENTRIES = 1024;

    private record Entry(String secret, byte[] key) {
    }

    private final ConcurrentHashMap<String, Entry> cache = new ConcurrentHashMap<>();

    /** The signing key for a credential scope; the secret is compared so a rotated secret is never served stale. */
    public byte[] key(String accessKey, String secret, String date, String region, String service) {
        String id = accessKey + '/' + date + '/' + region + '/' + service;
        Entry e = cache.get(id);
        if (e != null && e.secret.equals(secret)) {
            return e.key;
        }
        byte[] key = derive(secret, date, region, service);
        if (cache.size() >= MAX_ENTRIES) {
            cache.clear(); // old dates only; cheaper than an LRU for a handful of live keys
        }
        cache.put(id, new Entry(secret, key));
        return key;
    }

    static byte[] derive(String secret, String date, String region, String service) {
        byte[] k = Digests.hmacSha256(("AWS4" + secret).getBytes(StandardCharsets.UTF_8), date);
        k = Digests.hmacSha256(k, region);
        k = Digests.hmacSha256(k, service);
        return Digests.hmacSha256(k, "aws4_request");
    }
}
