package io.mooseng.s3.handler;

import io.mooseng.core.memory.LentBytes;
import io.mooseng.core.object.ObjectReader;
import io.mooseng.s3.error.S3Error;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.http.HttpServerResponse;

import java.util.concurrent.CompletableFuture;

/**
 * Streams an {@link ObjectReader} into the response with backpressure: the next read is
 * asked for only when the connection's write queue has room, so a slow client holds at most
 * the reader's read-ahead. Runs on the request's context. The response head (status,
 * Content-Length) must be set before; the pump ends the response.
 */
final class ResponseBodyPump {
    /** Reads already completed are taken in a loop; after this many the loop yields to other connections. */
    private static final int MAX_SYNCHRONOUS_READS = 16;

    private final S3Request request;
    private final HttpServerResponse response;
    private final ObjectReader reader;
    private final long expected;
    private final Promise<Void> result = Promise.promise();
    private long written;
    private boolean done;

    private ResponseBodyPump(S3Request request, ObjectReader reader, long expected) {
        this.request = request;
        this.response = request.response();
        this.reader = reader;
        this.expected = expected;
    }

    /** Sends exactly {@code expected} bytes from {@code reader} and closes it. */
    static Future<Void> pump(S3Request request, ObjectReader reader, long expected) {
        ResponseBodyPump p = new ResponseBodyPump(request, reader, expected);
        p.response.closeHandler(v -> p.fail(S3Error.INCOMPLETE_BODY.exception("The client closed the connection.")));
        p.next();
        return p.result.future();
    }

    private void next() {
        for (int i = 0; i < MAX_SYNCHRONOUS_READS && !done; i++) {
            CompletableFuture<LentBytes> read;
            try {
                read = reader.read();
            } catch (RuntimeException e) {
                fail(e);
                return;
            }
            if (!read.isDone() || read.isCompletedExceptionally()) {
                request.call(() -> read).onComplete(ar -> {
                    if (ar.failed()) {
                        fail(ar.cause());
                    } else if (send(ar.result())) {
                        next();
                    }
                });
                return;
            }
            if (!send(read.getNow(null))) {
                return;
            }
        }
        if (!done) {
            request.context().runOnContext(v -> next());
        }
    }

    /**
     * Writes a piece, released once the socket has taken it (lent memory goes out without a
     * copy); false when the pump must wait (drain, end or failure).
     */
    private boolean send(LentBytes data) {
        if (done) {
            if (data != null) {
                data.release();
            }
            return false;
        }
        if (data == null) {
            if (written != expected) {
                fail(new IllegalStateException("object reader ended after " + written + " of " + expected + " bytes"));
                return false;
            }
            done = true;
            reader.close();
            response.end().onComplete(result);
            return false;
        }
        written += data.length();
        if (written > expected) {
            data.release();
            fail(new IllegalStateException("object reader returned more than " + expected + " bytes"));
            return false;
        }
        request.addBytesOut(data.length());
        response.write(Buffers.wrap(data.bytes())).onComplete(v -> data.release());
        if (response.writeQueueFull()) {
            response.drainHandler(v -> next());
            return false;
        }
        return true;
    }

    /** Headers are out, so an error cannot be answered: the router closes the connection. */
    private void fail(Throwable t) {
        if (done) {
            return;
        }
        done = true;
        reader.close();
        result.fail(t);
    }
}
