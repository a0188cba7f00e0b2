package io.mooseng.chunkserver;

import io.mooseng.chunkserver.store.StoreOptions;
import io.mooseng.chunkserver.transport.ShardTransportServer;
import io.mooseng.core.memory.ByteBudget;
import io.mooseng.core.security.ClusterTls;

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
 * @param maxShardBytes   largest shard accepted; a write announcing more is refused
 *                        (default {@link ShardTransportServer#DEFAULT_MAX_SHARD_BYTES})
 * @param receiveBudget   memory for shards being received, from their first byte until they
 *                        are durable, and for short reads, from their read until their reply
 *                        is written; while it is spent, connections asking for more stop being
 *                        read (default a budget of its own, {@value #DEFAULT_RECEIVE_BUDGET_BYTES} bytes)
 * @param scrubBytesPerSecond shard bytes the background scrubber re-verifies per second;
 *                        0 turns it off (default 8 MiB/s)
 * @param tls             this chunkserver's certificate (role chunkserver) and the cluster CA: the
 *                        shard transport then takes only mutually authenticated TLS connections and
 *                        enforces each caller's role, and rebuilds call peers with it; null: plain
 *                        TCP, every call from anyone (default)
 */
public record ChunkServerOptions(String host, int port, Path dataDir, StoreOptions store, int ioThreads,
                                 int maxShardBytes, ByteBudget receiveBudget, long scrubBytesPerSecond,
                                 ClusterTls tls) {
    public static final int DEFAULT_PORT = 9420;
    public static final long DEFAULT_RECEIVE_BUDGET_BYTES = 64L << 20;
    public static final long DEFAULT_SCRUB_BYTES_PER_SECOND = 8L << 20;

    public ChunkServerOptions {
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("port out of range: " + port);
        }
        if (ioThreads < 1 || maxShardBytes < 1) {
            throw new IllegalArgumentException("ioThreads and maxShardBytes must be positive");
        }
        if (scrubBytesPerSecond < 0) {
            throw new IllegalArgumentException("scrubBytesPerSecond must not be negative: " + scrubBytesPerSecond);
        }
    }

    public static ChunkServerOptions defaults(Path dataDir) {
        return new ChunkServerOptions("0.0.0.0", DEFAULT_PORT, dataDir, StoreOptions.defaults(), 16,
                ShardTransportServer.DEFAULT_MAX_SHARD_BYTES, new ByteBudget("chunkserver-receive", DEFAULT_RECEIVE_BUDGET_BYTES),
                DEFAULT_SCRUB_BYTES_PER_SECOND, null);
    }

    public ChunkServerOptions withHost(String value) {
        return new ChunkServerOptions(value, port, dataDir, store, ioThreads, maxShardBytes, receiveBudget, scrubBytesPerSecond, tls);
    }

    public ChunkServerOptions withPort(int value) {
        return new ChunkServerOptions(host, value, dataDir, store, ioThreads, maxShardBytes, receiveBudget, scrubBytesPerSecond, tls);
    }

    public ChunkServerOptions withStore(StoreOptions value) {
        return new ChunkServerOptions(host, port, dataDir, value, ioThreads, maxShardBytes, receiveBudget, scrubBytesPerSecond, tls);
    }

    public ChunkServerOptions withIoThreads(int value) {
        return new ChunkServerOptions(host, port, dataDir, store, value, maxShardBytes, receiveBudget, scrubBytesPerSecond, tls);
    }

    public ChunkServerOptions withMaxShardBytes(int value) {
        return new ChunkServerOptions(host, port, dataDir, store, ioThreads, value, receiveBudget, scrubBytesPerSecond, tls);
    }

    public ChunkServerOptions withReceiveBudget(ByteBudget value) {
        return new ChunkServerOptions(host, port, dataDir, store, ioThreads, maxShardBytes, value, scrubBytesPerSecond, tls);
    }

    public ChunkServerOptions withScrubBytesPerSecond(long value) {
        return new ChunkServerOptions(host, port, dataDir, store, ioThreads, maxShardBytes, receiveBudget, value, tls);
    }

    public ChunkServerOptions withTls(ClusterTls value) {
        return new ChunkServerOptions(host, port, dataDir, store, ioThreads, maxShardBytes, receiveBudget, scrubBytesPerSecond, value);
    }
}
