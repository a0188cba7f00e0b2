package io.mooseng.metadata.raft;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * Settings of one metadata peer.
 *
 * @param address            this peer's raft address, host:port (it binds there)
 * @param peers              raft addresses of every member of the group, including this one
 * @param storageDir         Raft log, RocksDB and checkpoints live below it
 * @param electionTimeoutMin lower bound of the randomized election timeout (default 300 ms)
 * @param electionTimeoutMax upper bound (default 600 ms): leader loss to new leader takes about this long
 * @param requestTimeout     server-side RPC timeout between peers (default 3 s)
 * @param snapshotThreshold  log entries between automatic snapshots (default 100,000)
 * @param queryThreads       threads answering read-only queries (default 4)
 */
public record MetadataServerConfig(String address, List<String> peers, Path storageDir,
                                   Duration electionTimeoutMin, Duration electionTimeoutMax, Duration requestTimeout,
                                   long snapshotThreshold, int queryThreads) {
    public static final Duration DEFAULT_ELECTION_TIMEOUT_MIN = Duration.ofMillis(300);
    public static final Duration DEFAULT_ELECTION_TIMEOUT_MAX = Duration.ofMillis(600);
    public static final Duration DEFAULT_REQUEST_TIMEOUT = Duration.ofSeconds(3);
    public static final long DEFAULT_SNAPSHOT_THRESHOLD = 100_000;
    public static final int DEFAULT_QUERY_THREADS = 4;

    public MetadataServerConfig {
        peers = List.copyOf(peers);
        RaftPeers.port(address);
        if (!peers.contains(address)) {
            throw new IllegalArgumentException("peer list " + peers + " does not contain this peer's address " + address);
        }
        if (electionTimeoutMin.isNegative() || electionTimeoutMin.isZero() || electionTimeoutMax.compareTo(electionTimeoutMin) <= 0) {
            throw new IllegalArgumentException("need 0 < electionTimeoutMin < electionTimeoutMax");
        }
        if (snapshotThreshold < 1 || queryThreads < 1) {
            throw new IllegalArgumentException("snapshotThreshold and queryThreads must be positive");
        }
    }

    /** A group of one: the embedded default. */
    public static MetadataServerConfig singleNode(String address, Path storageDir) {
        return cluster(address, List.of(address), storageDir);
    }

    public static MetadataServerConfig cluster(String address, List<String> peers, Path storageDir) {
        return new MetadataServerConfig(address, peers, storageDir, DEFAULT_ELECTION_TIMEOUT_MIN, DEFAULT_ELECTION_TIMEOUT_MAX,
                DEFAULT_REQUEST_TIMEOUT, DEFAULT_SNAPSHOT_THRESHOLD, DEFAULT_QUERY_THREADS);
    }

    public MetadataServerConfig withElectionTimeout(Duration min, Duration max) {
        return new MetadataServerConfig(address, peers, storageDir, min, max, requestTimeout, snapshotThreshold, queryThreads);
    }

    public MetadataServerConfig withSnapshotThreshold(long entries) {
        return new MetadataServerConfig(address, peers, storageDir, electionTimeoutMin, electionTimeoutMax, requestTimeout,
                entries, queryThreads);
    }
}
