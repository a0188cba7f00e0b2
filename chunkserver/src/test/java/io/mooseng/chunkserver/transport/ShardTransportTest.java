package io.mooseng.chunkserver.transport;

import io.mooseng.chunkserver.ChunkServer;
import io.mooseng.chunkserver.ChunkServerOptions;
import io.mooseng.chunkserver.transport.TestCalls.TimedFailure;
import io.mooseng.core.chunk.ChunkClient;
import io.mooseng.core.chunk.ReadsOnCaller;
import io.mooseng.core.chunk.ShardStore;
import io.mooseng.core.error.ErrorCode;
import io.mooseng.core.error.MooseException;
import io.mooseng.core.memory.LentBytes;
import io.mooseng.core.model.ShardId;
import io.vertx.core.Vertx;
import io.vertx.core.net.SocketAddress;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;

import static io.mooseng.chunkserver.store.TestShards.content;
import static io.mooseng.chunkserver.store.TestShards.id;
import static io.mooseng.chunkserver.transport.LocalChunkServers.await;
import static io.mooseng.chunkserver.transport.TestCalls.crc32c;
import static io.mooseng.chunkserver.transport.TestCalls.eventually;
import static io.mooseng.chunkserver.transport.TestCalls.failure;
import static io.mooseng.chunkserver.transport.TestCalls.timedFailure;
import static io.mooseng.chunkserver.transport.TestCalls.get;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A real chunkserver on a loopback port, shared by the tests, called through the real client. */
class ShardTransportTest {
    private static final Logger log = LoggerFactory.getLogger(ShardTransportTest.class);

    @TempDir
    static Path root;
    private static Vertx vertx;
    private static ChunkServer server;
    private static TcpChunkClient client;

    @BeforeAll
    static void start() throws Exception {
        vertx = Vertx.vertx();
        server = await(startServer(root.resolve("cs-1"), 0));
        client = new TcpChunkClient(vertx, "cs-1", addressOf(server), ChunkClientOptions.defaults());
    }

    @AfterAll
    static void stop() throws Exception {
        client.close();
        await(server.stop());
        await(vertx.close());
    }

    @ParameterizedTest
    @ValueSource(ints = {0, 1, 65_535, 65_536, 65_537, 4 << 20, 8 << 20})
    void carriesAShardOf(int size) throws Exception {
        ShardId id = id(1_000_000L + size);
        ByteBuffer data = content(size, size);
        get(client.writeShard(id, data, crc32c(data)));
        assertEquals(data, get(client.readShard(id, 0, size)));
        assertEquals(size, server.store().size(id));
    }

    @Test
    void readsRangesClippedToTheShard() throws Exception {
        int size = 300_001;
        ByteBuffer data = content(7, size);
        get(client.writeShard(id(7), data, crc32c(data)));
        long[][] ranges = {{0, 1}, {65_535, 2}, {65_536, 65_536}, {100, 250_000}, {299_990, 100}, {200_000, -1}};
        for (long[] r : ranges) {
            int from = (int) r[0];
            int to = r[1] < 0 ? size : (int) Math.min(size, r[0] + r[1]);
            assertEquals(data.slice(from, to - from), get(client.readShard(id(7), r[0], (int) r[1])), "range " + r[0] + "+" + r[1]);
        }
        for (long[] empty : new long[][] {{size, 10}, {400_000, 10}, {5, 0}}) {
            assertEquals(0, get(client.readShard(id(7), empty[0], (int) empty[1])).remaining());
        }
    }

    /** Lent reads: the same ranges, received into native memory that counts as lent until released. */
    @Test
    void lentReadsComeInNativeMemoryHeldUntilReleased() throws Exception {
        int size = 300_001;
        ByteBuffer data = content(17, size);
        get(client.writeShard(id(17), data, crc32c(data)));
        long before = LentBytes.outstanding();
        long[][] ranges = {{0, 1}, {65_535, 2}, {100, 250_000}, {0, size}, {200_000, -1}};
        for (long[] r : ranges) {
            int from = (int) r[0];
            int to = r[1] < 0 ? size : (int) Math.min(size, r[0] + r[1]);
            for (boolean onCaller : new boolean[] {false, true}) {
                CompletableFuture<LentBytes> read = onCaller ? ReadsOnCaller.call(() -> client.lendShard(id(17), r[0], (int) r[1]))
                        : client.lendShard(id(17), r[0], (int) r[1]);
                LentBytes lent = get(read);
                assertTrue(lent.isLent() && lent.bytes().isDirect(), "range " + r[0] + "+" + r[1]);
                assertEquals(data.slice(from, to - from), lent.bytes(), "range " + r[0] + "+" + r[1]);
                assertEquals(before + (to - from), LentBytes.outstanding());
                lent.release();
                lent.release();
                assertEquals(before, LentBytes.outstanding());
            }
        }
        assertEquals(ErrorCode.SHARD_NOT_FOUND, failure(client.lendShard(id(404), 0, 10)).code());
        assertEquals(before, LentBytes.outstanding());
    }

    /** A chunkserver of this process: writes and reads skip the connection, with the same results and checks. */
    @Test
    void aChunkserverInThisProcessIsWrittenAndReadWithoutAConnection() throws Exception {
        ChunkClientPool pool = new ChunkClientPool(vertx, id -> addressOf(server), ChunkClientOptions.defaults().withLocal(id -> server.local()));
        try {
            ChunkClient local = pool.get("cs-1");
            int size = 300_001;
            ByteBuffer data = content(31, size);
            get(local.writeShard(id(31), data, crc32c(data)));
            assertEquals(data, get(client.readShard(id(31), 0, size)), "stored: read back over the connection");
            long before = LentBytes.outstanding();
            long[][] ranges = {{0, 1}, {65_535, 2}, {100, 250_000}, {0, size}, {200_000, -1}, {size, 10}};
            for (long[] r : ranges) {
                int from = (int) Math.min(size, r[0]);
                int to = r[1] < 0 ? size : (int) Math.min(size, r[0] + r[1]);
                String what = "range " + r[0] + "+" + r[1];
                assertEquals(data.slice(from, to - from), get(local.readShard(id(31), r[0], (int) r[1])), what);
                assertEquals(data.slice(from, to - from), get(ReadsOnCaller.call(() -> local.readShard(id(31), r[0], (int) r[1]))), what);
                LentBytes lent = get(local.lendShard(id(31), r[0], (int) r[1]));
                assertEquals(data.slice(from, to - from), lent.bytes(), what);
                lent.release();
            }
            assertEquals(before, LentBytes.outstanding());
            assertEquals(data, get(local.readShard(id(31), 0, size, ByteBuffer.allocateDirect(size))));
            assertEquals(ErrorCode.SHARD_NOT_FOUND, failure(local.readShard(id(404), 0, 10)).code());

            ByteBuffer damaged = content(32, 1000);
            assertEquals(ErrorCode.SHARD_CORRUPT, failure(local.writeShard(id(32), damaged, crc32c(damaged) + 1)).code());
            assertEquals(-1, server.store().size(id(32)), "nothing stored");
            ByteBuffer oversize = ByteBuffer.allocate(ShardTransportServer.DEFAULT_MAX_SHARD_BYTES + 1);
            assertEquals(ErrorCode.INVALID_ARGUMENT, failure(local.writeShard(id(33), oversize, crc32c(oversize))).code());
        } finally {
            pool.close();
        }
    }

    @Test
    void aStoppedChunkserverOfThisProcessIsReachedAndFoundGoneAsAnyOther() throws Exception {
        ChunkServer other = await(startServer(root.resolve("cs-here"), 0));
        SocketAddress address = addressOf(other);
        ChunkClientPool pool = new ChunkClientPool(vertx, id -> address, ChunkClientOptions.defaults().withLocal(id -> other.local()));
        try {
            ChunkClient local = pool.get("cs-here");
            ByteBuffer data = content(34, 5000);
            get(local.writeShard(id(34), data, crc32c(data)));
            await(other.stop());
            assertEquals(ErrorCode.INTERNAL, failure(local.readShard(id(34), 0, 5000)).code());
            assertEquals(ErrorCode.INTERNAL, failure(local.writeShard(id(35), data, crc32c(data))).code());
        } finally {
            pool.close();
        }
    }

    @Test
    void writesReadsAndDeletesShards() throws Exception {
        ByteBuffer data = content(1, 100_000);
        get(client.writeShard(id(1), data, crc32c(data)));
        assertEquals(data, get(client.readShard(id(1), 0, 100_000)));
        ShardStore.Usage usage = get(client.stats());
        assertEquals(server.store().usage().shards(), usage.shards());
        assertTrue(usage.liveBytes() >= 100_000, usage.toString());

        get(client.deleteShard(id(1)));
        get(client.deleteShard(id(1)));
        assertEquals(ErrorCode.SHARD_NOT_FOUND, failure(client.readShard(id(1), 0, 10)).code());
    }

    @Test
    void rejectsAWriteWhoseChecksumDoesNotMatch() {
        ByteBuffer data = content(2, 5000);
        MooseException e = failure(client.writeShard(id(2), data, crc32c(data) + 1));
        assertEquals(ErrorCode.SHARD_CORRUPT, e.code());
        assertTrue(e.getMessage().contains("not stored"), e.getMessage());
        assertEquals(-1, server.store().size(id(2)));
    }

    @Test
    void aMissingShardIsNotFoundOnTheClient() {
        MooseException e = failure(client.readShard(id(404), 0, 10));
        assertEquals(ErrorCode.SHARD_NOT_FOUND, e.code());
        assertTrue(e.getMessage().contains(id(404).toString()), e.getMessage());
    }

    @Test
    void concurrentWritesShareFsyncs() throws Exception {
        long before = server.store().fsyncCount();
        List<CompletableFuture<Void>> writes = new ArrayList<>();
        int count = 64;
        for (int i = 0; i < count; i++) {
            ByteBuffer data = content(i, 16_384);
            writes.add(client.writeShard(id(10_000 + i), data, crc32c(data)));
        }
        get(CompletableFuture.allOf(writes.toArray(CompletableFuture[]::new)));
        long fsyncs = server.store().fsyncCount() - before;
        log.info("{} concurrent writes took {} fsyncs", count, fsyncs);
        assertTrue(fsyncs < count, fsyncs + " fsyncs");
    }

    @Test
    void manyCallsInFlightOnOneConnection() throws Exception {
        TcpChunkClient single = new TcpChunkClient(vertx, "cs-1", addressOf(server), ChunkClientOptions.defaults().withConnections(1));
        try {
            int count = 120;
            List<ByteBuffer> shards = new ArrayList<>();
            List<CompletableFuture<?>> calls = new ArrayList<>();
            for (int i = 0; i < count; i++) {
                ByteBuffer data = content(20_000 + i, 1 + 2_711 * i);
                shards.add(data);
                calls.add(single.writeShard(id(20_000 + i), data, crc32c(data)));
            }
            get(CompletableFuture.allOf(calls.toArray(CompletableFuture[]::new)));
            List<CompletableFuture<ByteBuffer>> reads = new ArrayList<>();
            for (int i = 0; i < count; i++) {
                reads.add(single.readShard(id(20_000 + i), 0, shards.get(i).remaining()));
                reads.add(single.readShard(id(20_000 + i), i, 70_000));
                ByteBuffer again = content(30_000 + i, 50_000);
                calls.add(single.writeShard(id(30_000 + i), again, crc32c(again)));
            }
            for (int i = 0; i < count; i++) {
                ByteBuffer data = shards.get(i);
                assertEquals(data, get(reads.get(2 * i)));
                int from = Math.min(i, data.remaining());
                assertEquals(data.slice(from, Math.min(70_000, data.remaining() - from)), get(reads.get(2 * i + 1)));
            }
            get(CompletableFuture.allOf(calls.toArray(CompletableFuture[]::new)));
        } finally {
            single.close();
        }
    }

    /** Over the connection, and in this process without one: the same check, the same quarantine. */
    @ParameterizedTest(name = "chunkserver in this process: {0}")
    @ValueSource(booleans = {false, true})
    void aCorruptByteOnDiskIsCaughtByTheReaderAndTheShardQuarantined(boolean inProcess) throws Exception {
        ChunkClientPool pool = new ChunkClientPool(vertx, id -> addressOf(server),
                ChunkClientOptions.defaults().withLocal(inProcess ? id -> server.local() : null));
        try {
            ChunkClient reader = pool.get("cs-1");
            int seed = inProcess ? 668 : 666;
            ShardId id = id(seed);
            ByteBuffer data = content(seed, 200_000);
            get(reader.writeShard(id, data, crc32c(data)));
            long quarantined = server.store().quarantinedShards();
            long lent = LentBytes.outstanding();
            flipOnDisk(server.store().directory(), data, 70_000);

            assertEquals(data.slice(0, 1000), get(reader.readShard(id, 0, 1000)), "piece 0 is intact");
            MooseException e = failure(reader.lendShard(id, 0, 200_000));
            assertEquals(ErrorCode.SHARD_CORRUPT, e.code());
            assertTrue(e.getMessage().contains("piece 1") && e.getMessage().contains("cs-1"), e.getMessage());
            assertEquals(lent, LentBytes.outstanding(), "nothing lent for a read that failed");
            eventually("the chunkserver quarantines the shard", () -> server.store().size(id) == -1);
            assertEquals(quarantined + 1, server.store().quarantinedShards());
            assertEquals(ErrorCode.SHARD_NOT_FOUND, failure(reader.readShard(id, 0, 1000)).code());
        } finally {
            pool.close();
        }
    }

    /**
     * A mount's reads, made on its own thread over a blocking connection: done when readShard
     * returns, with the same bytes and errors as through the event loop, and the connection in
     * step after an error.
     */
    @Test
    void readsOnTheCallersThreadGiveTheSameRangesAndErrors() throws Exception {
        int size = 300_001;
        ByteBuffer data = content(8, size);
        get(client.writeShard(id(8), data, crc32c(data)));
        long[][] ranges = {{0, 1}, {65_535, 2}, {65_536, 65_536}, {100, 250_000}, {299_990, 100}, {200_000, -1}, {size, 10}, {5, 0}};
        for (long[] r : ranges) {
            CompletableFuture<ByteBuffer> onCaller = ReadsOnCaller.call(() -> client.readShard(id(8), r[0], (int) r[1]));
            assertTrue(onCaller.isDone(), "read on the calling thread");
            assertEquals(get(client.readShard(id(8), r[0], (int) r[1])), get(onCaller), "range " + r[0] + "+" + r[1]);
        }
        MooseException missing = failure(ReadsOnCaller.call(() -> client.readShard(id(404), 0, 10)));
        assertEquals(ErrorCode.SHARD_NOT_FOUND, missing.code());
        assertTrue(missing.getMessage().contains(id(404).toString()), missing.getMessage());
        assertEquals(data.slice(0, 10), get(ReadsOnCaller.call(() -> client.readShard(id(8), 0, 10))));
    }

    /** A pool's clients keep at most its limit of blocking connections idle together, and close them when closed. */
    @Test
    void clientsSharingAnIdleLimitKeepNoMoreBlockingConnectionsThanIt() throws Exception {
        ByteBuffer data = content(9, 1000);
        get(client.writeShard(id(9), data, crc32c(data)));
        IdleLimit limit = new IdleLimit(1);
        try (TcpChunkClient a = new TcpChunkClient(vertx, "cs-1", addressOf(server), ChunkClientOptions.defaults(), limit);
             TcpChunkClient b = new TcpChunkClient(vertx, "cs-1", addressOf(server), ChunkClientOptions.defaults(), limit)) {
            assertEquals(data, get(ReadsOnCaller.call(() -> a.readShard(id(9), 0, 1000))));
            assertEquals(data, get(ReadsOnCaller.call(() -> b.readShard(id(9), 0, 1000))));
            assertEquals(1, limit.idle(), "b's connection closed, a's kept");
            assertEquals(data, get(ReadsOnCaller.call(() -> a.readShard(id(9), 0, 1000))));
            assertEquals(1, limit.idle());
        }
        assertEquals(0, limit.idle(), "closing the clients closes what they kept");
    }

    @Test
    void aCorruptByteIsCaughtByAReadOnTheCallersThreadAndReported() throws Exception {
        ShardId id = id(667);
        ByteBuffer data = content(667, 200_000);
        get(client.writeShard(id, data, crc32c(data)));
        flipOnDisk(server.store().directory(), data, 140_000);

        assertEquals(data.slice(0, 1000), get(ReadsOnCaller.call(() -> client.readShard(id, 0, 1000))), "piece 0 is intact");
        MooseException e = failure(ReadsOnCaller.call(() -> client.readShard(id, 100_000, 100_000)));
        assertEquals(ErrorCode.SHARD_CORRUPT, e.code());
        assertTrue(e.getMessage().contains("piece 2") && e.getMessage().contains("cs-1"), e.getMessage());
        eventually("the chunkserver quarantines the shard", () -> server.store().size(id) == -1);
        assertEquals(ErrorCode.SHARD_NOT_FOUND, failure(ReadsOnCaller.call(() -> client.readShard(id, 0, 1000))).code());
    }

    /** A chunkserver that says hello and then nothing: a read on the caller's thread gives up at its deadline. */
    @Test
    void aReadOnTheCallersThreadFromAServerThatNeverAnswersTimesOut() throws Exception {
        try (ServerSocket silent = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            Thread.ofVirtual().start(() -> {
                try (Socket s = silent.accept()) {
                    s.getOutputStream().write(Hello.encode().array(), 0, Hello.BYTES);
                    s.getInputStream().readAllBytes();
                } catch (IOException ignored) {
                    // closed by the client or the test
                }
            });
            ChunkClient stuck = local("cs-stuck", silent.getLocalPort(), ChunkClientOptions.defaults().withRequestTimeout(Duration.ofMillis(500)));
            try {
                TimedFailure failed = timedFailure(() -> ReadsOnCaller.call(() -> stuck.readShard(id(1), 0, 1)));
                assertEquals(ErrorCode.INTERNAL, failed.error().code());
                assertTrue(failed.error().getMessage().contains("cs-stuck") && failed.error().getMessage().contains("500 ms"),
                        failed.error().getMessage());
                assertTrue(failed.millis() >= 400 && failed.millis() < 3000, failed.millis() + " ms");
            } finally {
                stuck.close();
            }
        }
    }

    /** A client of a chunkserver said to listen on a loopback port. */
    private TcpChunkClient local(String nodeId, int port, ChunkClientOptions options) {
        return new TcpChunkClient(vertx, nodeId, SocketAddress.inetSocketAddress(port, "127.0.0.1"), options);
    }

    @Test
    void aClosedPortFailsFast() throws Exception {
        int port;
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        ChunkClient dead = local("cs-gone", port, ChunkClientOptions.defaults().withConnectTimeout(Duration.ofSeconds(1)));
        try {
            TimedFailure failed = timedFailure(() -> dead.readShard(id(1), 0, 1));
            MooseException e = failed.error();
            long millis = failed.millis();
            assertEquals(ErrorCode.INTERNAL, e.code());
            assertTrue(e.getMessage().contains("cs-gone unreachable at 127.0.0.1:" + port), e.getMessage());
            assertTrue(millis < 2000, millis + " ms");
        } finally {
            dead.close();
        }
    }

    @Test
    void aServerThatNeverAnswersTimesOut() throws Exception {
        try (ServerSocket silent = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            ChunkClient stuck = local("cs-stuck", silent.getLocalPort(), ChunkClientOptions.defaults().withRequestTimeout(Duration.ofMillis(500)));
            try {
                TimedFailure failed = timedFailure(() -> stuck.deleteShard(id(1)));
                MooseException e = failed.error();
                long millis = failed.millis();
                assertEquals(ErrorCode.INTERNAL, e.code());
                assertTrue(e.getMessage().contains("cs-stuck") && e.getMessage().contains("500 ms"), e.getMessage());
                assertTrue(millis >= 400 && millis < 3000, millis + " ms");
            } finally {
                stuck.close();
            }
        }
    }

    @Test
    void aServerThatAcceptsButNeverSaysHelloFailsCallsWithinTheConnectTimeout() throws Exception {
        try (ServerSocket silent = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            ChunkClient mute = local("cs-mute", silent.getLocalPort(), ChunkClientOptions.defaults().withConnectTimeout(Duration.ofMillis(300)));
            try {
                TimedFailure failed = timedFailure(() -> mute.writeShard(id(1), ByteBuffer.wrap(new byte[1000]), 0));
                MooseException e = failed.error();
                long millis = failed.millis();
                assertEquals(ErrorCode.INTERNAL, e.code());
                assertTrue(e.getMessage().contains("cs-mute") && e.getMessage().contains("no HELLO within 300 ms"), e.getMessage());
                assertTrue(millis >= 250 && millis < 3000, millis + " ms");
                TimedFailure onCaller = timedFailure(() -> ReadsOnCaller.call(() -> mute.readShard(id(1), 0, 1)));
                assertTrue(onCaller.error().getMessage().contains("cs-mute") && onCaller.error().getMessage().contains("no HELLO within 300 ms"),
                        onCaller.error().getMessage());
                assertTrue(onCaller.millis() >= 250 && onCaller.millis() < 3000, onCaller.millis() + " ms");
            } finally {
                mute.close();
            }
        }
    }

    /** A chunkserver killed as a connection to it is made: the reset may come before the client's handlers are set. */
    @Test
    void aServerThatResetsEveryConnectionFailsCallsAtOnce() throws Exception {
        try (ServerSocket resetting = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            Thread.ofVirtual().start(() -> {
                while (!resetting.isClosed()) {
                    try (Socket s = resetting.accept()) {
                        s.setSoLinger(true, 0);
                    } catch (IOException ignored) {
                        // closed by the test
                    }
                }
            });
            for (int i = 0; i < 20; i++) {
                ChunkClient doomed = local("cs-reset", resetting.getLocalPort(), ChunkClientOptions.defaults().withConnectTimeout(Duration.ofSeconds(10)));
                try {
                    TimedFailure failed = timedFailure(() -> doomed.writeShard(id(1), ByteBuffer.wrap(new byte[1000]), 0));
                    MooseException e = failed.error();
                    long millis = failed.millis();
                    assertEquals(ErrorCode.INTERNAL, e.code());
                    assertTrue(e.getMessage().contains("cs-reset"), e.getMessage());
                    assertTrue(millis < 2000, "attempt " + i + ": " + millis + " ms");
                } finally {
                    doomed.close();
                }
            }
        }
    }

    @Test
    void anHttpServerIsNotTakenForAChunkserver() throws Exception {
        try (ServerSocket http = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            Thread.ofVirtual().start(() -> {
                while (!http.isClosed()) {
                    try (Socket s = http.accept()) {
                        s.getOutputStream().write("HTTP/1.1 400 Bad Request\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
                        s.getInputStream().read();
                    } catch (IOException ignored) {
                        // the test has its answer
                    }
                }
            });
            ChunkClient wrong = local("cs-http", http.getLocalPort(), ChunkClientOptions.defaults());
            try {
                MooseException e = failure(wrong.readShard(id(1), 0, 1));
                assertEquals(ErrorCode.INTERNAL, e.code());
                assertTrue(e.getMessage().contains("cs-http") && e.getMessage().contains("not a MooseNG chunkserver")
                        && e.getMessage().contains("HTTP/1.1"), e.getMessage());
                MooseException onCaller = failure(ReadsOnCaller.call(() -> wrong.readShard(id(1), 0, 1)));
                assertTrue(onCaller.getMessage().contains("cs-http") && onCaller.getMessage().contains("not a MooseNG chunkserver"),
                        onCaller.getMessage());
            } finally {
                wrong.close();
            }
        }
    }

    @Test
    void aClientReconnectsAfterTheChunkserverRestarted() throws Exception {
        Path dir = root.resolve("restarting");
        ChunkServer first = await(startServer(dir, 0));
        int port = first.port();
        TcpChunkClient restarting = new TcpChunkClient(vertx, "cs-r", addressOf(first), ChunkClientOptions.defaults());
        try {
            ByteBuffer data = content(3, 3000);
            get(restarting.writeShard(id(3), data, crc32c(data)));
            assertEquals(data, get(ReadsOnCaller.call(() -> restarting.readShard(id(3), 0, 3000))), "a blocking connection kept");
            await(first.stop());
            assertEquals(ErrorCode.INTERNAL, failure(restarting.readShard(id(3), 0, 3000)).code());
            ChunkServer second = await(startServer(dir, port));
            try {
                assertEquals(data, get(restarting.readShard(id(3), 0, 3000)));
                // the kept connection was closed by the old process: the read goes again on a new one
                assertEquals(data, get(ReadsOnCaller.call(() -> restarting.readShard(id(3), 0, 3000))));
            } finally {
                await(second.stop());
            }
        } finally {
            restarting.close();
        }
    }

    @Test
    void thePoolKeepsOneClientPerNodeAndFollowsANodeThatMoved() throws Exception {
        Path dir = root.resolve("moving");
        Map<String, SocketAddress> addresses = new ConcurrentHashMap<>();
        ChunkServer before = await(startServer(dir, 0));
        addresses.put("cs-m", addressOf(before));
        ChunkClientPool pool = new ChunkClientPool(vertx, addresses::get, ChunkClientOptions.defaults());
        try {
            TcpChunkClient first = (TcpChunkClient) pool.get("cs-m");
            assertSame(first, pool.get("cs-m"));
            ByteBuffer data = content(4, 10);
            get(first.writeShard(id(4), data, crc32c(data)));
            assertEquals(ErrorCode.INTERNAL, assertThrows(MooseException.class, () -> pool.get("cs-unknown")).code());

            await(before.stop());
            ChunkServer after = await(startServer(dir, 0));
            try {
                addresses.put("cs-m", addressOf(after));
                TcpChunkClient moved = (TcpChunkClient) pool.get("cs-m");
                assertNotSame(first, moved);
                assertEquals(addressOf(after), moved.address());
                assertEquals(data, get(moved.readShard(id(4), 0, 10)));
            } finally {
                await(after.stop());
            }
        } finally {
            pool.close();
        }
        assertThrows(IllegalStateException.class, () -> pool.get("cs-m"));
    }

    private static io.vertx.core.Future<ChunkServer> startServer(Path dir, int port) {
        return new ChunkServer(vertx, dir.getFileName().toString(),
                ChunkServerOptions.defaults(dir).withHost("127.0.0.1").withPort(port).withIoThreads(4)).start();
    }

    private static SocketAddress addressOf(ChunkServer server) {
        return SocketAddress.inetSocketAddress(server.port(), "127.0.0.1");
    }

    /** Flips the byte at {@code offset} of {@code data} where the store keeps it (found by content). */
    private static void flipOnDisk(Path dir, ByteBuffer data, int offset) throws IOException {
        byte[] pattern = new byte[64];
        data.duplicate().position(offset).get(pattern);
        try (Stream<Path> files = Files.list(dir)) {
            for (Path segment : files.filter(f -> f.getFileName().toString().startsWith("seg-")).toList()) {
                byte[] bytes = Files.readAllBytes(segment);
                int at = indexOf(bytes, pattern);
                if (at >= 0) {
                    try (FileChannel ch = FileChannel.open(segment, StandardOpenOption.WRITE)) {
                        ch.write(ByteBuffer.wrap(new byte[] {(byte) (bytes[at] ^ 0x40)}), at);
                    }
                    return;
                }
            }
        }
        throw new AssertionError("bytes of the shard not found in " + dir);
    }

    private static int indexOf(byte[] bytes, byte[] pattern) {
        outer:
        for (int i = 0; i + pattern.length <= bytes.length; i++) {
            for (int j = 0; j < pattern.length; j++) {
                if (bytes[i + j] != pattern[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }
}
