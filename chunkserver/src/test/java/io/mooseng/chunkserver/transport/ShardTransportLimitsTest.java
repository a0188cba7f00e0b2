package io.mooseng.chunkserver.transport;

import io.mooseng.chunkserver.ChunkServer;
import io.mooseng.chunkserver.ChunkServerOptions;
import io.mooseng.chunkserver.transport.proto.DeleteShardRequest;
import io.mooseng.chunkserver.transport.proto.ErrorReply;
import io.mooseng.chunkserver.transport.proto.ReadShardReply;
import io.mooseng.chunkserver.transport.proto.ReadShardRequest;
import io.mooseng.chunkserver.transport.proto.WriteShardRequest;
import io.mooseng.core.error.ErrorCode;
import io.mooseng.core.memory.ByteBudget;
import io.mooseng.core.model.ShardId;
import io.netty.buffer.Unpooled;
import io.vertx.core.Vertx;
import io.vertx.core.net.SocketAddress;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

import static io.mooseng.chunkserver.store.TestShards.content;
import static io.mooseng.chunkserver.store.TestShards.id;
import static io.mooseng.chunkserver.transport.LocalChunkServers.await;
import static io.mooseng.chunkserver.transport.TestCalls.crc32c;
import static io.mooseng.chunkserver.transport.TestCalls.eventually;
import static io.mooseng.chunkserver.transport.TestCalls.get;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What a chunkserver does with peers that misbehave or push too much: it refuses bad input
 * with an ERROR frame, never stores a shard it did not fully get, and holds its receive
 * memory (received shards, short reads) and its reply queue within bounds by not reading.
 * One server with a 1 MiB receive budget and a 1 MiB shard limit, shared by the tests.
 */
class ShardTransportLimitsTest {
    private static final int MIB = 1 << 20;

    @TempDir
    static Path dir;
    private static Vertx vertx;
    private static ByteBudget budget;
    private static ChunkServer server;
    private static TcpChunkClient client;

    @BeforeAll
    static void start() throws Exception {
        vertx = Vertx.vertx();
        budget = new ByteBudget("test-receive", MIB);
        server = await(new ChunkServer(vertx, "cs-limits", ChunkServerOptions.defaults(dir).withHost("127.0.0.1").withPort(0)
                .withMaxShardBytes(MIB).withReceiveBudget(budget)).start());
        client = new TcpChunkClient(vertx, "cs-limits", SocketAddress.inetSocketAddress(server.port(), "127.0.0.1"),
                ChunkClientOptions.defaults());
    }

    @AfterAll
    static void stop() throws Exception {
        client.close();
        await(server.stop());
        await(vertx.close());
    }

    @Test
    void anHttpClientGetsAnErrorAndAClosedConnection() throws Exception {
        try (RawConnection http = RawConnection.open(server.port())) {
            http.send("GET / HTTP/1.1\r\nHost: chunkserver\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            Hello.check(Unpooled.wrappedBuffer(http.bytes(Hello.BYTES)), "the server's hello");
            RawConnection.Frame refusal = http.read();
            assertEquals(0, refusal.header().requestId());
            ErrorReply error = refusal.error();
            assertEquals(ErrorCode.INVALID_ARGUMENT.name(), error.getCode());
            assertTrue(error.getMessage().contains("not a MooseNG shard transport client")
                    && error.getMessage().contains("GET / HT"), error.getMessage());
            assertTrue(http.closedByServer());
        }
    }

    @Test
    void anotherVersionIsRefused() throws Exception {
        try (RawConnection future = RawConnection.open(server.port())) {
            future.send(Unpooled.buffer().writeBytes("MNGS".getBytes(StandardCharsets.US_ASCII)).writeShort(2).writeShort(0));
            future.bytes(Hello.BYTES);
            assertTrue(future.read().error().getMessage().contains("version 2"));
            assertTrue(future.closedByServer());
        }
    }

    @Test
    void aMalformedFrameClosesTheConnection() throws Exception {
        assertRefused(0x42, 0, "unknown frame type 0x42");
        assertRefused(FrameType.READ.code, FrameHeader.MAX_PAYLOAD + 1, "frames carry 0 to 65536 bytes");
    }

    @Test
    void aDataFrameForAnUnknownRequestClosesTheConnection() throws Exception {
        assertRefused(FrameType.DATA.code, 10, "DATA frame of request 9, which announced no shard");
    }

    @Test
    void aShardOverTheLimitIsRefusedAndItsDataSkipped() throws Exception {
        ShardId big = id(1);
        try (RawConnection raw = RawConnection.open(server.port()).greeted()) {
            raw.send(FrameType.WRITE, 1, WriteShardRequest.newBuilder().setId(ShardMessages.toKey(big)).setLength(MIB + 1).build());
            ErrorReply error = raw.read().error();
            assertEquals(ErrorCode.INVALID_ARGUMENT.name(), error.getCode());
            assertTrue(error.getMessage().contains("exceeds"), error.getMessage());
            raw.sendData(1, new byte[MIB + 1]);
            raw.send(FrameType.STATS, 2, null);
            RawConnection.Frame stats = raw.read();
            assertEquals(FrameType.STATS_OK, stats.header().type());
            assertEquals(2, stats.header().requestId());
        }
        assertEquals(-1, server.store().size(big));
    }

    @Test
    void aClientThatDisconnectsMidShardStoresNothing() throws Exception {
        ShardId cut = id(2);
        ByteBuffer data = content(2, MIB);
        try (RawConnection raw = RawConnection.open(server.port()).greeted()) {
            raw.send(FrameType.WRITE, 1, WriteShardRequest.newBuilder().setId(ShardMessages.toKey(cut))
                    .setLength(MIB).setCrc32C(crc32c(data)).build());
            byte[] first = new byte[300_000];
            data.duplicate().get(first);
            raw.sendData(1, first);
        }
        eventually("the shard's memory is given back", () -> budget.inUse() == 0);
        assertEquals(-1, server.store().size(cut));
        get(client.writeShard(cut, data, crc32c(data)));
        assertEquals(data, get(client.readShard(cut, 0, MIB)));
    }

    @Test
    void writesBeyondTheReceiveBudgetWaitForItWithoutExceedingIt() throws Exception {
        AtomicBoolean writing = new AtomicBoolean(true);
        AtomicLong mostInUse = new AtomicLong();
        Thread sampler = Thread.ofPlatform().daemon().start(() -> {
            while (writing.get()) {
                mostInUse.accumulateAndGet(budget.inUse(), Math::max);
                LockSupport.parkNanos(100_000);
            }
        });
        long granted = budget.granted();
        List<ByteBuffer> shards = new ArrayList<>();
        List<CompletableFuture<Void>> writes = new ArrayList<>();
        for (int i = 0; i < 16; i++) {
            ByteBuffer data = content(100 + i, MIB);
            shards.add(data);
            writes.add(client.writeShard(id(100 + i), data, crc32c(data)));
        }
        get(CompletableFuture.allOf(writes.toArray(CompletableFuture[]::new)));
        writing.set(false);
        sampler.join();
        assertTrue(mostInUse.get() <= budget.capacity() && mostInUse.get() > 0, "at most " + mostInUse.get() + " bytes in use");
        assertEquals(16, budget.granted() - granted);
        assertEquals(0, budget.refused());
        eventually("every grant is given back", () -> budget.inUse() == 0);
        for (int i = 0; i < 16; i++) {
            assertEquals(shards.get(i), get(client.readShard(id(100 + i), 0, MIB)));
        }
    }

    @Test
    void shortReadsWaitForTheReceiveBudgetAndGiveItBackOnceSent() throws Exception {
        ByteBuffer data = content(5, MIB);
        get(client.writeShard(id(5), data, crc32c(data)));
        eventually("the write's memory is given back", () -> budget.inUse() == 0);
        long granted = budget.granted();
        CompletableFuture<ByteBuffer> shortRead;
        ByteBudget.Grant all = budget.tryAcquire(budget.capacity());
        try {
            assertEquals(data, get(client.readShard(id(5), 0, MIB)), "a read sent from the file takes no memory");
            shortRead = client.readShard(id(5), 70_000, 4096);
            eventually("the short read waits for memory", () -> budget.waiting() == 1);
            assertFalse(shortRead.isDone());
        } finally {
            all.close();
        }
        assertEquals(data.slice(70_000, 4096), get(shortRead));
        assertEquals(2, budget.granted() - granted, "the test's grant and the read's");
        eventually("the read's memory is given back", () -> budget.inUse() == 0);
        assertEquals(0, budget.refused());
    }

    @Test
    void aClientThatDoesNotReadItsRepliesIsNotReadEither() throws Exception {
        ByteBuffer data = content(3, MIB);
        get(client.writeShard(id(3), data, crc32c(data)));
        ByteBuffer small = content(4, 10);
        get(client.writeShard(id(4), small, crc32c(small)));
        int reads = 100;
        try (RawConnection raw = RawConnection.open(server.port()).greeted()) {
            for (int i = 1; i <= reads; i++) {
                raw.send(FrameType.READ, i, ReadShardRequest.newBuilder().setId(ShardMessages.toKey(id(3))).setLength(MIB).build());
            }
            raw.send(FrameType.DELETE, reads + 1, DeleteShardRequest.newBuilder().setId(ShardMessages.toKey(id(4))).build());
            Thread.sleep(500);
            assertEquals(10, server.store().size(id(4)), "the DELETE behind 100 MiB of unread replies is not read yet");

            // once read, the rest is read too; the calls run concurrently, so the replies come in any order
            int readReplies = 0;
            boolean deleted = false;
            while (readReplies < reads || !deleted) {
                RawConnection.Frame reply = raw.read();
                if (reply.header().type() == FrameType.DELETE_OK) {
                    deleted = true;
                } else {
                    assertEquals(FrameType.READ_OK, reply.header().type());
                    raw.bytes(ReadShardReply.parseFrom(reply.payload()).getLength());
                    readReplies++;
                }
            }
        }
        assertEquals(-1, server.store().size(id(4)));
    }

    /** A greeted connection sending a frame header as given gets an ERROR for the connection and is closed. */
    private static void assertRefused(int type, int length, String why) throws Exception {
        try (RawConnection raw = RawConnection.open(server.port()).greeted()) {
            raw.sendHeader(type, 0, 9, length);
            if (type == FrameType.DATA.code) {
                raw.send(new byte[length]);
            }
            RawConnection.Frame refusal = raw.read();
            assertEquals(0, refusal.header().requestId());
            assertTrue(refusal.error().getMessage().contains(why), refusal.error().getMessage());
            assertTrue(raw.closedByServer());
        }
    }
}
