package io.mooseng.s3;

import io.mooseng.core.audit.JsonLinesWriter;
import io.mooseng.s3.auth.QueryString;
import io.mooseng.s3.error.S3Error;
import io.mooseng.s3.handler.S3Request;
import io.vertx.core.MultiMap;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.net.SocketAddress;

import java.nio.file.Path;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The gateway's audit trail (the {@code --audit-log} file), one JSON object per line:
 * every S3 write (PUT, POST and DELETE: objects, copies, uploads, tags, bucket creation,
 * deletion and settings) and every refused request (403, or failed before it was
 * authenticated), whatever its method.
 * <pre>
 * {"time":"2026-12-05T17:11:54.123Z","requestId":"...","accessKey":"AK...","source":"10.0.0.5:51234",
 *  "method":"PUT","operation":"PutObject","bucket":"photos","key":"2024/a.jpg","status":200,"error":null}
 * </pre>
 * {@code accessKey} is the key the request names (also when refused, so a probe shows which
 * key it tried), null if none. No secret and no signature is ever written: an Authorization
 * header and the signing query parameters are read for the key alone.
 * Contract: {@link #record} never blocks (see {@link JsonLinesWriter}); called on event loops.
 */
final class AuditLog implements AutoCloseable {
    /** A claimed access key longer than this is cut: the line stays small whatever a client sends. */
    private static final int MAX_CLAIMED_KEY = 128;

    private final JsonLinesWriter writer;

    AuditLog(Path file) {
        this.writer = new JsonLinesWriter(file, JsonLinesWriter.DEFAULT_CAPACITY);
    }

    /** Events not written because the queue was full. */
    long dropped() {
        return writer.dropped();
    }

    /** Writes the request's line if it is a write or was refused. */
    void record(S3Request req, int status) {
        HttpMethod method = req.http().method();
        S3Error error = req.error();
        boolean write = method == HttpMethod.PUT || method == HttpMethod.POST || method == HttpMethod.DELETE;
        boolean refused = status == 403 || (req.auth() == null && error != null && method != HttpMethod.OPTIONS);
        if (!write && !refused) {
            return;
        }
        SocketAddress source = req.http().remoteAddress();
        Map<String, Object> event = new LinkedHashMap<>();
        event.put("time", Instant.now().toString());
        event.put("requestId", req.requestId());
        event.put("accessKey", req.auth() != null ? req.auth().accessKey() : claimedAccessKey(req.headers(), req.query()));
        event.put("source", source == null ? null : source.hostAddress() + ":" + source.port());
        event.put("method", method.name());
        event.put("operation", req.operation());
        event.put("bucket", req.bucket());
        event.put("key", req.key());
        event.put("status", status);
        event.put("error", error == null ? null : error.code());
        writer.write(event);
    }

    /** The access key a request names in any of the signing forms, without anything after it; or null. */
    static String claimedAccessKey(MultiMap headers, QueryString query) {
        String authorization = headers.get("authorization");
        String key = null;
        if (authorization != null && authorization.startsWith("AWS ")) {
            int colon = authorization.lastIndexOf(':');
            key = colon < 4 ? null : authorization.substring(4, colon).trim();
        } else if (authorization != null) {
            int at = authorization.indexOf("Credential=");
            key = at < 0 ? null : upTo(authorization.substring(at + "Credential=".length()), '/');
        } else if (query.has("X-Amz-Credential")) {
            key = upTo(query.get("X-Amz-Credential"), '/');
        } else if (query.has("AWSAccessKeyId")) {
            key = query.get("AWSAccessKeyId");
        }
        return key == null || key.length() <= MAX_CLAIMED_KEY ? key : key.substring(0, MAX_CLAIMED_KEY);
    }

    /** The text before {@code end} (or before a ',' that ends a malformed field), or null when {@code end} is absent. */
    private static String upTo(String s, char end) {
        int i = s.indexOf(end);
        int comma = s.indexOf(',');
        return i < 0 || (comma >= 0 && comma < i) ? null : s.substring(0, i);
    }

    @Override
    public void close() {
        writer.close();
    }
}
