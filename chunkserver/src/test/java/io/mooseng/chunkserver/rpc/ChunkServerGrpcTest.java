package io.mooseng.chunkserver.rpc;

import io.mooseng.chunkserver.ChunkServer;
import io.mooseng.chunkserver.ChunkServerOptions;
import io.mooseng.core.chunk.ChunkClient;
import io.mooseng.core.chunk.ShardStore;
import io.mooseng.core.error.ErrorCode;
import io.mooseng.core.error.MooseException;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.net.SocketAddress;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.zip.CRC32C;

import static io.mooseng.chunkserver.store.TestShards.content;
import static io.mooseng.chunkserver.store.TestShards.id;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A real chunkserver on a loopback port, called through the real client. */
class ChunkServerGrpcTest {
    private static final Logger log = LoggerFactory.getLogger(ChunkServerGrpcTest.class);

    @TempDir
    Path dir;
    private Vertx vertx;
    private ChunkServer server;
    private GrpcChunkClient client;

    @BeforeEach
    void start() throws Exception {
        vertx = Vertx.vertx();
        server = await(new ChunkServer(vertx, "cs-1", ChunkServerOptions.defaults(dir).withHost("127.0.0.1").withPort(0)).start());
        client = new GrpcChunkClient(vertx, "cs-1", SocketAddress.inetSocketAddress(server.port(), "127.0.0.1"),
                ChunkClientOptions.defaults());
    }

    @AfterEach
    void stop() throws Exception {
        client.close();
        await(server.stop());
        await(vertx.close());
    }

    @Test
    void writesReadsAndDeletesShards() throws Exception {
        ByteBuffer data = content(1, 100_000);
        client.writeShard(id(1), data, crc32c(data)).get(10, TimeUnit.SECONDS);
        assertEquals(data, client.readShard(id(1), 0, 100_000).get(10, TimeUnit.SECONDS));
        assertEquals(data.slice(65_000, 1000), client.readShard(id(1), 65_000, 1000).get(10, TimeUnit.SECONDS));
        ShardStore.Usage usage = client.stats().get(10, TimeUnit.SECONDS);
        assertEquals(1, usage.shards());
        assertEquals(100_000, usage.liveBytes());

        client.deleteShard(id(1)).get(10, TimeUnit.SECONDS);
        client.deleteShard(id(1)).get(10, TimeUnit.SECONDS);
        assertEquals(ErrorCode.SHARD_NOT_FOUND, failure(client.readShard(id(1), 0, 10)).code());
    }

    @Test
    void carriesAnEightMiBShardInOneMessage() throws Exception {
        ByteBuffer data = content(8, 8 << 20);
        client.writeShard(id(8), data, crc32c(data)).get(30, TimeUnit.SECONDS);
        assertEquals(data, client.readShard(id(8), 0, 8 << 20).get(30, TimeUnit.SECONDS));
    }

    @Test
    void rejectsAWriteWhoseChecksumDoesNotMatch() throws Exception {
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
            writes.add(client.writeShard(id(i), data, crc32c(data)));
        }
        CompletableFuture.allOf(writes.toArray(CompletableFuture[]::new)).get(30, TimeUnit.SECONDS);
        long fsyncs = server.store().fsyncCount() - before;
        log.info("{} concurrent writes over gRPC took {} fsyncs", count, fsyncs);
        assertTrue(fsyncs < count, fsyncs + " fsyncs");
        assertEquals(count, server.store().usage().shards());
    }

    @Test
    void aClosedPortFailsFast() throws Exception {
        int port;
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        ChunkClient dead = new GrpcChunkClient(vertx, "cs-gone", SocketAddress.inetSocketAddress(port, "127.0.0.1"),
                ChunkClientOptions.defaults().withConnectTimeout(Duration.ofSeconds(1)));
        try {
            long started = System.nanoTime();
            MooseException e = failure(dead.readShard(id(1), 0, 1));
            long millis = (System.nanoTime() - started) / 1_000_000;
            assertEquals(ErrorCode.INTERNAL, e.code());
            assertTrue(e.getMessage().contains("cs-gone unreachable"), e.getMessage());
            assertTrue(millis < 2000, millis + " ms");
        } finally {
            dead.close();
        }
    }

    @Test
    void aServerThatNeverAnswersTimesOut() throws Exception {
        try (ServerSocket silent = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            ChunkClient stuck = new GrpcChunkClient(vertx, "cs-stuck",
                    SocketAddress.inetSocketAddress(silent.getLocalPort(), "127.0.0.1"),
                    ChunkClientOptions.defaults().withRequestTimeout(Duration.ofMillis(500)));
            try {
                long started = System.nanoTime();
                MooseException e = failure(stuck.deleteShard(id(1)));
                long millis = (System.nanoTime() - started) / 1_000_000;
                assertEquals(ErrorCode.INTERNAL, e.code());
                assertTrue(e.getMessage().contains("cs-stuck"), e.getMessage());
                assertTrue(millis >= 400 && millis < 3000, millis + " ms");
            } finally {
                stuck.close();
            }
        }
    }

    @Test
    void shardsOutliveAServerRestart() throws Exception {
        ByteBuffer data = content(3, 3000);
        client.writeShard(id(3), data, crc32c(data)).get(10, TimeUnit.SECONDS);
        await(server.stop());
        client.close();
        server = await(new ChunkServer(vertx, "cs-1", ChunkServerOptions.defaults(dir).withHost("127.0.0.1").withPort(0)).start());
        client = new GrpcChunkClient(vertx, "cs-1", SocketAddress.inetSocketAddress(server.port(), "127.0.0.1"),
                ChunkClientOptions.defaults());
        assertEquals(data, client.readShard(id(3), 0, 3000).get(10, TimeUnit.SECONDS));
    }

    @Test
    void thePoolKeepsOneClientPerNode() throws Exception {
        SocketAddress address = SocketAddress.inetSocketAddress(server.port(), "127.0.0.1");
        ChunkClientPool pool = new ChunkClientPool(vertx, node -> node.equals("cs-1") ? address : null,
                ChunkClientOptions.defaults());
        try {
            GrpcChunkClient first = pool.get("cs-1");
            assertSame(first, pool.get("cs-1"));
            assertNotSame(client, first);
            ByteBuffer data = content(4, 10);
            first.writeShard(id(4), data, crc32c(data)).get(10, TimeUnit.SECONDS);
            assertEquals(ErrorCode.INTERNAL, assertThrows(MooseException.class, () -> pool.get("cs-unknown")).code());
        } finally {
            pool.close();
        }
        assertThrows(IllegalStateException.class, () -> pool.get("cs-1"));
    }

    private static MooseException failure(CompletableFuture<?> future) {
        ExecutionException e = assertThrows(ExecutionException.class, () -> future.get(10, TimeUnit.SECONDS));
        assertTrue(e.getCause() instanceof MooseException, String.valueOf(e.getCause()));
        return (MooseException) e.getCause();
    }

    private static int crc32c(ByteBuffer data) {
        CRC32C crc = new CRC32C();
        crc.update(data.duplicate());
        return (int) crc.getValue();
    }

    private static <T> T await(Future<T> future) throws Exception {
        return future.toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
    }
}
