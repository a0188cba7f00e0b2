package io.mooseng.chunkserver.transport;

import io.mooseng.core.security.ClusterTls;

import java.time.Duration;

/**
 * Settings of a {@link TcpChunkClient}.
 *
 * @param connectTimeout  how long to wait for a TCP connection and the chunkserver's HELLO on it
 *                        before failing (default 2 s)
 * @param requestTimeout  deadline of each call, from the call to its answer (default 30 s)
 * @param longCallTimeout deadline of the calls that move a whole inventory or rebuild a shard
 *                        from its peers, listShards and rebuildShard (default 10 min)
 * @param maxShardBytes   largest shard written or read; a chunkserver announcing more breaks the
 *                        connection (default {@link ShardTransportServer#DEFAULT_MAX_SHARD_BYTES})
 * @param connections     TCP connections kept to one chunkserver, each carrying many calls at
 *                        once; a second one lets small calls pass a large write (default 2)
 * @param tls             this process's certificate and the cluster CA: connections are then
 *                        mutually authenticated TLS and the peer must be a chunkserver; what a call
 *                        may do is the chunkserver's decision by this certificate's role
 *                        ({@link ShardCallRoles}); null: plain TCP (default)
 * @param local           the chunkservers of this process, whose shards are written and read without a
 *                        connection ({@link LocalChunkClient}); null: none (default)
 */
public record ChunkClientOptions(Duration connectTimeout, Duration requestTimeout, Duration longCallTimeout,
                                 int maxShardBytes, int connections, ClusterTls tls, InProcessChunkservers local) {

    public ChunkClientOptions {
        for (Duration timeout : new Duration[] {connectTimeout, requestTimeout, longCallTimeout}) {
            if (timeout.isNegative() || timeout.isZero()) {
                throw new IllegalArgumentException("timeouts must be positive: " + timeout);
            }
        }
        if (maxShardBytes <= 0 || connections <= 0) {
            throw new IllegalArgumentException("maxShardBytes and connections must be positive: " + maxShardBytes
                    + ", " + connections);
        }
    }

    public static ChunkClientOptions defaults() {
        return new ChunkClientOptions(Duration.ofSeconds(2), Duration.ofSeconds(30), Duration.ofMinutes(10),
                ShardTransportServer.DEFAULT_MAX_SHARD_BYTES, 2, null, null);
    }

    public ChunkClientOptions withConnectTimeout(Duration timeout) {
        return new ChunkClientOptions(timeout, requestTimeout, longCallTimeout, maxShardBytes, connections, tls, local);
    }

    public ChunkClientOptions withRequestTimeout(Duration timeout) {
        return new ChunkClientOptions(connectTimeout, timeout, longCallTimeout, maxShardBytes, connections, tls, local);
    }

    public ChunkClientOptions withLongCallTimeout(Duration timeout) {
        return new ChunkClientOptions(connectTimeout, requestTimeout, timeout, maxShardBytes, connections, tls, local);
    }

    public ChunkClientOptions withMaxShardBytes(int bytes) {
        return new ChunkClientOptions(connectTimeout, requestTimeout, longCallTimeout, bytes, connections, tls, local);
    }

    public ChunkClientOptions withConnections(int count) {
        return new ChunkClientOptions(connectTimeout, requestTimeout, longCallTimeout, maxShardBytes, count, tls, local);
    }

    public ChunkClientOptions withTls(ClusterTls value) {
        return new ChunkClientOptions(connectTimeout, requestTimeout, longCallTimeout, maxShardBytes, connections, value, local);
    }

    public ChunkClientOptions withLocal(InProcessChunkservers value) {
        return new ChunkClientOptions(connectTimeout, requestTimeout, longCallTimeout, maxShardBytes, connections, tls, value);
    }
}
