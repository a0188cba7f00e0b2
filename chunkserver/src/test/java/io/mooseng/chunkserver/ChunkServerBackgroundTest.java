package io.mooseng.chunkserver;

import io.mooseng.chunkserver.store.SegmentShardStore;
import io.mooseng.chunkserver.store.StoreOptions;
import io.vertx.core.Vertx;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import static io.mooseng.chunkserver.store.TestShards.content;
import static io.mooseng.chunkserver.store.TestShards.id;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

/** A chunkserver runs the store's compactor and a scrubber, and stops both. */
class ChunkServerBackgroundTest {
    @TempDir
    Path dir;

    @Test
    @Timeout(30)
    void compactsAndScrubsInTheBackgroundUntilStopped() throws Exception {
        Vertx vertx = Vertx.vertx();
        StoreOptions store = StoreOptions.defaults().withSegmentBytes(64 * 1024).withCompactIntervalMillis(50);
        ChunkServer server = new ChunkServer(vertx, "cs-bg", ChunkServerOptions.defaults(dir)
                .withHost("127.0.0.1").withPort(0).withStore(store).withScrubBytesPerSecond(64L << 20));
        // written before start: the scrubber's first pass runs at start
        try (SegmentShardStore shards = SegmentShardStore.open(dir, store)) {
            for (int version = 0; version < 2; version++) {
                for (int n = 0; n < 40; n++) {
                    shards.put(id(n), content(n * 10 + version, 4096));
                }
            }
        }
        try {
            server.start().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
            SegmentShardStore shards = server.store();
            while (shards.compactedSegments() == 0 || server.scrubber().scrubbedShards() == 0) {
                Thread.sleep(20);
            }
            assertEquals(content(11, 4096), shards.get(id(1), 0, 4096));
        } finally {
            server.stop().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
            vertx.close().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
        }
        assertFalse(Thread.getAllStackTraces().keySet().stream().anyMatch(t -> t.isAlive()
                && (t.getName().startsWith("mooseng-scrubber-") || t.getName().startsWith("mooseng-compactor-"))));
    }
}
