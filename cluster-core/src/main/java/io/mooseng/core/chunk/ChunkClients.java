package io.mooseng.core.chunk;

/** Finds the client for a chunkserver id (connections are cached and shared). */
@FunctionalInterface
public interface ChunkClients {
    ChunkClient get(String nodeId);

    /**
     * Whether chunkservers take {@link ChunkClient#deleteShard} from this process: with mutual
     * TLS only masters may delete, so gateways and mounts leave the shards they free to the
     * masters' garbage collection. True where nothing restricts it.
     */
    default boolean mayDelete() {
        return true;
    }
}
