package io.mooseng.s3.handler;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.mooseng.s3.error.S3Error;
import io.mooseng.s3.error.S3Exception;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The policy of a browser form upload (S3's POST policy): when it expires and the conditions
 * the form's fields must meet, {@code eq} (or an object {@code {"field": "value"}}),
 * {@code starts-with} and {@code content-length-range}. Every field of the form but
 * {@code x-amz-signature} (or Signature Version 2's {@code signature} and {@code AWSAccessKeyId}),
 * {@code file}, {@code policy} and {@code x-ignore-*} must be named by a condition. Field names compare without case, values exactly.
 */
final class PostPolicy {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String DENIED = "Invalid according to Policy: ";
    /** Fields no condition needs to name: the signature (either version's), its key id in version 2, and the policy itself. */
    private static final Set<String> UNNAMED = Set.of("x-amz-signature", "signature", "awsaccesskeyid", "policy");

    sealed interface Condition {
    }

    /** @param field lower-cased, without '$' */
    record Equals(String field, String value) implements Condition {
    }

    record StartsWith(String field, String prefix) implements Condition {
    }

    record LengthRange(long min, long max) implements Condition {
    }

    private final Instant expiration;
    private final List<Condition> conditions;

    private PostPolicy(Instant expiration, List<Condition> conditions) {
        this.expiration = expiration;
        this.conditions = conditions;
    }

    /**
     * @param base64 the policy field as the form carries it
     * @throws S3Exception InvalidPolicyDocument for anything but a JSON document with an expiration and known conditions
     */
    static PostPolicy parse(String base64) {
        JsonNode doc;
        try {
            doc = JSON.readTree(new String(Base64.getMimeDecoder().decode(base64), StandardCharsets.UTF_8));
        } catch (IOException | IllegalArgumentException e) {
            throw invalid("Invalid JSON.");
        }
        if (doc == null || !doc.isObject()) {
            throw invalid("Invalid JSON.");
        }
        JsonNode expiration = doc.get("expiration");
        if (expiration == null || !expiration.isTextual()) {
            throw invalid("Policy missing expiration.");
        }
        Instant expires;
        try {
            expires = Instant.parse(expiration.asText());
        } catch (DateTimeParseException e) {
            throw invalid("Invalid 'expiration' value: '" + expiration.asText() + "'");
        }
        JsonNode list = doc.get("conditions");
        if (list == null || !list.isArray()) {
            throw invalid("Policy missing conditions.");
        }
        List<Condition> conditions = new ArrayList<>();
        for (JsonNode c : list) {
            conditions.add(condition(c));
        }
        return new PostPolicy(expires, List.copyOf(conditions));
    }

    /**
     * @param fields the form's fields before the file, names lower-cased
     * @param bucket the bucket the form was posted to (what a "bucket" condition tests)
     * @throws S3Exception AccessDenied when the policy expired, a condition fails or a field is named by none
     */
    void check(Map<String, String> fields, String bucket, Instant now) {
        if (!now.isBefore(expiration)) {
            throw S3Error.ACCESS_DENIED.exception(DENIED + "Policy expired.");
        }
        Map<String, String> values = new HashMap<>(fields);
        values.put("bucket", bucket);
        List<String> named = new ArrayList<>();
        for (Condition c : conditions) {
            switch (c) {
                case Equals e -> {
                    if (!e.value().equals(values.getOrDefault(e.field(), ""))) {
                        throw failed("[\"eq\", \"$" + e.field() + "\", \"" + e.value() + "\"]");
                    }
                    named.add(e.field());
                }
                case StartsWith s -> {
                    if (!values.getOrDefault(s.field(), "").startsWith(s.prefix())) {
                        throw failed("[\"starts-with\", \"$" + s.field() + "\", \"" + s.prefix() + "\"]");
                    }
                    named.add(s.field());
                }
                case LengthRange ignored -> {
                }
            }
        }
        for (String field : fields.keySet()) {
            if (!UNNAMED.contains(field) && !field.startsWith("x-ignore-") && !named.contains(field)) {
                throw S3Error.ACCESS_DENIED.exception(DENIED + "Extra input fields: " + field);
            }
        }
    }

    /** The content-length-range condition, or null without one. */
    LengthRange lengthRange() {
        for (Condition c : conditions) {
            if (c instanceof LengthRange r) {
                return r;
            }
        }
        return null;
    }

    private static Condition condition(JsonNode c) {
        if (c.isObject() && c.size() == 1) {
            var e = c.fields().next();
            if (e.getValue().isTextual()) {
                return new Equals(e.getKey().toLowerCase(Locale.ROOT), e.getValue().asText());
            }
        } else if (c.isArray() && c.size() == 3 && c.get(0).isTextual()) {
            String op = c.get(0).asText().toLowerCase(Locale.ROOT);
            if (op.equals("content-length-range")) {
                long min = number(c.get(1));
                long max = number(c.get(2));
                if (min >= 0 && max >= min) {
                    return new LengthRange(min, max);
                }
            } else if ((op.equals("eq") || op.equals("starts-with")) && c.get(1).isTextual() && c.get(1).asText().startsWith("$")
                    && c.get(2).isTextual()) {
                String field = c.get(1).asText().substring(1).toLowerCase(Locale.ROOT);
                return op.equals("eq") ? new Equals(field, c.get(2).asText()) : new StartsWith(field, c.get(2).asText());
            }
        }
        throw invalid("Invalid Simple-Condition or unknown operation: " + c);
    }

    private static long number(JsonNode n) {
        if (n.isIntegralNumber()) {
            return n.asLong();
        }
        if (n.isTextual()) {
            try {
                return Long.parseLong(n.asText().trim());
            } catch (NumberFormatException e) {
                // answered below
            }
        }
        return -1;
    }

    private static S3Exception failed(String condition) {
        return S3Error.ACCESS_DENIED.exception(DENIED + "Policy Condition failed: " + condition);
    }

    private static S3Exception invalid(String why) {
        return S3Error.INVALID_POLICY_DOCUMENT.exception("Invalid Policy: " + why);
    }
}
