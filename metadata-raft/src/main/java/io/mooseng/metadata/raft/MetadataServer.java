package io.mooseng.metadata.raft;

import io.mooseng.metadata.command.MetadataQuery;
import io.mooseng.metadata.rpc.AdminAudit;
import io.mooseng.metadata.rpc.RaftRpc;
import io.mooseng.metadata.rpc.RaftRpcConfigKeys;
import org.apache.ratis.conf.RaftProperties;
import org.apache.ratis.protocol.RaftGroup;
import org.apache.ratis.protocol.RaftPeerId;
import org.apache.ratis.server.DivisionInfo;
import org.apache.ratis.server.RaftServer;
import org.apache.ratis.server.RaftServerConfigKeys;
import org.apache.ratis.server.storage.RaftStorage;
import org.apache.ratis.statemachine.SnapshotInfo;
import org.apache.ratis.util.ExitUtils;
import org.apache.ratis.util.SizeInBytes;
import org.apache.ratis.util.TimeDuration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.Files;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * One peer of the metadata Raft group: a Ratis server over the Raft RPC (mutual TLS when the
 * configuration has an identity) whose state machine keeps
 * the namespace in RocksDB. A group of one is the embedded single-node setup; several peers
 * started with the same peer list form a replicated group. Clients connect with
 * {@link io.mooseng.metadata.client.RaftMetadataService}.
 *
 * <p>{@link #start()} throws if the peer cannot start (port taken, storage locked or
 * corrupt). Ratis itself would call System.exit when its gRPC port is taken; starting a
 * peer therefore turns Ratis's exits into exceptions, process-wide (nothing else in Ratis
 * 3.3 exits).
 */
public final class MetadataServer implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(MetadataServer.class);
    private static final int SNAPSHOTS_RETAINED = 2;
    private static final String RAFT_PROPERTY_PREFIX = "raft.";
    /** Pause of a follower's appender after a failed call: a restarted follower is found this soon (Ratis: 25 ms, and a warning every 10 failures). */
    private static final TimeDuration APPENDER_RETRY = TimeDuration.valueOf(50, TimeUnit.MILLISECONDS);
    /** Lease length as a share of the minimum election timeout; the clock-rate bound reads from it (README). */
    private static final double LEASE_RATIO = 0.9;
    private static final int SNAPSHOT_CHUNK = 1 << 20;
    /** A pause this long is no reason to close the member (the threshold Ratis takes is a duration). */
    private static final long PAUSE_NEVER_CLOSES_DAYS = 3650;

    private final MetadataServerConfig config;
    private final RaftPeerId id;
    private NamespaceStateMachine stateMachine;
    private RaftServer server;
    private ScheduledExecutorService spaceWatcher;
    private LeaderWatch leaderWatch;
    private AdminAudit audit;
    private volatile Consumer<Throwable> failureHandler = cause -> { };

    public MetadataServer(MetadataServerConfig config) {
        this.config = config;
        this.id = RaftPeerId.valueOf(config.self().id());
    }

    /** Starts the peer; it then joins or forms the group's leadership on its own. */
    public synchronized void start() throws IOException {
        if (server != null) {
            throw new IllegalStateException("metadata peer " + id + " already started");
        }
        disableRatisExit();
        NamespaceStateMachine sm = new NamespaceStateMachine(config.queryThreads(), this::failed);
        if (config.auditLog() != null) {
            audit = new AdminAudit(config.auditLog(), config.self().id());
        }
        RaftServer s = null;
        try {
            s = RaftServer.newBuilder()
                    .setServerId(id)
                    // a metalogger is a listener in its own group. A joining master starts with no
                    // members: Ratis keeps it initializing (no election timer, never campaigns) until
                    // the leader, having added it, sends it the log and the configuration. It must
                    // not join as a listener: Ratis turns a listener into a follower inside
                    // appendEntries, holding the server lock, and waits there for the listener's
                    // timer thread, which may be waiting for that lock (a deadlock seen under load).
                    .setGroup(config.joining() ? RaftGroup.valueOf(RaftPeers.GROUP_ID)
                            : RaftPeers.group(config.voters(), config.listener() ? List.of(config.self()) : List.of()))
                    .setStateMachine(sm)
                    .setProperties(properties())
                    .setParameters(RaftRpcConfigKeys.withAudit(RaftRpcConfigKeys.withTls(config.tls()), audit))
                    .setOption(RaftStorage.StartupOption.RECOVER)
                    .build();
            s.start();
            // fails if the group's division (storage, state machine) did not come up
            if (!s.getDivision(RaftPeers.GROUP_ID).getInfo().isAlive()) {
                throw new IOException("division is " + s.getDivision(RaftPeers.GROUP_ID).getInfo().getLifeCycleState());
            }
        } catch (IOException | RuntimeException e) {
            closeQuietly(s);
            sm.close();
            throw new IOException("metadata peer " + config.address() + " failed to start", e);
        }
        server = s;
        stateMachine = sm;
        leaderWatch = LeaderWatch.start(s, config.tls());
        watchFreeSpace();
        LOG.info("metadata peer started: id={} address={} role={} voters={}", id, config.address(),
                config.listener() ? "LISTENER" : config.joining() ? "JOINING" : "VOTER", config.voters());
    }

    /** Waits until this peer knows a leader (and, if it is the leader, is ready to serve). */
    public boolean awaitLeader(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        do {
            DivisionInfo info = info();
            if (info.getLeaderId() != null && (!info.isLeader() || info.isLeaderReady())) {
                return true;
            }
            Thread.sleep(10);
        } while (System.nanoTime() < deadline);
        return false;
    }

    /** Whether this peer leads the group and has applied its term's first entry (leader duties may run). */
    public boolean leading() {
        DivisionInfo info = info();
        return info.isLeader() && info.isLeaderReady();
    }

    public RaftStatus status() {
        RaftServer.Division d = division();
        DivisionInfo info = d.getInfo();
        SnapshotInfo snapshot = stateMachine.getLatestSnapshot();
        return new RaftStatus(id.toString(), info.getCurrentRole().name(), info.isLeader(), info.getLeaderId() == null ? null : info.getLeaderId().toString(),
                info.getCurrentTerm(), d.getRaftLog().getLastCommittedIndex(), info.getLastAppliedIndex(),
                stateMachine.appliedEntries(), snapshot == null ? -1 : snapshot.getIndex());
    }

    /** Mounts this peer knows while it leads (0 on a follower). */
    public int knownMounts() {
        NamespaceStateMachine sm = stateMachine;
        return sm == null ? 0 : sm.knownMounts();
    }

    /**
     * Answers a query from this peer's own state, with no network round trip and no codec, where
     * that is linearizable: this peer leads a group of one, and a write is acknowledged only once
     * applied here. Elsewhere empty, and the caller goes through Ratis' ReadIndex.
     */
    public <R> Optional<CompletableFuture<R>> queryLocally(MetadataQuery<R> query) {
        NamespaceStateMachine sm = stateMachine;
        if (sm == null || !info().isLeader() || !info().isLeaderReady()
                || division().getRaftConf().getCurrentPeers().size() != 1) {
            return Optional.empty();
        }
        return Optional.of(sm.answer(query));
    }

    /**
     * Called once if this peer can no longer apply the log (disk full, corrupt database); by
     * default the peer stops serving, so the group goes on without it rather than diverge.
     */
    public void onFailure(Consumer<Throwable> handler) {
        this.failureHandler = handler;
    }

    /**
     * Stops this peer when its disk is nearly full: Ratis would otherwise keep failing log
     * appends one by one; stopped, the peer says why once and the group goes on without it.
     */
    private void watchFreeSpace() {
        ScheduledExecutorService watcher = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "metadata-free-space-" + id);
            t.setDaemon(true);
            return t;
        });
        spaceWatcher = watcher;
        watcher.scheduleWithFixedDelay(() -> {
            try {
                long free = Files.getFileStore(config.storageDir()).getUsableSpace();
                if (free < config.minFreeBytes()) {
                    watcher.shutdown();
                    failed(new IOException("free space " + (free >> 20) + " MiB on " + config.storageDir()
                            + " is below the minimum " + (config.minFreeBytes() >> 20) + " MiB"));
                }
            } catch (IOException e) {
                LOG.warn("cannot read free space of {}: {}", config.storageDir(), e.toString());
            }
        }, 0, 500, TimeUnit.MILLISECONDS);
    }

    private void failed(Throwable cause) {
        LOG.error("metadata peer {} cannot apply the log any more and stops serving: {}", id, cause.toString());
        Thread stopper = new Thread(() -> {
            try {
                close();
            } catch (IOException | RuntimeException e) {
                LOG.warn("stopping failed peer {}", id, e);
            }
            failureHandler.accept(cause);
        }, "metadata-peer-stop");
        stopper.setDaemon(true);
        stopper.start();
    }

    public String address() {
        return config.address();
    }

    @Override
    public synchronized void close() throws IOException {
        if (leaderWatch != null) {
            leaderWatch.close();
        }
        if (spaceWatcher != null) {
            spaceWatcher.shutdownNow();
        }
        if (server != null) {
            server.close();
            server = null;
        }
        if (audit != null) {
            audit.close();
            audit = null;
        }
    }

    private DivisionInfo info() {
        return division().getInfo();
    }

    private synchronized RaftServer.Division division() {
        if (server == null) {
            throw new IllegalStateException("metadata peer " + id + " is not running");
        }
        try {
            return server.getDivision(RaftPeers.GROUP_ID);
        } catch (IOException e) {
            throw new IllegalStateException("metadata peer " + id + " has no group division", e);
        }
    }

    private RaftProperties properties() {
        RaftProperties p = new RaftProperties();
        RaftRpc.use(p);
        RaftRpcConfigKeys.setBindAddress(p, RaftPeers.host(config.address()), RaftPeers.port(config.address()));
        // The RPC brings its own log appender (PipelinedLogAppender: a few calls in flight per
        // follower, nothing resent while a follower may still be appending it). A follower that
        // refuses the connection (restarting) is retried after this pause.
        RaftServerConfigKeys.Rpc.setSleepTime(p, APPENDER_RETRY);
        // A snapshot is sent in chunks of 1 MiB, one call each: a follower that died or froze
        // mid-install costs one request timeout, and the leader's heartbeats to it go on between
        // chunks (with gRPC's streamed install, 16 MiB chunks, 8 in flight, 3 s each, a restarted
        // follower sat 24 s without a leader).
        RaftServerConfigKeys.Log.Appender.setSnapshotChunkSizeMax(p, SizeInBytes.valueOf(SNAPSHOT_CHUNK));
        RaftServerConfigKeys.setStorageDir(p, List.of(config.storageDir().toFile()));
        RaftServerConfigKeys.Rpc.setTimeoutMin(p, millis(config.electionTimeoutMin()));
        RaftServerConfigKeys.Rpc.setTimeoutMax(p, millis(config.electionTimeoutMax()));
        RaftServerConfigKeys.Rpc.setRequestTimeout(p, millis(config.requestTimeout()));
        // A leader that loses its majority's heartbeats (a loaded machine just after a failover)
        // does not campaign for this long; Ratis's 10 s default left the group leaderless for 10 s
        // whenever that leader held the longest log, as no other member could win. Pre-vote
        // already keeps a partitioned ex-leader from disrupting the group.
        RaftServerConfigKeys.LeaderElection.setLeaderStepDownWaitTime(p, millis(stepDownWait(config)));
        // A process frozen for a minute (SIGSTOP, a suspended VM, swap) comes back as a member:
        // it steps down, learns the term and catches up from the log or a snapshot. Ratis's
        // default closed the Raft server after a 60 s pause and left the process running without it.
        RaftServerConfigKeys.setCloseThreshold(p, TimeDuration.valueOf(PAUSE_NEVER_CLOSES_DAYS, TimeUnit.DAYS));
        // a member being added must show catch-up progress within this, else the change fails;
        // Ratis would use the (short) election timeout, too little for a JVM that just started
        RaftServerConfigKeys.setStagingTimeout(p, TimeDuration.valueOf(10, TimeUnit.SECONDS));
        // ReadIndex: a read sees every write acknowledged before it, whichever peer answers
        RaftServerConfigKeys.Read.setOption(p, RaftServerConfigKeys.Read.Option.LINEARIZABLE);
        // A leader that heard from a majority within 0.9 of the minimum election timeout answers
        // reads from its own state, without a heartbeat round: no follower can have elected a
        // new leader in that time, as long as clocks run at rates within 10% of each other
        // (a bound on drift rate, not on offset; NTP keeps real clocks orders of magnitude closer).
        RaftServerConfigKeys.Read.setLeaderLeaseEnabled(p, true);
        RaftServerConfigKeys.Read.setLeaderLeaseTimeoutRatio(p, LEASE_RATIO);
        // No commit-index entry in the log after each commit: it doubled the log writes, fsyncs
        // and follower round trips of every operation, and a lone client's next entry waited
        // behind it (create c=1 with 3 masters: 5.4 ms -> 2.6-3.3 ms). A restarted master
        // learns the commit index from the leader instead; its store skips what it already applied.
        RaftServerConfigKeys.Log.setLogMetadataEnabled(p, false);
        RaftServerConfigKeys.Snapshot.setAutoTriggerEnabled(p, true);
        RaftServerConfigKeys.Snapshot.setAutoTriggerThreshold(p, config.snapshotThreshold());
        RaftServerConfigKeys.Snapshot.setRetentionFileNum(p, SNAPSHOTS_RETAINED);
        // purge the log behind each snapshot even if a member lags: it catches up by snapshot install
        RaftServerConfigKeys.Log.setPurgeUptoSnapshotIndex(p, true);
        RaftServerConfigKeys.Log.setPurgeGap(p, (int) Math.min(Integer.MAX_VALUE, config.snapshotThreshold()));
        // keep one snapshot interval of log behind each snapshot: a follower that fell behind briefly
        // (a loaded or just-joined master) catches up from the log instead of needing another snapshot
        RaftServerConfigKeys.Log.setPurgePreservationLogNum(p, config.snapshotThreshold());
        RaftServerConfigKeys.Log.setSegmentSizeMax(p, SizeInBytes.valueOf(config.logSegmentBytes()));
        overrideFromSystemProperties(p);
        return p;
    }

    /**
     * System properties named {@code raft.*} (e.g. {@code -Draft.server.log.force.sync.num=64} in
     * MOOSENG_JAVA_OPTS) replace MooseNG's Ratis settings: for tuning and experiments, logged.
     */
    private static void overrideFromSystemProperties(RaftProperties p) {
        System.getProperties().stringPropertyNames().stream().filter(k -> k.startsWith(RAFT_PROPERTY_PREFIX)).sorted().forEach(k -> {
            String v = System.getProperty(k);
            LOG.info("Ratis setting from a system property: {}={} (was {})", k, v, p.get(k));
            p.set(k, v);
        });
    }

    /**
     * Makes Ratis throw instead of exiting. Ratis installs a default uncaught-exception
     * handler when its exit utility first loads; the process's own handler is kept.
     */
    private static void disableRatisExit() {
        Thread.UncaughtExceptionHandler previous = Thread.getDefaultUncaughtExceptionHandler();
        ExitUtils.disableSystemExit();
        Thread.setDefaultUncaughtExceptionHandler(previous);
    }

    /** A few election timeouts, at least one second (also Ratis's JVM-pause step-down threshold). */
    private static Duration stepDownWait(MetadataServerConfig config) {
        Duration fewElections = config.electionTimeoutMax().multipliedBy(3);
        return fewElections.compareTo(Duration.ofSeconds(1)) > 0 ? fewElections : Duration.ofSeconds(1);
    }

    private static TimeDuration millis(Duration d) {
        return TimeDuration.valueOf(d.toMillis(), TimeUnit.MILLISECONDS);
    }

    private static void closeQuietly(RaftServer s) {
        if (s == null) {
            return;
        }
        try {
            s.close();
        } catch (IOException | RuntimeException e) {
            LOG.warn("closing a peer that failed to start", e);
        }
    }
}
