package io.mooseng.s3.handler;

import io.mooseng.core.model.ObjectChecksum;
import io.mooseng.s3.auth.Digests;
import io.mooseng.s3.auth.PayloadStream;
import io.mooseng.s3.error.S3Error;
import io.mooseng.s3.error.S3Exception;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerRequest;

import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.util.ArrayDeque;

/**
 * Streams a request body through a {@link PayloadStream} into a sink with backpressure:
 * while a sink write is pending the request is paused, so the client is paced by storage
 * and at most one network read of payload is held. Runs on the request's context.
 */
final class RequestBodyPump {
    /** Initial capacity of a small body's buffer; it grows up to the body's limit. */
    private static final int SMALL_BODY_START = 64 * 1024;

    /** Takes payload, one piece at a time; the piece may be reused once the future completes. */
    @FunctionalInterface
    interface Sink {
        Future<Void> write(ByteBuffer payload);
    }

    private final S3Request request;
    private final HttpServerRequest http;
    private final PayloadStream payload;
    private final Sink sink;
    private final ArrayDeque<ByteBuffer> pending = new ArrayDeque<>();
    private final Promise<ObjectChecksum> result = Promise.promise();
    private boolean writing;
    private boolean paused = true;
    private boolean ended;
    private boolean done;
    private Throwable failure;

    private RequestBodyPump(S3Request request, PayloadStream payload, Sink sink) {
        this.request = request;
        this.http = request.http();
        this.payload = payload;
        this.sink = sink;
    }

    /**
     * Pumps the body (the request must still be paused, as the router leaves it) and
     * completes with the verified checksum (null if none was sent) once the body ended and
     * verified, or fails with the S3 error; on failure the rest of the body is left unread.
     */
    static Future<ObjectChecksum> pump(S3Request request, PayloadStream payload, Sink sink) {
        RequestBodyPump p = new RequestBodyPump(request, payload, sink);
        p.start();
        return p.result.future();
    }

    /** The whole body, up to {@code maxBytes}, checked against Content-MD5 when given. */
    static Future<byte[]> readAll(S3Request request, long maxBytes, boolean checksumHeaders) {
        PayloadStream payload;
        byte[] md5;
        try {
            payload = PayloadStream.open(request.auth(), request.headers(), maxBytes, checksumHeaders);
            md5 = ObjectHeaders.contentMd5(request.header("content-md5"));
        } catch (S3Exception e) {
            return Future.failedFuture(tooLong(e));
        }
        Buffer body = Buffer.buffer((int) (payload.length() < 0 ? SMALL_BODY_START : Math.min(payload.length(), SMALL_BODY_START)));
        return pump(request, payload, piece -> {
            body.appendBuffer(Buffers.wrap(piece));
            return Future.succeededFuture();
        }).recover(e -> Future.failedFuture(tooLong(e))).map(checksum -> {
            byte[] bytes = body.getBytes();
            if (md5 != null && !MessageDigest.isEqual(md5, Digests.digest("MD5").digest(bytes))) {
                throw S3Error.BAD_DIGEST.exception();
            }
            return bytes;
        });
    }

    /** A document body over its limit is MaxMessageLengthExceeded, as S3 names it, not EntityTooLarge. */
    private static Throwable tooLong(Throwable e) {
        return e instanceof S3Exception s && s.error() == S3Error.ENTITY_TOO_LARGE ? S3Error.MAX_MESSAGE_LENGTH_EXCEEDED.exception() : e;
    }

    private void start() {
        http.handler(this::onData);
        http.endHandler(v -> {
            ended = true;
            drain();
        });
        http.exceptionHandler(t -> fail(S3Error.INCOMPLETE_BODY.exception("The connection closed before the body was complete.")));
        if ("100-continue".equalsIgnoreCase(request.header("expect"))) {
            request.response().writeContinue();
        }
        drain();
    }

    private void onData(Buffer buffer) {
        if (done) {
            return;
        }
        try {
            payload.accept(Buffers.nio(buffer), pending::add);
        } catch (RuntimeException e) {
            fail(e);
            return;
        }
        drain();
    }

    private void drain() {
        while (!done && !writing && !pending.isEmpty()) {
            ByteBuffer piece = pending.poll();
            request.addBytesIn(piece.remaining());
            Future<Void> written = sink.write(piece);
            if (!written.isComplete()) {
                writing = true;
                pause();
                written.onComplete(ar -> {
                    writing = false;
                    if (failure != null) {
                        result.tryFail(failure); // failed meanwhile: report only now that the sink is idle
                    } else if (ar.failed()) {
                        fail(ar.cause());
                    } else {
                        drain();
                    }
                });
                return;
            }
            if (written.failed()) {
                fail(written.cause());
                return;
            }
        }
        if (done || writing) {
            return;
        }
        if (ended) {
            finish();
        } else if (paused) {
            paused = false;
            http.resume();
        }
    }

    private void finish() {
        try {
            ObjectChecksum checksum = payload.finish();
            done = true;
            result.complete(checksum);
        } catch (RuntimeException e) {
            fail(e);
        }
    }

    /**
     * Stops the pump. With a sink write in flight the failure is reported once it completed,
     * so whoever reacts (aborting an ObjectWriter) is never concurrent with the sink.
     */
    private void fail(Throwable t) {
        if (done) {
            return;
        }
        done = true;
        failure = t;
        pending.clear();
        pause();
        if (!writing) {
            result.fail(t);
        }
    }

    private void pause() {
        if (!paused && !ended) {
            paused = true;
            http.pause();
        }
    }
}
