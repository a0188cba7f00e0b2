package io.mooseng.chunkserver.rpc;

import io.mooseng.chunkserver.rpc.proto.ListShardsReply;
import io.mooseng.chunkserver.rpc.proto.ListShardsRequest;
import io.mooseng.chunkserver.rpc.proto.ShardServiceGrpcClient;
import io.mooseng.core.error.ErrorCode;
import io.mooseng.core.error.MooseException;
import io.mooseng.core.model.ShardId;
import io.mooseng.core.model.StoredShard;
import io.vertx.core.net.SocketAddress;
import io.vertx.grpc.client.GrpcClient;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.zip.CRC32C;

import static io.mooseng.chunkserver.rpc.LocalChunkServers.await;
import static io.mooseng.chunkserver.store.TestShards.content;
import static io.mooseng.chunkserver.store.TestShards.id;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** ListShards against a real chunkserver: the inventory, streamed in batches. */
class ListShardsTest {
    private static final int SHARDS = 10_500;
    /** Writes in flight at once: enough to share fsyncs, few enough not to flood the server. */
    private static final int WINDOW = 256;

    @TempDir
    Path dir;
    private LocalChunkServers cluster;
    private GrpcChunkClient client;

    @BeforeEach
    void start() throws Exception {
        cluster = LocalChunkServers.start(dir, 1);
        client = cluster.client(0);
    }

    @AfterEach
    void stop() throws Exception {
        cluster.close();
    }

    @Test
    void anEmptyStoreListsNothing() throws Exception {
        assertEquals(List.of(), client.listShards().get(10, TimeUnit.SECONDS));
    }

    @Test
    void aStoppedServerFailsTheListing() throws Exception {
        cluster.stop(0);
        ExecutionException e = assertThrows(ExecutionException.class, () -> client.listShards().get(10, TimeUnit.SECONDS));
        assertEquals(ErrorCode.INTERNAL, MooseException.of(e).code());
        assertTrue(e.getCause().getMessage().contains("unreachable"), e.getCause().getMessage());
    }

    @Test
    void listsEveryShardWrittenAndNoDeletedOneInSeveralMessages() throws Exception {
        Set<StoredShard> expected = new HashSet<>();
        List<CompletableFuture<Void>> window = new ArrayList<>();
        for (int n = 0; n < SHARDS; n++) {
            ByteBuffer data = content(n, 1 + n % 300);
            window.add(client.writeShard(id(n), data, crc32c(data)));
            expected.add(new StoredShard(id(n), data.remaining()));
            if (window.size() == WINDOW) {
                CompletableFuture.allOf(window.toArray(CompletableFuture[]::new)).get(30, TimeUnit.SECONDS);
                window.clear();
            }
        }
        CompletableFuture.allOf(window.toArray(CompletableFuture[]::new)).get(30, TimeUnit.SECONDS);
        for (int n = 0; n < SHARDS; n += 37) {
            ShardId gone = id(n);
            client.deleteShard(gone).get(10, TimeUnit.SECONDS);
            expected.removeIf(s -> s.id().equals(gone));
        }

        List<StoredShard> listed = client.listShards().get(30, TimeUnit.SECONDS);
        assertEquals(expected.size(), listed.size(), "no shard listed twice");
        assertEquals(expected, new HashSet<>(listed));

        int batch = ShardMessages.LIST_BATCH_SHARDS;
        assertEquals(List.of(batch, batch, expected.size() - 2 * batch), batchSizes());
    }

    /** Shards per ListShards message, as a plain gRPC client sees them. */
    private List<Integer> batchSizes() throws Exception {
        GrpcClient raw = GrpcClient.client(cluster.vertx());
        try {
            List<Integer> sizes = new ArrayList<>();
            SocketAddress address = SocketAddress.inetSocketAddress(cluster.server(0).port(), "127.0.0.1");
            await(raw.request(address, ShardServiceGrpcClient.ListShards)
                    .compose(req -> req.send(ListShardsRequest.getDefaultInstance()))
                    .compose(response -> {
                        response.handler((ListShardsReply batch) -> sizes.add(batch.getShardsCount()));
                        return response.end();
                    }));
            return sizes;
        } finally {
            await(raw.close());
        }
    }

    private static int crc32c(ByteBuffer data) {
        CRC32C crc = new CRC32C();
        crc.update(data.duplicate());
        return (int) crc.getValue();
    }
}
