package io.mooseng.cli.node;

import io.mooseng.chunkserver.ChunkServer;
import io.mooseng.chunkserver.ChunkServerOptions;
import io.mooseng.core.metadata.NodeRegistry;
import io.mooseng.core.model.ChunkserverInfo;
import io.mooseng.core.model.ShardId;
import io.vertx.core.Vertx;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * A chunkserver that registers with the metadata service and then reports its capacity and
 * usage on every heartbeat, under a stable id and the address clients reach it at.
 */
public final class ChunkserverNode implements AutoCloseable {
    private final ChunkServer server;
    private final Heartbeat heartbeat;

    private ChunkserverNode(ChunkServer server, Heartbeat heartbeat) {
        this.server = server;
        this.heartbeat = heartbeat;
    }

    /**
     * @param advertisedHost host clients use to reach it (the bind host, unless that is a wildcard)
     */
    public static ChunkserverNode start(Vertx vertx, NodeRegistry metadata, String id, ChunkServerOptions options,
                                        String advertisedHost, Map<String, String> labels, Duration heartbeatInterval)
            throws Exception {
        ChunkServer cs = new ChunkServer(vertx, id, options);
        cs.start().toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
        String address = advertisedHost + ":" + cs.port();
        try {
            Heartbeat hb = Heartbeat.start(vertx, id, heartbeatInterval, () -> {
                var usage = cs.store().usage();
                return metadata.registerChunkserver(new ChunkserverInfo(id, address, labels, usage.capacityBytes(),
                        usage.liveBytes(), usage.freeBytes(), System.currentTimeMillis())).thenCompose(v -> reportLost(metadata, id, cs));
            });
            return new ChunkserverNode(cs, hb);
        } catch (Exception e) {
            cs.stop().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
            throw e;
        }
    }

    /** Beside each heartbeat: the shards quarantined since the last one, for the leader's repair queue (kept for the next beat on failure). */
    private static CompletableFuture<Void> reportLost(NodeRegistry metadata, String id, ChunkServer cs) {
        List<ShardId> lost = cs.store().lost().take();
        if (lost.isEmpty()) {
            return CompletableFuture.completedFuture(null);
        }
        return metadata.reportLostShards(id, lost).whenComplete((ok, e) -> {
            if (e != null) {
                cs.store().lost().restore(lost);
            }
        });
    }

    public ChunkServer server() {
        return server;
    }

    /** Stops serving; its data stays on disk. */
    public void stop() throws Exception {
        heartbeat.close();
        server.stop().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
    }

    @Override
    public void close() throws Exception {
        stop();
    }
}
