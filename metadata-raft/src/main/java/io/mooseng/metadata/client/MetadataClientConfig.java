package io.mooseng.metadata.client;

import io.mooseng.core.security.ClusterTls;

import java.time.Duration;

/**
 * Settings of a {@link RaftMetadataService}.
 *
 * @param requestTimeout    one attempt against one peer (default 1 s: a frozen or partitioned leader
 *                          holds a request this long before it is retried elsewhere)
 * @param retryInterval     longest pause between attempts, e.g. while a new leader is elected; pauses
 *                          double from 1 ms up to it (default 25 ms)
 * @param retryTimeout      total time for a request across attempts before it fails with
 *                          METADATA_UNAVAILABLE (default 15 s; plus at most one requestTimeout)
 * @param maxWritesInFlight log entries submitted and not yet answered (default 2); more
 *                          commands wait and are then coalesced into batch entries
 * @param maxReadsInFlight  reads of the group submitted and not yet answered (default 8); more
 *                          queries wait and are then answered in batches, from one snapshot each
 * @param maxBatchCommands  commands per batch entry, and queries per batch read (default 64)
 * @param maxBatchBytes     encoded bytes per batch entry or read (default 1 MiB; one larger request goes alone)
 * @param tls               this process's TLS identity (its certificate's role decides what the masters
 *                          let it call); null (the default) is plaintext
 */
public record MetadataClientConfig(Duration requestTimeout, Duration retryInterval, Duration retryTimeout,
                                   int maxWritesInFlight, int maxReadsInFlight, int maxBatchCommands, int maxBatchBytes,
                                   ClusterTls tls) {
    public static final MetadataClientConfig DEFAULTS = new MetadataClientConfig(Duration.ofSeconds(1), Duration.ofMillis(25),
            Duration.ofSeconds(15), 2, 8, 64, 1 << 20, null);

    public MetadataClientConfig {
        if (maxWritesInFlight < 1 || maxReadsInFlight < 1 || maxBatchCommands < 1 || maxBatchBytes < 1) {
            throw new IllegalArgumentException("in-flight and batch limits must be positive");
        }
    }

    public MetadataClientConfig withMaxWritesInFlight(int n) {
        return new MetadataClientConfig(requestTimeout, retryInterval, retryTimeout, n, maxReadsInFlight,
                maxBatchCommands, maxBatchBytes, tls);
    }

    public MetadataClientConfig withMaxReadsInFlight(int n) {
        return new MetadataClientConfig(requestTimeout, retryInterval, retryTimeout, maxWritesInFlight, n,
                maxBatchCommands, maxBatchBytes, tls);
    }

    public MetadataClientConfig withRetryTimeout(Duration timeout) {
        return new MetadataClientConfig(requestTimeout, retryInterval, timeout, maxWritesInFlight, maxReadsInFlight,
                maxBatchCommands, maxBatchBytes, tls);
    }

    /** Mutual TLS to the masters with this identity; null keeps it plaintext. */
    public MetadataClientConfig withTls(ClusterTls identity) {
        return new MetadataClientConfig(requestTimeout, retryInterval, retryTimeout, maxWritesInFlight, maxReadsInFlight,
                maxBatchCommands, maxBatchBytes, identity);
    }
}
