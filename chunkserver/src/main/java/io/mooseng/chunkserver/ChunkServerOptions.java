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
 * @param scrubBytesPerSecond shard bytes the background scrubber re-verifies per second;
 *                        0 turns it off (default 8 MiB/s)
 */
public record ChunkServerOptions(String host, int port, Path dataDir, StoreOptions store, int ioThreads,
                                 int maxMessageBytes, long scrubBytesPerSecond) {
    public static final int DEFAULT_PORT = 9420;
    public static final long DEFAULT_SCRUB_BYTES_PER_SECOND = 8L << 20;

    public ChunkServerOptions {
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("port out of range: " + port);
        }
        if (ioThreads < 1 || maxMessageBytes < 1) {
            throw new IllegalArgumentException("ioThreads and maxMessageBytes must be positive");
        }
        if (scrubBytesPerSecond < 0) {
            throw new IllegalArgumentException("scrubBytesPerSecond must not be negative: " + scrubBytesPerSecond);
        }
    }

    public static ChunkServerOptions defaults(Path dataDir) {
        return new ChunkServerOptions("0.0.0.0", DEFAULT_PORT, dataDir, StoreOptions.defaults(), 16,
                ShardMessages.DEFAULT_MAX_MESSAGE_BYTES, DEFAULT_SCRUB_BYTES_PER_SECOND);
    }

    public ChunkServerOptions withHost(String value) {
        return new ChunkServerOptions(value, port, dataDir, store, ioThreads, maxMessageBytes, scrubBytesPerSecond);
    }

    public ChunkServerOptions withPort(int value) {
        return new ChunkServerOptions(host, value, dataDir, store, ioThreads, maxMessageBytes, scrubBytesPerSecond);
    }

    public ChunkServerOptions withStore(StoreOptions value) {
        return new ChunkServerOptions(host, port, dataDir, value, ioThreads, maxMessageBytes, scrubBytesPerSecond);
    }

    public ChunkServerOptions withIoThreads(int value) {
        return new ChunkServerOptions(host, port, dataDir, store, value, maxMessageBytes, scrubBytesPerSecond);
    }

    public ChunkServerOptions withMaxMessageBytes(int value) {
        return new ChunkServerOptions(host, port, dataDir, store, ioThreads, value, scrubBytesPerSecond);
    }

    public ChunkServerOptions withScrubBytesPerSecond(long value) {
        return new ChunkServerOptions(host, port, dataDir, store, ioThreads, maxMessageBytes, value);
    }
}
