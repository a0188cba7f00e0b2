package io.mooseng.core.notify;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.mooseng.core.model.NotificationEvent;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.HexFormat;

/**
 * A notification as S3 sends it: {@code {"Records": [...]}} with one record (event version 2.1),
 * the event name without its {@code s3:} prefix, the key URL-encoded as S3 encodes it (spaces as
 * '+', slashes kept) and the queue sequence as the sequencer (hex, ordered per key as S3's are).
 */
final class S3EventJson {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final String region;

    S3EventJson(String region) {
        this.region = region;
    }

    String of(NotificationEvent e) {
        ObjectNode root = JSON.createObjectNode();
        ObjectNode r = root.putArray("Records").addObject();
        r.put("eventVersion", "2.1").put("eventSource", "aws:s3").put("awsRegion", region)
                .put("eventTime", Instant.ofEpochMilli(e.timeMillis()).toString())
                .put("eventName", e.eventName().startsWith("s3:") ? e.eventName().substring(3) : e.eventName());
        r.putObject("userIdentity").put("principalId", "");
        r.putObject("requestParameters").put("sourceIPAddress", "");
        r.putObject("responseElements");
        ObjectNode s3 = r.putObject("s3");
        s3.put("s3SchemaVersion", "1.0").put("configurationId", e.ruleId());
        ObjectNode bucket = s3.putObject("bucket");
        bucket.put("name", e.bucket()).put("arn", "arn:aws:s3:::" + e.bucket());
        bucket.putObject("ownerIdentity").put("principalId", "");
        ObjectNode object = s3.putObject("object");
        object.put("key", URLEncoder.encode(e.key(), StandardCharsets.UTF_8).replace("%2F", "/"));
        if (!e.eventName().contains("ObjectRemoved")) {
            object.put("size", e.size()).put("eTag", e.etag());
        }
        object.put("sequencer", HexFormat.of().withUpperCase().toHexDigits(e.sequence()));
        try {
            return JSON.writeValueAsString(root);
        } catch (JsonProcessingException ex) {
            throw new IllegalStateException(ex);
        }
    }
}
