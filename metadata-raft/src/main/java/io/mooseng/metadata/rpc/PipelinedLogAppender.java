package io.mooseng.metadata.rpc;

import org.apache.ratis.proto.RaftProtos.AppendEntriesReplyProto;
import org.apache.ratis.proto.RaftProtos.AppendEntriesRequestProto;
import org.apache.ratis.proto.RaftProtos.InstallSnapshotReplyProto;
import org.apache.ratis.proto.RaftProtos.InstallSnapshotRequestProto;
import org.apache.ratis.server.RaftServer;
import org.apache.ratis.server.leader.FollowerInfo;
import org.apache.ratis.server.leader.LeaderState;
import org.apache.ratis.server.leader.LogAppenderBase;
import org.apache.ratis.server.raftlog.RaftLog;
import org.apache.ratis.statemachine.SnapshotInfo;
import org.apache.ratis.util.Timestamp;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.util.Comparator;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The leader's sender of log entries to one follower: up to {@link #MAX_IN_FLIGHT}
 * appendEntries calls in flight on the follower's Raft RPC connection, each reply handled on
 * the connection's event loop as it arrives. Ratis's default appender waits for every reply
 * on its own thread: a lone client's commit paid two more thread wake-ups, and the next batch
 * could not leave before the last one was acknowledged.
 *
 * <p>The connection delivers calls in order and the follower takes them in order, so the
 * follower's next index is advanced when a call is sent. A reply saying the follower's log
 * does not match (INCONSISTENCY) or a failed call makes every call sent before it stale: no
 * new call goes out until all of them are answered, and only then is the next index reset,
 * from what the follower acknowledged meanwhile. So nothing is resent while the follower may
 * still be appending it (a follower acknowledges a resent entry it holds at once, flushed or
 * not; {@link DurableAppendReplies} guards that on the follower's side too). Snapshots go
 * one chunk per call with nothing else in flight, as Ratis's default appender sends them;
 * after a failed install, only once the follower has answered a heartbeat again.
 */
final class PipelinedLogAppender extends LogAppenderBase {
    private static final Logger LOG = LoggerFactory.getLogger(PipelinedLogAppender.class);
    /** Calls in flight per follower; each carries at most Ratis's appender buffer (4 MB by default). */
    static final int MAX_IN_FLIGHT = 4;
    /** Call ids wrap around: compared by difference. */
    private static final Comparator<Long> CALL_ORDER = (a, b) -> Long.signum(a - b);

    private final AtomicLong callIds = new AtomicLong();
    private final long retryNanos;

    // guarded by this: what is in flight and whether it went stale
    private int inFlight;
    private int dataInFlight;
    /** Calls sent before this generation are stale. */
    private long generation;
    /** A reset waits for the stale calls to drain; the next index is then set from these. */
    private boolean resetting;
    /** The call that met a log that does not match (first index, or -1 for none) and the follower's next index then. */
    private long inconsistentFirst = RaftLog.INVALID_LOG_INDEX;
    private long inconsistentNext = RaftLog.INVALID_LOG_INDEX;
    private long failedFrom = Long.MAX_VALUE;
    private long noCallBeforeNanos;
    /** A follower answered with a higher term: the appender's thread steps the leader down. */
    private long followerTerm = -1;
    /**
     * A snapshot install failed: the follower gets heartbeats instead of snapshot chunks until
     * it answers one. A frozen follower otherwise collects a 1 MiB chunk per timeout, and
     * handles them all at once when it wakes (Ratis's install handlers then race on its files).
     */
    private boolean probeBeforeInstall;

    PipelinedLogAppender(RaftServer.Division server, LeaderState leaderState, FollowerInfo follower) {
        super(server, leaderState, follower);
        this.retryNanos = server.properties().rpcSleepTime().toLong(TimeUnit.NANOSECONDS);
    }

    /** What one call sent, for its reply. */
    private record Call(long generation, long firstIndex, boolean heartbeat, Timestamp sent) {
        static Call of(long generation, AppendEntriesRequestProto request) {
            long first = request.getEntriesCount() > 0 ? request.getEntries(0).getIndex() : RaftLog.INVALID_LOG_INDEX;
            return new Call(generation, first, request.getEntriesCount() == 0, Timestamp.currentTime());
        }
    }

    @Override
    public long getCallId() {
        return callIds.get();
    }

    @Override
    public Comparator<Long> getCallIdComparator() {
        return CALL_ORDER;
    }

    @Override
    public synchronized boolean hasPendingDataRequests() {
        return dataInFlight > 0;
    }

    @Override
    public void run() throws InterruptedException, IOException {
        while (isRunning()) {
            long term = takeFollowerTerm();
            if (term >= 0 && onFollowerTerm(term)) {
                return;
            }
            if (shouldSendAppendEntries()) {
                SnapshotInfo snapshot = shouldInstallSnapshot();
                if (snapshot == null) {
                    send(false);
                } else if (idle()) {
                    if (probing()) {
                        send(true);
                    } else {
                        installSnapshot(snapshot);
                    }
                }
            }
            getLeaderState().checkHealth(getFollower());
            long waitMillis = waitMillis();
            if (waitMillis > 0 && isRunning()) {
                getEventAwaitForSignal().await(waitMillis, TimeUnit.MILLISECONDS);
            }
        }
    }

    private synchronized long takeFollowerTerm() {
        long t = followerTerm;
        followerTerm = -1;
        return t;
    }

    /** The caller holds the lock. */
    private boolean mayCall() {
        return !resetting && inFlight < MAX_IN_FLIGHT && System.nanoTime() - noCallBeforeNanos >= 0;
    }

    private synchronized boolean probing() {
        return probeBeforeInstall;
    }

    private synchronized boolean idle() {
        return inFlight == 0 && !resetting && System.nanoTime() - noCallBeforeNanos >= 0;
    }

    /**
     * How long the thread may sleep: not at all while a call is due and allowed; while the
     * window is full, a reset drains or a probe is out, until a reply wakes it (a heartbeat
     * period at most).
     */
    private long waitMillis() {
        synchronized (this) {
            long retry = noCallBeforeNanos - System.nanoTime();
            if (retry > 0) {
                return Math.max(1, TimeUnit.NANOSECONDS.toMillis(retry));
            }
            if (resetting || inFlight >= MAX_IN_FLIGHT || probeBeforeInstall && inFlight > 0) {
                return Math.max(1, getServer().properties().minRpcTimeoutMs() / 4);
            }
        }
        return shouldSendAppendEntries() ? 0 : Math.max(1, getHeartbeatWaitTimeMs());
    }

    /**
     * Sends the next batch (or a heartbeat; only one if {@code heartbeat}) unless the window
     * is full or a reset is draining; a request built while a reset started is dropped unsent.
     */
    private void send(boolean heartbeat) throws IOException {
        long sentIn;
        synchronized (this) {
            if (!mayCall()) {
                return;
            }
            sentIn = generation;
        }
        AppendEntriesRequestProto request = newAppendEntriesRequest(callIds.getAndIncrement(), heartbeat);
        if (request == null) {
            return;
        }
        Call call;
        synchronized (this) {
            if (resetting || sentIn != generation) {
                return;
            }
            call = Call.of(sentIn, request);
            inFlight++;
            if (!call.heartbeat()) {
                dataInFlight++;
                getFollower().increaseNextIndex(request.getEntries(request.getEntriesCount() - 1).getIndex() + 1);
            }
        }
        resetHeartbeatTrigger();
        getFollower().updateLastRpcSendTime(call.heartbeat());
        try {
            getServerRpc().async().appendEntriesAsync(request).whenComplete((reply, failure) -> {
                boolean wake = true;
                try {
                    wake = failure == null ? onReply(call, reply) : onFailure(call, failure);
                } catch (RuntimeException e) {
                    LOG.error("Raft log appender failed on a reply: appender={} reply={}", this, reply, e);
                }
                if (wake) {
                    notifyLogAppender();
                }
            });
        } catch (IOException e) {
            onFailure(call, e);
        }
    }

    /** Handles a reply on the connection's event loop; true if the appender's thread must wake. */
    private boolean onReply(Call call, AppendEntriesReplyProto reply) {
        FollowerInfo follower = getFollower();
        follower.updateLastRpcResponseTime();
        synchronized (this) {
            probeBeforeInstall = false;
        }
        follower.updateLastRespondedAppendEntriesSendTime(call.sent());
        switch (reply.getResult()) {
            case SUCCESS -> {
                getLeaderState().onFollowerCommitIndex(follower, reply.getFollowerCommit());
                if (follower.updateMatchIndex(reply.getMatchIndex())) {
                    follower.updateNextIndex(reply.getMatchIndex() + 1);
                    getLeaderState().onFollowerSuccessAppendEntries(follower);
                }
            }
            case NOT_LEADER -> {
                synchronized (this) {
                    followerTerm = Math.max(followerTerm, reply.getTerm());
                }
            }
            case INCONSISTENCY -> {
                synchronized (this) {
                    if (call.generation() == generation) {
                        LOG.info("Raft follower's log does not match: appender={} firstIndex={} followerNextIndex={}",
                                this, call.firstIndex(), reply.getNextIndex());
                        inconsistentFirst = call.firstIndex();
                        inconsistentNext = reply.getNextIndex();
                        startReset();
                    }
                }
            }
            default -> LOG.warn("Raft log appender got an unknown reply: appender={} result={}", this, reply.getResult());
        }
        getLeaderState().onAppendEntriesReply(this, reply);
        return answered(call) || reply.getResult() != AppendEntriesReplyProto.AppendResult.SUCCESS;
    }

    private boolean onFailure(Call call, Throwable failure) {
        getServerRpc().handleException(getFollowerId(), RpcErrors.asIOException(failure), false);
        synchronized (this) {
            if (call.generation() == generation) {
                startReset();
            }
            if (!call.heartbeat()) {
                failedFrom = Math.min(failedFrom, call.firstIndex());
            }
            noCallBeforeNanos = System.nanoTime() + retryNanos;
        }
        answered(call);
        return true;
    }

    /** Makes what is in flight stale (the caller holds the lock). */
    private void startReset() {
        generation++;
        resetting = true;
    }

    /** Counts the call answered and, once stale calls have drained, resets the next index; true if the thread must wake. */
    private synchronized boolean answered(Call call) {
        boolean wasFull = inFlight == MAX_IN_FLIGHT;
        inFlight--;
        if (!call.heartbeat()) {
            dataInFlight--;
        }
        if (resetting && inFlight == 0) {
            FollowerInfo follower = getFollower();
            if (inconsistentNext != RaftLog.INVALID_LOG_INDEX) {
                follower.setNextIndex(getNextIndexForInconsistency(inconsistentFirst, inconsistentNext));
            } else if (failedFrom != Long.MAX_VALUE) {
                follower.computeNextIndex(getNextIndexForError(failedFrom));
            }
            inconsistentFirst = RaftLog.INVALID_LOG_INDEX;
            inconsistentNext = RaftLog.INVALID_LOG_INDEX;
            failedFrom = Long.MAX_VALUE;
            resetting = false;
            return true;
        }
        return wasFull;
    }

    /**
     * Sends the snapshot one chunk per blocking call, held against deletion meanwhile; a failed
     * chunk makes the loop try again later.
     */
    private void installSnapshot(SnapshotInfo snapshot) throws InterruptedIOException {
        long index = snapshot.getTermIndex().getIndex();
        SnapshotHolds holds = getServer().getStateMachine().getStateMachineStorage() instanceof SnapshotHolds h ? h : null;
        if (holds != null && !holds.hold(index)) {
            return; // deleted since it was the latest: the loop takes the newer one
        }
        try {
            sendSnapshot(snapshot);
        } finally {
            if (holds != null) {
                holds.release(index);
            }
        }
    }

    private void sendSnapshot(SnapshotInfo snapshot) throws InterruptedIOException {
        LOG.info("Raft follower needs a snapshot: appender={} followerNextIndex={} logStartIndex={} snapshot={}",
                this, getFollower().getNextIndex(), getRaftLog().getStartIndex(), snapshot.getTermIndex());
        InstallSnapshotReplyProto reply = null;
        boolean allChunksTaken = true;
        try {
            for (InstallSnapshotRequestProto chunk : newInstallSnapshotRequests(UUID.randomUUID().toString(), snapshot)) {
                getFollower().updateLastRpcSendTime(false);
                reply = getServerRpc().installSnapshot(chunk);
                getFollower().updateLastRpcResponseTime();
                if (!reply.getServerReply().getSuccess()) {
                    allChunksTaken = false;
                    break;
                }
            }
        } catch (InterruptedIOException e) {
            throw e;
        } catch (IOException | RuntimeException e) {
            LOG.warn("Raft snapshot not sent: appender={} snapshot={} cause={}", this, snapshot.getTermIndex(), e.toString());
            getServerRpc().handleException(getFollowerId(), e instanceof IOException io ? io : new IOException(e), false);
            synchronized (this) {
                noCallBeforeNanos = System.nanoTime() + retryNanos;
                probeBeforeInstall = true;
            }
            return;
        }
        if (reply == null) {
            return;
        }
        if (allChunksTaken) {
            getFollower().setSnapshotIndex(snapshot.getTermIndex().getIndex());
            getServer().getRaftServerMetrics().onSnapshotInstalled();
            LOG.info("Raft snapshot installed: appender={} snapshot={}", this, snapshot.getTermIndex());
        }
        switch (reply.getResult()) {
            case NOT_LEADER -> onFollowerTerm(reply.getTerm());
            case SUCCESS, SNAPSHOT_UNAVAILABLE, ALREADY_INSTALLED, SNAPSHOT_EXPIRED -> getFollower().setAttemptedToInstallSnapshot();
            default -> {
                // IN_PROGRESS and the rest: the loop asks again
            }
        }
    }
}
