package io.mooseng.s3.handler;

import io.mooseng.s3.error.S3Error;
import io.mooseng.s3.error.S3Exception;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class PostPolicyTest {
    private static final Instant NOW = Instant.parse("2026-12-05T12:00:00Z");

    private static PostPolicy policy(String json) {
        return PostPolicy.parse(Base64.getEncoder().encodeToString(json.getBytes(StandardCharsets.UTF_8)));
    }

    private static S3Exception refusal(Runnable r) {
        return assertThrows(S3Exception.class, r::run);
    }

    @Test
    void conditionsOfEveryFormAreChecked() {
        PostPolicy p = policy("""
                {"expiration": "2026-12-05T13:00:00.000Z", "conditions": [{"bucket": "photos"}, ["starts-with", "$key", "user/"],
                 {"acl": "private"}, ["eq", "$Content-Type", "image/png"], ["content-length-range", "10", 2048]]}""");
        Map<String, String> fields = Map.of("key", "user/a.png", "acl", "private", "content-type", "image/png", "policy", "...",
                "x-amz-signature", "...", "x-ignore-me", "1");
        p.check(fields, "photos", NOW);
        assertEquals(new PostPolicy.LengthRange(10, 2048), p.lengthRange());
        S3Exception wrongBucket = refusal(() -> p.check(fields, "other", NOW));
        assertEquals(S3Error.ACCESS_DENIED, wrongBucket.error());
        assertTrue(wrongBucket.getMessage().contains("Policy Condition failed: [\"eq\", \"$bucket\", \"photos\"]"), wrongBucket.getMessage());
        S3Exception extra = refusal(() -> p.check(Map.of("key", "user/a.png", "acl", "private", "content-type", "image/png",
                "x-amz-meta-a", "1"), "photos", NOW));
        assertTrue(extra.getMessage().endsWith("Extra input fields: x-amz-meta-a"), extra.getMessage());
        S3Exception expired = refusal(() -> p.check(fields, "photos", Instant.parse("2026-12-05T13:00:00Z")));
        assertTrue(expired.getMessage().endsWith("Policy expired."), expired.getMessage());
    }

    @Test
    void documentsThatAreNoPolicyAreRefused() {
        for (String doc : new String[]{"not json", "[]", "{\"conditions\": []}", "{\"expiration\": \"tomorrow\", \"conditions\": []}",
                "{\"expiration\": \"2026-12-05T13:00:00Z\"}", "{\"expiration\": \"2026-12-05T13:00:00Z\", \"conditions\": [[\"gt\", \"$a\", \"b\"]]}",
                "{\"expiration\": \"2026-12-05T13:00:00Z\", \"conditions\": [[\"content-length-range\", 10, 1]]}",
                "{\"expiration\": \"2026-12-05T13:00:00Z\", \"conditions\": [[\"eq\", \"key\", \"b\"]]}"}) {
            assertEquals(S3Error.INVALID_POLICY_DOCUMENT, refusal(() -> policy(doc)).error(), doc);
        }
        assertEquals(S3Error.INVALID_POLICY_DOCUMENT, refusal(() -> PostPolicy.parse("%%% not base64")).error());
    }
}
