package io.mooseng.chunkserver.rpc;

import java.time.Duration;

/**
 * Settings of a {@link GrpcChunkClient}.
 *
 * @param connectTimeout  how long to wait for a TCP connection before failing (default 2 s)
 * @param requestTimeout  deadline of each call, sent to the server too (default 30 s)
 * @param longCallTimeout deadline of the calls that move a whole inventory or rebuild a shard
 *                        from its peers, ListShards and RebuildShard (default 10 min)
 * @param maxMessageBytes largest reply accepted; at least the largest shard read in one
 *                        call plus a little (default {@link ShardMessages#DEFAULT_MAX_MESSAGE_BYTES})
 */
public record ChunkClientOptions(Duration connectTimeout, Duration requestTimeout, Duration longCallTimeout,
                                 int maxMessageBytes) {

    public ChunkClientOptions {
        for (Duration timeout : new Duration[] {connectTimeout, requestTimeout, longCallTimeout}) {
            if (timeout.isNegative() || timeout.isZero()) {
                throw new IllegalArgumentException("timeouts must be positive: " + timeout);
            }
        }
        if (maxMessageBytes <= 0) {
            throw new IllegalArgumentException("maxMessageBytes must be positive: " + maxMessageBytes);
        }
    }

    public static ChunkClientOptions defaults() {
        return new ChunkClientOptions(Duration.ofSeconds(2), Duration.ofSeconds(30), Duration.ofMinutes(10),
                ShardMessages.DEFAULT_MAX_MESSAGE_BYTES);
    }

    public ChunkClientOptions withConnectTimeout(Duration timeout) {
        return new ChunkClientOptions(timeout, requestTimeout, longCallTimeout, maxMessageBytes);
    }

    public ChunkClientOptions withRequestTimeout(Duration timeout) {
        return new ChunkClientOptions(connectTimeout, timeout, longCallTimeout, maxMessageBytes);
    }

    public ChunkClientOptions withLongCallTimeout(Duration timeout) {
        return new ChunkClientOptions(connectTimeout, requestTimeout, timeout, maxMessageBytes);
    }

    public ChunkClientOptions withMaxMessageBytes(int bytes) {
        return new ChunkClientOptions(connectTimeout, requestTimeout, longCallTimeout, bytes);
    }
}
