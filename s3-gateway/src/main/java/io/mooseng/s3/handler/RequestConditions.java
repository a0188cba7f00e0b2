package io.mooseng.s3.handler;

import io.mooseng.core.policy.ConditionKeys;
import io.mooseng.core.policy.RequestContext;
import io.mooseng.s3.auth.Identity;
import io.mooseng.s3.auth.SignedRequest;
import io.mooseng.s3.error.S3Exception;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;

/** The condition keys of a request, as policies see them. */
final class RequestConditions {
    private RequestConditions() {
    }

    /** @param existingTags the tags of the object the request reads or changes, or null when not looked up */
    static RequestContext of(S3Request req, Map<String, String> existingTags) {
        SignedRequest auth = req.auth();
        Identity identity = auth.identity();
        Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
        RequestContext.Builder b = RequestContext.builder()
                .put(ConditionKeys.SOURCE_IP, req.http().remoteAddress() == null ? null : req.http().remoteAddress().host())
                .put(ConditionKeys.SECURE_TRANSPORT, String.valueOf(req.http().isSSL()))
                .put(ConditionKeys.CURRENT_TIME, now.toString())
                .put(ConditionKeys.EPOCH_TIME, String.valueOf(now.getEpochSecond()))
                .put(ConditionKeys.PRINCIPAL_TYPE, identity == null ? "Anonymous" : identity.root() ? "Account" : "User")
                .put(ConditionKeys.REFERER, req.header("referer"))
                .put(ConditionKeys.USER_AGENT, req.header("user-agent"))
                .put(ConditionKeys.PREFIX, req.param("prefix"))
                .put(ConditionKeys.DELIMITER, req.param("delimiter"))
                .put(ConditionKeys.MAX_KEYS, req.param("max-keys"))
                .put(ConditionKeys.SERVER_SIDE_ENCRYPTION, req.header("x-amz-server-side-encryption"))
                .put(ConditionKeys.ACL, req.header("x-amz-acl"));
        if (identity != null) {
            // users have no separate unique id: the name is unique in the namespace
            b.put(ConditionKeys.USERNAME, identity.user()).put(ConditionKeys.USERID, identity.user())
                    .put(ConditionKeys.AUTH_TYPE, req.header("authorization") != null ? "REST-HEADER" : "REST-QUERY-STRING")
                    .put(ConditionKeys.SIGNATURE_VERSION, auth.signingKey() == null ? "AWS" : "AWS4-HMAC-SHA256");
        }
        requestTags(b, req.header("x-amz-tagging"));
        if (existingTags != null) {
            existingTags.forEach((k, v) -> b.put(ConditionKeys.EXISTING_OBJECT_TAG + k, v));
        }
        return b.build();
    }

    /** The tags of x-amz-tagging; a header that does not parse sets none (its handler refuses it). */
    private static void requestTags(RequestContext.Builder b, String header) {
        if (header == null) {
            return;
        }
        try {
            Map<String, String> tags = TagSets.fromHeader(header, TagSets.MAX_OBJECT_TAGS);
            tags.forEach((k, v) -> b.put(ConditionKeys.REQUEST_OBJECT_TAG + k, v));
            b.put(ConditionKeys.REQUEST_OBJECT_TAG_KEYS, List.copyOf(tags.keySet()));
        } catch (S3Exception e) {
            // not this step's error to answer
        }
    }
}
