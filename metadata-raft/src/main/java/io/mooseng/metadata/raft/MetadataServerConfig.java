package io.mooseng.metadata.raft;

import io.mooseng.core.security.ClusterTls;
import io.mooseng.core.security.Role;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * Settings of one metadata peer.
 *
 * @param self               this peer: its id and the raft address it binds
 * @param voters             the voting members the group starts with (a master lists itself
 *                           among them; the log's configuration overrides this once known)
 * @param listener           a non-voting copy (metalogger): receives the log, never votes or leads
 * @param joining            a new master for a running group: {@code voters} are the current
 *                           members, without it; it neither votes nor campaigns until a
 *                           membership change adds it (a campaigning stranger is told by the
 *                           leader to shut down)
 * @param storageDir         Raft log, RocksDB and checkpoints live below it
 * @param electionTimeoutMin lower bound of the randomized election timeout (default 150 ms; chosen with `mooseng bench failover`)
 * @param electionTimeoutMax upper bound (default 300 ms)
 * @param requestTimeout     server-side RPC timeout between peers (default 3 s)
 * @param snapshotThreshold  log entries between automatic snapshots (default 100,000)
 * @param queryThreads       threads answering read-only queries (default 4)
 * @param logSegmentBytes    size of a Raft log segment file (default 8 MiB); whole segments are purged
 * @param minFreeBytes       free space below which the peer stops serving rather than fail
 *                           writes half-way (default 64 MiB); checked every 500 ms
 * @param tls                this peer's TLS identity (a master's certificate, a metalogger's for a
 *                           listener): the Raft RPC is mutual TLS with roles checked per call;
 *                           null (the default) is plaintext
 * @param auditLog           where this member appends a JSON line per admin action it receives
 *                           (membership and leadership changes, users, keys, the zonegroup); null for none
 */
public record MetadataServerConfig(RaftMember self, List<RaftMember> voters, boolean listener, boolean joining, Path storageDir,
                                   Duration electionTimeoutMin, Duration electionTimeoutMax, Duration requestTimeout,
                                   long snapshotThreshold, int queryThreads, long logSegmentBytes,
                                   long minFreeBytes, ClusterTls tls, Path auditLog) {
    public static final Duration DEFAULT_ELECTION_TIMEOUT_MIN = Duration.ofMillis(150);
    public static final Duration DEFAULT_ELECTION_TIMEOUT_MAX = Duration.ofMillis(300);
    public static final Duration DEFAULT_REQUEST_TIMEOUT = Duration.ofSeconds(3);
    public static final long DEFAULT_SNAPSHOT_THRESHOLD = 100_000;
    public static final int DEFAULT_QUERY_THREADS = 4;
    public static final long DEFAULT_LOG_SEGMENT_BYTES = 8 << 20;
    public static final long DEFAULT_MIN_FREE_BYTES = 64 << 20;

    public MetadataServerConfig {
        voters = List.copyOf(voters);
        boolean listed = voters.stream().anyMatch(m -> m.id().equals(self.id()));
        if (listed == (listener || joining)) {
            throw new IllegalArgumentException(listener || joining
                    ? self + " must not be among the current voting members " + voters + " (it is not one yet)"
                    : "member list " + voters + " does not contain this member " + self);
        }
        if (electionTimeoutMin.isNegative() || electionTimeoutMin.isZero() || electionTimeoutMax.compareTo(electionTimeoutMin) <= 0) {
            throw new IllegalArgumentException("need 0 < electionTimeoutMin < electionTimeoutMax");
        }
        if (snapshotThreshold < 1 || queryThreads < 1 || logSegmentBytes < 1024) {
            throw new IllegalArgumentException("snapshotThreshold and queryThreads must be positive, logSegmentBytes at least 1 KiB");
        }
        // members refuse Raft calls from any other role: a master with a metalogger's certificate
        // would start and then fail every append and vote, so say it here
        Role needed = listener ? Role.METALOGGER : Role.MASTER;
        if (tls != null && tls.role() != needed) {
            throw new IllegalArgumentException((listener ? "a metalogger" : "a master") + " needs a " + needed.label()
                    + "'s certificate; " + tls.dir() + " holds a " + tls.role().label() + "'s");
        }
    }

    /** A group of one: the embedded default. */
    public static MetadataServerConfig singleNode(String address, Path storageDir) {
        return cluster(address, List.of(address), storageDir);
    }

    /** A member of a group whose members are known by address only (ids derived from addresses). */
    public static MetadataServerConfig cluster(String address, List<String> peers, Path storageDir) {
        return member(RaftMember.of(address), peers.stream().map(RaftMember::of).toList(), storageDir);
    }

    /** A voting member (master). */
    public static MetadataServerConfig member(RaftMember self, List<RaftMember> voters, Path storageDir) {
        return withDefaults(self, voters, false, false, storageDir);
    }

    /** A non-voting listener (metalogger) of the group with these voters. */
    public static MetadataServerConfig listener(RaftMember self, List<RaftMember> voters, Path storageDir) {
        return withDefaults(self, voters, true, false, storageDir);
    }

    /** A new master that waits, without campaigning, to be added to the group of {@code currentVoters}. */
    public static MetadataServerConfig joining(RaftMember self, List<RaftMember> currentVoters, Path storageDir) {
        return withDefaults(self, currentVoters, false, true, storageDir);
    }

    private static MetadataServerConfig withDefaults(RaftMember self, List<RaftMember> voters, boolean listener, boolean joining,
                                                     Path storageDir) {
        return new MetadataServerConfig(self, voters, listener, joining, storageDir, DEFAULT_ELECTION_TIMEOUT_MIN,
                DEFAULT_ELECTION_TIMEOUT_MAX, DEFAULT_REQUEST_TIMEOUT, DEFAULT_SNAPSHOT_THRESHOLD, DEFAULT_QUERY_THREADS,
                DEFAULT_LOG_SEGMENT_BYTES, DEFAULT_MIN_FREE_BYTES, null, null);
    }

    public String address() {
        return self.address();
    }

    public MetadataServerConfig withElectionTimeout(Duration min, Duration max) {
        return new MetadataServerConfig(self, voters, listener, joining, storageDir, min, max, requestTimeout, snapshotThreshold,
                queryThreads, logSegmentBytes, minFreeBytes, tls, auditLog);
    }

    public MetadataServerConfig withAuditLog(Path file) {
        return new MetadataServerConfig(self, voters, listener, joining, storageDir, electionTimeoutMin, electionTimeoutMax,
                requestTimeout, snapshotThreshold, queryThreads, logSegmentBytes, minFreeBytes, tls, file);
    }

    public MetadataServerConfig withSnapshotThreshold(long entries) {
        return new MetadataServerConfig(self, voters, listener, joining, storageDir, electionTimeoutMin, electionTimeoutMax,
                requestTimeout, entries, queryThreads, logSegmentBytes, minFreeBytes, tls, auditLog);
    }

    public MetadataServerConfig withLogSegmentBytes(long bytes) {
        return new MetadataServerConfig(self, voters, listener, joining, storageDir, electionTimeoutMin, electionTimeoutMax,
                requestTimeout, snapshotThreshold, queryThreads, bytes, minFreeBytes, tls, auditLog);
    }

    public MetadataServerConfig withMinFreeBytes(long bytes) {
        return new MetadataServerConfig(self, voters, listener, joining, storageDir, electionTimeoutMin, electionTimeoutMax,
                requestTimeout, snapshotThreshold, queryThreads, logSegmentBytes, bytes, tls, auditLog);
    }

    /** Mutual TLS on the Raft RPC with this identity; null keeps it plaintext. */
    public MetadataServerConfig withTls(ClusterTls identity) {
        return new MetadataServerConfig(self, voters, listener, joining, storageDir, electionTimeoutMin, electionTimeoutMax,
                requestTimeout, snapshotThreshold, queryThreads, logSegmentBytes, minFreeBytes, identity, auditLog);
    }
}
