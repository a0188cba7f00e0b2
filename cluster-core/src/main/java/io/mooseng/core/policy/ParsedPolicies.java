package io.mooseng.core.policy;

import io.mooseng.core.error.ErrorCode;
import io.mooseng.core.error.MooseException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Policies parsed once per distinct text, not per request. A stored document that no longer
 * parses (it was validated when stored) denies everything: authorization fails closed.
 * Contract: thread-safe.
 */
public final class ParsedPolicies {
    private static final Logger LOG = LoggerFactory.getLogger(ParsedPolicies.class);
    /** Beyond this many texts the cache starts over: cheaper than tracking use, and rare (one per bucket or user policy). */
    private static final int MAX_ENTRIES = 4096;
    private static final PolicyDocument DENY_ALL = new PolicyDocument(List.of(new Statement(null, false, null, List.of("*"), false,
            List.of("*"), false, List.of())), false);

    /** @param bucket null for an identity policy */
    private record Text(String bucket, String json) {
    }

    private final Map<Text, PolicyDocument> parsed = new ConcurrentHashMap<>();

    public PolicyDocument bucketPolicy(String json, String bucket) {
        return get(new Text(bucket, json));
    }

    public PolicyDocument identityPolicy(String json) {
        return get(new Text(null, json));
    }

    private PolicyDocument get(Text text) {
        PolicyDocument known = parsed.get(text);
        if (known != null) {
            return known;
        }
        if (parsed.size() >= MAX_ENTRIES) {
            parsed.clear();
        }
        return parsed.computeIfAbsent(text, t -> {
            try {
                return t.bucket() == null ? PolicyDocument.identityPolicy(t.json()) : PolicyDocument.bucketPolicy(t.json(), t.bucket());
            } catch (MooseException e) {
                LOG.warn("a stored {} policy does not parse, so it denies everything: {}", t.bucket() == null ? "identity" : "bucket " + t.bucket(),
                        e.getMessage());
                return DENY_ALL;
            }
        });
    }
}
