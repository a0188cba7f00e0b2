package io.mooseng.s3.handler;

import io.mooseng.core.memory.LentBytes;
import io.mooseng.core.object.ObjectReader;
import io.mooseng.s3.auth.PayloadStream;
import io.mooseng.s3.auth.QueryString;
import io.mooseng.s3.auth.SigV4Authenticator;
import io.mooseng.s3.auth.SignedRequest;
import io.mooseng.s3.error.S3Error;
import io.mooseng.s3.error.S3Exception;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerRequest;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import java.util.zip.CRC32;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The body pumps over real sockets, with test sinks and readers standing in for storage:
 * bytes arrive intact, a slow consumer slows the producer down (backpressure), a client
 * that goes away stops the pump, and 2 GiB pass each way in the 256 MiB heap the build
 * gives these tests.
 */
class BodyPumpTest {
    private static final int PIECE = 64 * 1024;
    private static Vertx vertx;
    private static HttpServer server;
    private static volatile Consumer<S3Request> handler;

    @BeforeAll
    static void start() throws Exception {
        vertx = Vertx.vertx();
        server = vertx.createHttpServer().requestHandler(BodyPumpTest::dispatch)
                .listen(0, "127.0.0.1").toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    @AfterAll
    static void stop() throws Exception {
        vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    private static void dispatch(HttpServerRequest http) {
        http.pause();
        S3Request req = new S3Request(http, Vertx.currentContext(), S3Request.newRequestId(), "b", "k", QueryString.parse(http.query()));
        String mode = http.headers().contains("x-amz-decoded-content-length")
                ? PayloadStream.STREAMING_UNSIGNED_TRAILER : SigV4Authenticator.UNSIGNED_PAYLOAD;
        req.authenticated(new SignedRequest(io.mooseng.s3.auth.Identity.root("AK"), new byte[32], "20250101T000000Z", "scope", "seed", mode, false));
        handler.accept(req);
    }

    /** Answers "crc length" of the payload, or the S3 error; {@code lag} tracks how far the client got ahead of the sink. */
    private static CompletableFuture<Throwable> uploadHandler(AtomicLong clientSent, AtomicLong maxLag, int asyncEvery) {
        CompletableFuture<Throwable> outcome = new CompletableFuture<>();
        handler = req -> {
            CRC32 crc = new CRC32();
            long[] seen = {0, 0};
            PayloadStream payload = PayloadStream.open(req.auth(), req.headers(), Long.MAX_VALUE);
            RequestBodyPump.pump(req, payload, piece -> {
                seen[0] += piece.remaining();
                crc.update(piece.duplicate());
                maxLag.accumulateAndGet(clientSent.get() - seen[0], Math::max);
                if (asyncEvery > 0 && ++seen[1] % asyncEvery == 0) {
                    Promise<Void> later = Promise.promise();
                    vertx.setTimer(1, t -> later.complete());
                    return later.future();
                }
                return Future.succeededFuture();
            }).onComplete(ar -> {
                outcome.complete(ar.cause());
                if (ar.succeeded()) {
                    req.response().end(crc.getValue() + " " + seen[0]);
                } else {
                    req.sendError(S3Exception.from(ar.cause()));
                }
            });
        };
        return outcome;
    }

    /** Deterministic test content: byte i is (i * 31 + i / 4096) mod 256. */
    private static void fill(byte[] chunk, long offset) {
        for (int i = 0; i < chunk.length; i++) {
            long p = offset + i;
            chunk[i] = (byte) (p * 31 + p / 4096);
        }
    }

    private static String put(long size, boolean awsChunked, AtomicLong sent, String trailerOverride) throws IOException {
        try (Socket s = new Socket("127.0.0.1", server.actualPort())) {
            s.setSoTimeout(60_000);
            OutputStream out = s.getOutputStream();
            String head = awsChunked
                    ? "PUT /b/k HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\nContent-Encoding: aws-chunked\r\n"
                    + "x-amz-decoded-content-length: " + size + "\r\nx-amz-trailer: x-amz-checksum-crc32\r\n\r\n"
                    : "PUT /b/k HTTP/1.1\r\nHost: x\r\nContent-Length: " + size + "\r\n\r\n";
            out.write(head.getBytes(StandardCharsets.US_ASCII));
            byte[] chunk = new byte[PIECE];
            CRC32 crc = new CRC32();
            for (long off = 0; off < size; off += PIECE) {
                int n = (int) Math.min(PIECE, size - off);
                fill(chunk, off);
                crc.update(chunk, 0, n);
                if (awsChunked) {
                    byte[] framed = (Integer.toHexString(n) + "\r\n").getBytes(StandardCharsets.US_ASCII);
                    httpChunk(out, framed, chunk, n);
                } else {
                    out.write(chunk, 0, n);
                }
                sent.addAndGet(n);
            }
            if (awsChunked) {
                String value = trailerOverride != null ? trailerOverride
                        : Base64.getEncoder().encodeToString(ByteBuffer.allocate(4).putInt((int) crc.getValue()).array());
                byte[] end = ("0\r\nx-amz-checksum-crc32:" + value + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII);
                httpChunk(out, new byte[0], end, end.length);
                out.write("0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            }
            out.flush();
            return readResponse(s.getInputStream()) + (trailerOverride == null ? "|" + crc.getValue() : "");
        }
    }

    /** One HTTP/1.1 chunk holding an aws-chunked frame: prefix, data, CRLF. */
    private static void httpChunk(OutputStream out, byte[] prefix, byte[] data, int n) throws IOException {
        int length = prefix.length + n + (prefix.length > 0 ? 2 : 0);
        out.write((Integer.toHexString(length) + "\r\n").getBytes(StandardCharsets.US_ASCII));
        out.write(prefix);
        out.write(data, 0, n);
        if (prefix.length > 0) {
            out.write("\r\n".getBytes(StandardCharsets.US_ASCII));
        }
        out.write("\r\n".getBytes(StandardCharsets.US_ASCII));
    }

    /** Reads up to the blank line that ends a response head. */
    private static String skipHead(InputStream in) throws IOException {
        StringBuilder head = new StringBuilder();
        while (!head.toString().endsWith("\r\n\r\n")) {
            int c = in.read();
            if (c < 0) {
                throw new IOException("closed");
            }
            head.append((char) c);
        }
        return head.toString();
    }

    private static String readResponse(InputStream in) throws IOException {
        String head = skipHead(in);
        int status = Integer.parseInt(head.substring(9, 12));
        int at = head.toLowerCase().indexOf("content-length: ");
        int length = Integer.parseInt(head.substring(at + 16, head.indexOf("\r\n", at)));
        return status + " " + new String(in.readNBytes(length), StandardCharsets.UTF_8);
    }

    @Test
    void aSlowSinkSlowsTheClientDown() throws Exception {
        AtomicLong sent = new AtomicLong();
        AtomicLong lag = new AtomicLong();
        CompletableFuture<Throwable> outcome = uploadHandler(sent, lag, 4);
        long size = 64L << 20;
        String answer = put(size, false, sent, null);
        String[] parts = answer.split("[ |]");
        assertEquals("200", parts[0], answer);
        assertEquals(parts[3], parts[1], "CRC the server computed");
        assertEquals(String.valueOf(size), parts[2]);
        assertEquals(null, outcome.get(5, TimeUnit.SECONDS));
        // socket buffers and Vert.x's inbound queue, not the object, are between client and sink
        assertTrue(lag.get() < (24L << 20), "client ran " + lag.get() + " bytes ahead of the sink");
    }

    @Test
    void awsChunkedBodiesWithTrailersStreamAndVerify() throws Exception {
        AtomicLong sent = new AtomicLong();
        CompletableFuture<Throwable> outcome = uploadHandler(sent, new AtomicLong(), 8);
        String answer = put((8L << 20) + 12345, true, sent, null);
        assertTrue(answer.startsWith("200 "), answer);
        assertEquals(null, outcome.get(5, TimeUnit.SECONDS));

        CompletableFuture<Throwable> bad = uploadHandler(new AtomicLong(), new AtomicLong(), 8);
        String refused = put(1 << 20, true, new AtomicLong(), "AAAAAA==");
        assertTrue(refused.startsWith("400 ") && refused.contains("<Code>BadDigest</Code>"), refused);
        assertEquals(S3Error.BAD_DIGEST, ((S3Exception) bad.get(5, TimeUnit.SECONDS)).error());
    }

    @Test
    void aClientThatGoesAwayFailsTheUploadWithIncompleteBody() throws Exception {
        CompletableFuture<Throwable> outcome = uploadHandler(new AtomicLong(), new AtomicLong(), 0);
        try (Socket s = new Socket("127.0.0.1", server.actualPort())) {
            s.getOutputStream().write(("PUT /b/k HTTP/1.1\r\nHost: x\r\nContent-Length: 1000000\r\n\r\n" + "x".repeat(1000))
                    .getBytes(StandardCharsets.US_ASCII));
            s.getOutputStream().flush();
            Thread.sleep(100);
        }
        Throwable failure = outcome.get(10, TimeUnit.SECONDS);
        assertEquals(S3Error.INCOMPLETE_BODY, ((S3Exception) failure).error());
    }

    /**
     * Generates test content in native memory it lends (as the shard transport does); each read
     * completes now or, every few reads, later on another thread.
     */
    private static final class TestReader implements ObjectReader {
        private final long size;
        private final int piece;
        private final AtomicLong produced = new AtomicLong();
        private final AtomicLong lent = new AtomicLong();
        private final AtomicLong released = new AtomicLong();
        private final AtomicBoolean closed = new AtomicBoolean();
        private int reads;

        TestReader(long size, int piece) {
            this.size = size;
            this.piece = piece;
        }

        @Override
        public CompletableFuture<LentBytes> read() {
            long off = produced.get();
            if (off == size) {
                return CompletableFuture.completedFuture(null);
            }
            byte[] data = new byte[(int) Math.min(piece, size - off)];
            fill(data, off);
            produced.addAndGet(data.length);
            lent.incrementAndGet();
            LentBytes b = LentBytes.lent(ByteBuffer.allocateDirect(data.length).put(data).flip(), released::incrementAndGet);
            return ++reads % 3 == 0 ? CompletableFuture.supplyAsync(() -> b) : CompletableFuture.completedFuture(b);
        }

        /** Every piece lent is released once the socket took it or the response failed (waits up to 10 s). */
        void assertAllReleased() throws InterruptedException {
            for (int i = 0; i < 1000 && released.get() != lent.get(); i++) {
                Thread.sleep(10);
            }
            assertEquals(lent.get(), released.get(), "pieces released of those lent");
        }

        @Override
        public void close() {
            closed.set(true);
        }
    }

    private static CompletableFuture<Throwable> downloadHandler(TestReader reader, long size) {
        CompletableFuture<Throwable> outcome = new CompletableFuture<>();
        handler = req -> {
            req.http().resume();
            req.response().putHeader("Content-Length", Long.toString(size));
            ResponseBodyPump.pump(req, reader, size).onComplete(ar -> outcome.complete(ar.cause()));
        };
        return outcome;
    }

    @Test
    void aSlowClientSlowsTheReaderDown() throws Exception {
        long size = 48L << 20;
        TestReader reader = new TestReader(size, 256 * 1024);
        CompletableFuture<Throwable> outcome = downloadHandler(reader, size);
        long maxAhead = 0;
        try (Socket s = new Socket("127.0.0.1", server.actualPort())) {
            s.setReceiveBufferSize(64 * 1024);
            s.getOutputStream().write("GET /b/k HTTP/1.1\r\nHost: x\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            InputStream in = s.getInputStream();
            skipHead(in);
            byte[] buf = new byte[64 * 1024];
            long read = 0;
            CRC32 expected = new CRC32();
            CRC32 actual = new CRC32();
            byte[] check = new byte[buf.length];
            while (read < size) {
                int n = in.read(buf);
                actual.update(buf, 0, n);
                byte[] want = n == check.length ? check : new byte[n];
                fill(want, read);
                expected.update(want, 0, n);
                read += n;
                maxAhead = Math.max(maxAhead, reader.produced.get() - read);
                if (read % (4 << 20) < n) {
                    Thread.sleep(20);
                }
            }
            assertEquals(expected.getValue(), actual.getValue());
        }
        assertEquals(null, outcome.get(5, TimeUnit.SECONDS));
        assertTrue(reader.closed.get());
        reader.assertAllReleased();
        assertTrue(maxAhead < (24L << 20), "reader ran " + maxAhead + " bytes ahead of the client");
    }

    @Test
    void aClientThatGoesAwayClosesTheReader() throws Exception {
        long size = 1L << 30;
        TestReader reader = new TestReader(size, 1 << 20);
        CompletableFuture<Throwable> outcome = downloadHandler(reader, size);
        try (Socket s = new Socket("127.0.0.1", server.actualPort())) {
            s.getOutputStream().write("GET /b/k HTTP/1.1\r\nHost: x\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            s.getInputStream().readNBytes(1 << 20);
        }
        assertTrue(outcome.get(10, TimeUnit.SECONDS) != null);
        assertTrue(reader.closed.get());
        reader.assertAllReleased();
        assertTrue(reader.produced.get() < size / 4, "stopped early: " + reader.produced.get());
    }

    @Test
    void twoGibibytesEachWayWithinTheTestHeap() throws Exception {
        long size = 2L << 30;
        AtomicLong sent = new AtomicLong();
        CompletableFuture<Throwable> up = uploadHandler(sent, new AtomicLong(), 64);
        String answer = put(size, false, sent, null);
        assertTrue(answer.startsWith("200 ") && answer.contains(" " + size + "|"), answer);
        assertEquals(null, up.get(5, TimeUnit.SECONDS));

        TestReader reader = new TestReader(size, 1 << 20);
        CompletableFuture<Throwable> down = downloadHandler(reader, size);
        try (Socket s = new Socket("127.0.0.1", server.actualPort())) {
            s.getOutputStream().write("GET /b/k HTTP/1.1\r\nHost: x\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            InputStream in = s.getInputStream();
            skipHead(in);
            byte[] buf = new byte[1 << 20];
            long total = 0;
            while (total < size) {
                int n = in.read(buf, 0, (int) Math.min(buf.length, size - total));
                assertTrue(n > 0, "body ended after " + total);
                total += n;
            }
        }
        assertEquals(null, down.get(10, TimeUnit.SECONDS));
        reader.assertAllReleased();
        assertTrue(Runtime.getRuntime().maxMemory() <= (300L << 20), "the build runs these tests in a small heap");
    }
}
