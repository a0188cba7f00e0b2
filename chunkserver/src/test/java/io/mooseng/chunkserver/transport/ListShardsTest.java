package io.mooseng.chunkserver.transport;

import io.mooseng.chunkserver.transport.proto.ListShardsReply;
import io.mooseng.core.error.ErrorCode;
import io.mooseng.core.error.MooseException;
import io.mooseng.core.model.ShardId;
import io.mooseng.core.model.StoredShard;
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

import static io.mooseng.chunkserver.store.TestShards.content;
import static io.mooseng.chunkserver.store.TestShards.id;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** LIST against a real chunkserver: the inventory, streamed in batches. */
class ListShardsTest {
    private static final int SHARDS = 10_500;
    /** Writes in flight at once: enough to share fsyncs, few enough not to flood the server. */
    private static final int WINDOW = 256;

    @TempDir
    Path dir;
    private LocalChunkServers cluster;
    private TcpChunkClient client;

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
    void listsEveryShardWrittenAndNoDeletedOneInShardIdOrderInSeveralFrames() throws Exception {
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
        assertEquals(listed.stream().sorted(java.util.Comparator.comparing(StoredShard::id)).toList(), listed,
                "in shard id order, as the leader merges it with its node index");

        int batch = InventoryStream.BATCH_SHARDS;
        List<Integer> expectedBatches = new ArrayList<>();
        for (int left = expected.size(); left > 0; left -= batch) {
            expectedBatches.add(Math.min(batch, left));
        }
        assertEquals(expectedBatches, batchSizes());
    }

    /** Shards per LIST_BATCH frame, as they arrive on a plain socket. */
    private List<Integer> batchSizes() throws Exception {
        try (RawConnection raw = RawConnection.open(cluster.server(0).port()).greeted()) {
            raw.send(FrameType.LIST, 1, null);
            List<Integer> sizes = new ArrayList<>();
            RawConnection.Frame frame;
            do {
                frame = raw.read();
                assertEquals(FrameType.LIST_BATCH, frame.header().type());
                sizes.add(ListShardsReply.parseFrom(frame.payload()).getShardsCount());
            } while (!frame.header().end());
            return sizes;
        }
    }

    private static int crc32c(ByteBuffer data) {
        CRC32C crc = new CRC32C();
        crc.update(data.duplicate());
        return (int) crc.getValue();
    }
}
