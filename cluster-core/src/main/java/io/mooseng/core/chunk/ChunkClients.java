package io.mooseng.core.chunk;

/** Finds the client for a chunkserver id (connections are cached and shared). */
@FunctionalInterface
public interface ChunkClients {
    ChunkClient get(String nodeId);
}
