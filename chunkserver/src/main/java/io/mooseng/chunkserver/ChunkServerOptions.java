package io.mooseng.chunkserver;

import io.mooseng.chunkserver.rpc.ShardMessages;
import io.mooseng.chunkserver.store.StoreOptions;

import java.nio.file.Path;

/**
 * Settings of a {@link ChunkServer}.
 *
 * @param host            interface to listen on (default 0.0.0.0)
 * @param port            TCP port; 0 picks a free one (default {@link #DEFAULT_PORT})
 * @param dataDir         directory of the shard store
 * @param store           settings of the shard store
 * @param ioThreads       threads of the worker pool running disk I/O; concurrent writes
 *                        share fsyncs only as far as they run in parallel (default 16)
 * @param maxMessageBytes largest gRPC message accepted, so the largest shard plus a little
 *                        (default {@link ShardMessages#DEFAULT_MAX_MESSAGE_BYTES})
 */
public record ChunkServerOptions(String host, int port, Path dataDir, StoreOptions store, int ioThreads,
                                 int maxMessageBytes) {
    public static final int DEFAULT_PORT = 9420;

    public ChunkServerOptions {
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("port out of range: " + port);
        }
        if (ioThreads < 1 || maxMessageBytes < 1) {
            throw new IllegalArgumentException("ioThreads and maxMessageBytes must be positive");
        }
    }

    public static ChunkServerOptions defaults(Path dataDir) {
        return new ChunkServerOptions("0.0.0.0", DEFAULT_PORT, dataDir, StoreOptions.defaults(), 16,
                ShardMessages.DEFAULT_MAX_MESSAGE_BYTES);
    }

    public ChunkServerOptions withHost(String value) {
        return new ChunkServerOptions(value, port, dataDir, store, ioThreads, maxMessageBytes);
    }

    public ChunkServerOptions withPort(int value) {
        return new ChunkServerOptions(host, value, dataDir, store, ioThreads, maxMessageBytes);
    }

    public ChunkServerOptions withStore(StoreOptions value) {
        return new ChunkServerOptions(host, port, dataDir, value, ioThreads, maxMessageBytes);
    }

    public ChunkServerOptions withIoThreads(int value) {
        return new ChunkServerOptions(host, port, dataDir, store, value, maxMessageBytes);
    }

    public ChunkServerOptions withMaxMessageBytes(int value) {
        return new ChunkServerOptions(host, port, dataDir, store, ioThreads, value);
    }
}
