package io.mooseng.cli.bench;

import io.mooseng.s3.auth.Presigner;
import io.netty.buffer.Unpooled;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.internal.buffer.BufferInternal;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.RequestOptions;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Drives PUT or GET of {@code count} keys over presigned URLs with {@code concurrency}
 * requests in flight, on one event loop: the client costs little CPU beside the server.
 * GET bodies are counted and dropped, never buffered.
 */
final class S3Load {
    private final Vertx vertx;
    private final HttpClient http;
    private final Presigner presigner;
    private final int concurrency;
    private final String progress;

    /** @param progress --progress of each phase: auto, always or never */
    S3Load(Vertx vertx, Presigner presigner, int concurrency, String progress) {
        this.vertx = vertx;
        this.progress = progress;
        this.presigner = presigner;
        this.concurrency = concurrency;
        this.http = vertx.createHttpClient(new HttpClientOptions().setKeepAlive(true).setTcpNoDelay(true),
                new PoolOptions().setHttp1MaxSize(concurrency));
    }

    LatencyStats run(String name, HttpMethod method, String bucket, String keyPrefix, int count, Buffer body) throws Exception {
        long[] latencies = new long[count];
        AtomicInteger next = new AtomicInteger();
        AtomicLong bytes = new AtomicLong();
        Promise<Void> done = Promise.promise();
        AtomicInteger running = new AtomicInteger(Math.min(concurrency, count));
        long start = System.nanoTime();
        double seconds;
        try (BenchProgress shown = BenchProgress.start(progress, name, count)) {
            for (int w = 0; w < Math.min(concurrency, count); w++) {
                vertx.runOnContext(v -> loop(method, bucket, keyPrefix, count, body, latencies, next, bytes, running, done, shown));
            }
            done.future().toCompletionStage().toCompletableFuture().get();
            seconds = (System.nanoTime() - start) / 1e9;
        }
        return LatencyStats.of(name, latencies, bytes.get(), seconds);
    }

    private void loop(HttpMethod method, String bucket, String keyPrefix, int count, Buffer body, long[] latencies,
                      AtomicInteger next, AtomicLong bytes, AtomicInteger running, Promise<Void> done, BenchProgress shown) {
        int i = next.getAndIncrement();
        if (i >= count) {
            if (running.decrementAndGet() == 0) {
                done.tryComplete();
            }
            return;
        }
        String url = presigner.presign(method.name(), bucket, keyPrefix == null ? null : keyPrefix + i, 3600);
        long t0 = System.nanoTime();
        one(method, url, body).onComplete(ar -> {
            if (ar.failed()) {
                done.tryFail(ar.cause());
                return;
            }
            latencies[i] = System.nanoTime() - t0;
            bytes.addAndGet(ar.result());
            shown.done(1);
            loop(method, bucket, keyPrefix, count, body, latencies, next, bytes, running, done, shown);
        });
    }

    /** One request; completes with the payload bytes moved. */
    private Future<Long> one(HttpMethod method, String url, Buffer body) {
        return http.request(new RequestOptions().setMethod(method).setAbsoluteURI(url)).compose(req -> {
            Future<io.vertx.core.http.HttpClientResponse> sent = body != null ? req.send(body) : req.send();
            return sent.compose(resp -> {
                AtomicLong n = new AtomicLong();
                Promise<Long> p = Promise.promise();
                resp.handler(b -> n.addAndGet(b.length()));
                resp.exceptionHandler(p::tryFail);
                resp.endHandler(v -> {
                    if (resp.statusCode() / 100 != 2) {
                        p.tryFail(method + " " + url + " -> HTTP " + resp.statusCode());
                    } else {
                        p.tryComplete(body != null ? body.length() : n.get());
                    }
                });
                return p.future();
            });
        });
    }

    /** Makes SSE-S3 the bucket's default encryption (PutBucketEncryption): its objects are then stored encrypted. */
    void encryptByDefault(String bucket) throws Exception {
        String url = presigner.presign("PUT", bucket, null, java.util.Map.of("encryption", ""), 3600);
        one(HttpMethod.PUT, url, Buffer.buffer("<ServerSideEncryptionConfiguration><Rule><ApplyServerSideEncryptionByDefault>"
                + "<SSEAlgorithm>AES256</SSEAlgorithm></ApplyServerSideEncryptionByDefault></Rule></ServerSideEncryptionConfiguration>"))
                .toCompletionStage().toCompletableFuture().get();
    }

    /**
     * A request body in direct memory, sent as is by every request: Netty copies a heap body
     * into a new direct buffer per request (for 64 MiB objects, most of this client's CPU went
     * into zeroing and faulting in those copies).
     */
    static Buffer body(byte[] bytes) {
        return BufferInternal.buffer(Unpooled.directBuffer(bytes.length).writeBytes(bytes));
    }

    void close() {
        http.close();
    }
}
