package io.mooseng.core.chunk;

import io.mooseng.core.metadata.NodeRegistry;
import io.mooseng.core.model.ChunkserverInfo;
import io.mooseng.core.model.GatewayInfo;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicLong;

import static org.junit.jupiter.api.Assertions.assertEquals;

class ChunkserverDirectoryTest {
    private static final long CAPACITY = 64L << 20;

    /** The registry as a list the test changes; counts how often it is read. */
    private static final class Registry implements NodeRegistry {
        volatile List<ChunkserverInfo> nodes;
        int reads;

        @Override
        public CompletableFuture<Void> registerChunkserver(ChunkserverInfo info) {
            throw new UnsupportedOperationException();
        }

        @Override
        public CompletableFuture<List<ChunkserverInfo>> listChunkservers() {
            reads++;
            return CompletableFuture.completedFuture(nodes);
        }

        @Override
        public CompletableFuture<Void> reportLostShards(String chunkserver, List<io.mooseng.core.model.ShardId> shards) {
            throw new UnsupportedOperationException();
        }

        @Override
        public CompletableFuture<Void> registerGateway(GatewayInfo info) {
            throw new UnsupportedOperationException();
        }

        @Override
        public CompletableFuture<List<GatewayInfo>> listGateways() {
            throw new UnsupportedOperationException();
        }
    }

    private static ChunkserverInfo node(String id, long free) {
        return new ChunkserverInfo(id, id + ":1", Map.of(), CAPACITY, CAPACITY - free, free, 1);
    }

    @Test
    void theFullCountFollowsTheRegistryWithoutWrites() throws Exception {
        Registry registry = new Registry();
        registry.nodes = List.of(node("cs1", CAPACITY), node("cs2", CAPACITY));
        AtomicLong clock = new AtomicLong(1_000);
        ChunkserverDirectory directory = new ChunkserverDirectory(registry, 5_000, 10_000, clock::get);
        assertEquals(2, directory.live().get().size());
        assertEquals(0, directory.fullCount());

        registry.nodes = List.of(node("cs1", CAPACITY), node("cs2", 1 << 20));
        assertEquals(0, directory.fullCount(), "a view younger than the refresh period is served as it is");
        int reads = registry.reads;
        clock.addAndGet(5_000);
        directory.fullCount(); // the scrape that finds the view old refreshes it
        assertEquals(reads + 1, registry.reads);
        assertEquals(1, directory.fullCount());
        assertEquals(List.of("cs1"), directory.live().get().stream().map(ChunkserverInfo::id).toList());
    }
}
