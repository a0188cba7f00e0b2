package io.mooseng.core.metadata;

import io.mooseng.core.model.ChunkserverInfo;
import io.mooseng.core.model.GatewayInfo;
import io.mooseng.core.model.ShardId;

import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * Chunkservers and gateways that registered with the cluster, refreshed by their heartbeats.
 * Non-blocking and linearizable: see {@link MetadataService} for the contract.
 */
public interface NodeRegistry {
    CompletableFuture<Void> registerChunkserver(ChunkserverInfo info);

    CompletableFuture<List<ChunkserverInfo>> listChunkservers();

    /**
     * A chunkserver lost these shards since its last report (quarantined as corrupt): the
     * leader queues their blocks for repair, as for a failed read (shards the block table no
     * longer places on that chunkserver are ignored). Sent beside its heartbeat, not logged.
     */
    CompletableFuture<Void> reportLostShards(String chunkserver, List<ShardId> shards);

    /** Registers a gateway or refreshes its heartbeat. */
    CompletableFuture<Void> registerGateway(GatewayInfo info);

    /** Gateways in id order. */
    CompletableFuture<List<GatewayInfo>> listGateways();
}
