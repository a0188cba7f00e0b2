package io.mooseng.core.metadata;

import io.mooseng.core.model.ChunkserverInfo;
import io.mooseng.core.model.GatewayInfo;

import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * Chunkservers and gateways that registered with the cluster, refreshed by their heartbeats.
 * Non-blocking and linearizable: see {@link MetadataService} for the contract.
 */
public interface NodeRegistry {
    CompletableFuture<Void> registerChunkserver(ChunkserverInfo info);

    CompletableFuture<List<ChunkserverInfo>> listChunkservers();

    /** Registers a gateway or refreshes its heartbeat. */
    CompletableFuture<Void> registerGateway(GatewayInfo info);

    /** Gateways in id order. */
    CompletableFuture<List<GatewayInfo>> listGateways();
}
