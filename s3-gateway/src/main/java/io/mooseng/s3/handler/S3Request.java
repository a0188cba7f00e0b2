package io.mooseng.s3.handler;

import io.mooseng.s3.auth.QueryString;
import io.mooseng.s3.auth.SignedRequest;
import io.mooseng.s3.error.S3Error;
import io.mooseng.s3.error.S3Exception;
import io.mooseng.s3.xml.ErrorDocument;
import io.mooseng.s3.xml.S3Xml;
import io.mooseng.s3.xml.StsResponses;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpConnection;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;

import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Supplier;

/**
 * One S3 request in flight: where it is addressed, who signed it, and the helpers that
 * answer it. Contract: used only on its Vert.x context (not thread-safe).
 */
public final class S3Request {
    /** What an answered request's unread body may still cost before its connection is closed anyway. */
    private static final long DRAIN_BYTES = 1 << 20;
    private static final long DRAIN_MILLIS = 2_000;

    private final HttpServerRequest http;
    private final Context context;
    private final String requestId;
    private final String bucket;
    private final String key;
    private final QueryString query;
    private SignedRequest auth;
    private S3Error error;
    private String operation = "Unknown";
    /** Answered in STS's query protocol (its error document) rather than S3's. */
    private boolean sts;
    private MultiMap crossOrigin = MultiMap.caseInsensitiveMultiMap();
    private long bytesIn;
    /** Whether the connection closes once the unread body is dropped ({@link #closeWhenDrained}). */
    private boolean draining;
    private long bytesOut;

    /**
     * @param bucket the addressed bucket, or null for the service
     * @param key    the addressed key (decoded), or null for a bucket or the service
     */
    public S3Request(HttpServerRequest http, Context context, String requestId, String bucket, String key, QueryString query) {
        this.http = http;
        this.context = context;
        this.requestId = requestId;
        this.bucket = bucket;
        this.key = key;
        this.query = query;
    }

    public HttpServerRequest http() {
        return http;
    }

    public HttpServerResponse response() {
        return http.response();
    }

    public MultiMap headers() {
        return http.headers();
    }

    public String header(String name) {
        return http.headers().get(name);
    }

    public String param(String name) {
        return query.get(name);
    }

    public QueryString query() {
        return query;
    }

    public Context context() {
        return context;
    }

    public String requestId() {
        return requestId;
    }

    public String bucket() {
        return bucket;
    }

    public String key() {
        return key;
    }

    public SignedRequest auth() {
        return auth;
    }

    public void authenticated(SignedRequest auth) {
        this.auth = auth;
    }

    /** The error the request was answered with (even if the connection closed before it went out), or null. */
    public S3Error error() {
        return error;
    }

    /** The S3 operation the request was routed to, for metrics and logs; "Unknown" before. */
    public String operation() {
        return operation;
    }

    public void operation(String name) {
        this.operation = name;
    }

    /** Marks the request as an STS action: errors are answered as STS answers them. */
    void useStsProtocol() {
        sts = true;
    }

    /** Sets CORS headers on the answer, kept when an error replaces a prepared success. */
    void crossOrigin(MultiMap headers) {
        crossOrigin = headers;
        response().headers().addAll(headers);
    }

    /** Payload bytes received and sent, for metrics. */
    public long bytesIn() {
        return bytesIn;
    }

    public long bytesOut() {
        return bytesOut;
    }

    void addBytesIn(long n) {
        bytesIn += n;
    }

    void addBytesOut(long n) {
        bytesOut += n;
    }

    /** "/bucket/key" as S3 names the resource in errors. */
    public String resource() {
        return bucket == null ? "/" : key == null ? "/" + bucket : "/" + bucket + "/" + key;
    }

    /**
     * Runs a storage call and brings its outcome back to this request's context; a call
     * that throws instead of returning a future fails the result the same way.
     */
    public <T> Future<T> call(Supplier<CompletableFuture<T>> operation) {
        try {
            return Future.fromCompletionStage(operation.get(), context);
        } catch (RuntimeException | LinkageError e) {
            return Future.failedFuture(e);
        }
    }

    public Future<Void> sendXml(int status, Object document) {
        return response().setStatusCode(status)
                .putHeader("Content-Type", "application/xml")
                .end(Buffer.buffer(S3Xml.write(document)));
    }

    public Future<Void> send(int status) {
        return response().setStatusCode(status).end();
    }

    /**
     * Answers {@code error} as an S3 error document (no body for HEAD and 304). When the
     * response already started, the connection is closed instead: a truncated body must not
     * pass for a complete one. When the request body was not read, the connection is closed
     * after the answer, since the unread bytes would be taken for the next request.
     */
    public Future<Void> sendError(S3Exception error) {
        this.error = error.error();
        HttpServerResponse r = response();
        if (r.closed() || r.ended()) {
            return Future.succeededFuture();
        }
        if (r.headWritten()) {
            http.connection().close();
            return Future.succeededFuture();
        }
        // drop what a handler prepared for the success it did not reach (ETag, Content-Length, ...)
        r.headers().clear();
        commonHeaders(r, requestId);
        r.headers().addAll(crossOrigin);
        r.setStatusCode(error.error().status());
        for (Map.Entry<String, String> h : error.headers().entrySet()) {
            r.putHeader(h.getKey(), h.getValue());
        }
        boolean closeAfter = bodyUnread();
        if (closeAfter) {
            r.putHeader("Connection", "close");
        }
        Future<Void> sent;
        if (http.method() == HttpMethod.HEAD || error.error() == S3Error.NOT_MODIFIED) {
            sent = r.end();
        } else if (sts) {
            String type = error.error().status() >= 500 ? "Receiver" : "Sender";
            byte[] body = S3Xml.write(new StsResponses.ErrorResponse(new StsResponses.Error(type, error.error().code(),
                    xmlSafe(error.getMessage())), requestId));
            sent = r.putHeader("Content-Type", "text/xml").end(Buffer.buffer(body));
        } else {
            byte[] body = S3Xml.write(new ErrorDocument(error.error().code(), xmlSafe(error.getMessage()), error.region(), xmlSafe(resource()),
                    requestId));
            sent = r.putHeader("Content-Type", "application/xml").end(Buffer.buffer(body));
        }
        if (closeAfter) {
            sent = sent.andThen(ar -> closeWhenDrained());
        }
        return sent;
    }

    /** Percent-encodes what XML 1.0 cannot carry (NUL and other controls), as S3 does in error documents. */
    static String xmlSafe(String s) {
        if (s == null) {
            return null;
        }
        StringBuilder sb = null;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            boolean bad = (c < 0x20 && c != '\t' && c != '\n' && c != '\r') || c == 0xFFFE || c == 0xFFFF || loneSurrogate(s, i);
            if (bad && sb == null) {
                sb = new StringBuilder(s.length() + 8).append(s, 0, i);
            }
            if (sb != null) {
                if (bad) {
                    sb.append(String.format("%%%02X", (int) c & 0xFF));
                } else {
                    sb.append(c);
                }
            }
        }
        return sb == null ? s : sb.toString();
    }

    private static boolean loneSurrogate(String s, int i) {
        char c = s.charAt(i);
        if (Character.isHighSurrogate(c)) {
            return i + 1 >= s.length() || !Character.isLowSurrogate(s.charAt(i + 1));
        }
        return Character.isLowSurrogate(c) && (i == 0 || !Character.isHighSurrogate(s.charAt(i - 1)));
    }

    /** A fresh request id: 16 upper-case hex digits, as S3's. */
    public static String newRequestId() {
        return Long.toHexString(ThreadLocalRandom.current().nextLong() | Long.MIN_VALUE).toUpperCase(Locale.ROOT);
    }

    /** Headers on every response, errors included. */
    public static void commonHeaders(HttpServerResponse response, String requestId) {
        response.putHeader("x-amz-request-id", requestId)
                .putHeader("x-amz-id-2", requestId)
                .putHeader("Server", "MooseNG")
                .putHeader("Date", HttpDates.format(System.currentTimeMillis()));
    }

    /**
     * Closes the connection after an answer that left the request body unread, once the rest of
     * the body has arrived and been dropped (at most {@link #DRAIN_BYTES}, {@link #DRAIN_MILLIS}):
     * closing a socket with unread bytes makes the kernel send a reset, which can destroy the
     * answer before the client reads it (the "lingering close" of HTTP servers). Called on the
     * request's context; a second call does nothing.
     */
    public void closeWhenDrained() {
        if (draining) {
            return;
        }
        draining = true;
        HttpConnection connection = http.connection();
        Vertx vertx = context.owner();
        long timer = vertx.setTimer(DRAIN_MILLIS, id -> connection.close());
        Runnable done = () -> {
            vertx.cancelTimer(timer);
            connection.close();
        };
        long[] left = {DRAIN_BYTES};
        try {
            http.handler(b -> {
                left[0] -= b.length();
                if (left[0] < 0) {
                    done.run();
                }
            });
            http.endHandler(v -> done.run());
            http.exceptionHandler(e -> done.run());
            http.resume();
        } catch (IllegalStateException e) {
            done.run(); // the body ended meanwhile
        }
    }

    /** True when the client sent a body that nothing consumed. */
    public boolean bodyUnread() {
        if (http.isEnded()) {
            return false;
        }
        String length = header("content-length");
        return header("transfer-encoding") != null || (length != null && !length.trim().equals("0"));
    }

    /** Reads the whole (small) body: XML documents of a few KiB to a few MiB. */
    public Future<byte[]> readSmallBody(long maxBytes) {
        return readSmallBody(maxBytes, true);
    }

    /** @param checksumHeaders whether x-amz-checksum-* headers are the body's (false: they are about something else) */
    Future<byte[]> readSmallBody(long maxBytes, boolean checksumHeaders) {
        if (!bodyUnread()) {
            return Future.succeededFuture(new byte[0]);
        }
        return RequestBodyPump.readAll(this, maxBytes, checksumHeaders);
    }
}
