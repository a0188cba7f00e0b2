package io.mooseng.metadata.raft;

import io.mooseng.core.error.ErrorCode;
import io.mooseng.core.error.MooseException;
import io.mooseng.core.metadata.MountRegistry;
import io.mooseng.metadata.command.Reply;
import io.mooseng.metadata.command.MetadataQuery;
import io.mooseng.metadata.store.LogPosition;
import io.mooseng.metadata.store.NamespaceStore;
import io.mooseng.metadata.store.StoreFailure;
import org.apache.ratis.proto.RaftProtos.LogEntryProto;
import org.apache.ratis.protocol.ClientId;
import org.apache.ratis.protocol.Message;
import org.apache.ratis.protocol.RaftGroupId;
import org.apache.ratis.server.RaftServer;
import org.apache.ratis.server.protocol.TermIndex;
import org.apache.ratis.server.raftlog.RaftLog;
import org.apache.ratis.server.storage.RaftStorage;
import org.apache.ratis.statemachine.SnapshotInfo;
import org.apache.ratis.statemachine.TransactionContext;
import org.apache.ratis.statemachine.impl.BaseStateMachine;
import org.apache.ratis.thirdparty.com.google.protobuf.UnsafeByteOperations;
import org.apache.ratis.util.LifeCycle;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The Ratis state machine: thin plumbing between the log and the {@link NamespaceStore}.
 * Entries are applied synchronously, in log order, on Ratis's apply thread; an entry at or
 * below the store's last-applied index (replayed after a restart) is skipped. Queries run on
 * a small pool of their own, because Ratis may complete linearizable reads on the apply
 * thread and a listing should not hold up the log.
 */
final class NamespaceStateMachine extends BaseStateMachine {
    private static final Logger LOG = LoggerFactory.getLogger(NamespaceStateMachine.class);
    private static final byte[] REPLAYED = Reply.error(new MooseException(ErrorCode.INTERNAL,
            "entry was applied before a restart; its result is no longer known"));

    private final CheckpointStorage storage = new CheckpointStorage();
    private final ExecutorService queries;
    private final AtomicLong appliedEntries = new AtomicLong();
    private final Consumer<Throwable> onFailure;
    private final AtomicBoolean failed = new AtomicBoolean();
    private final NodeReports reports = new NodeReports(this::currentTerm, System::currentTimeMillis);
    private final NamespaceChangeLog changes = new NamespaceChangeLog();
    private final LeaseWatch leases = new LeaseWatch(this::currentTerm, System::currentTimeMillis);
    private volatile NamespaceStore store;

    NamespaceStateMachine(int queryThreads, Consumer<Throwable> onFailure) {
        this.onFailure = onFailure;
        AtomicInteger n = new AtomicInteger();
        this.queries = Executors.newFixedThreadPool(queryThreads, r -> {
            Thread t = new Thread(r, "metadata-query-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
    }

    @Override
    public void initialize(RaftServer server, RaftGroupId groupId, RaftStorage raftStorage) throws IOException {
        super.initialize(server, groupId, raftStorage);
        getLifeCycle().startAndTransition(() -> {
            storage.init(raftStorage);
            load();
        }, IOException.class);
    }

    /**
     * Opens the store, first restoring the latest snapshot if the database is older (lost,
     * or a snapshot was installed from the leader); Ratis then replays the log after it.
     */
    private void load() throws IOException {
        storage.refresh();
        SnapshotInfo snapshot = storage.getLatestSnapshot();
        NamespaceStore s = open();
        if (snapshot != null && s.applied().index() < snapshot.getIndex()) {
            LOG.warn("database at index {} is behind snapshot {}: restoring the snapshot", s.applied().index(), snapshot.getTermIndex());
            s.close();
            storage.restoreLatest();
            s = open();
        }
        store = s;
        changes.reset(s.applied().index());
        if (snapshot != null) {
            setLastAppliedTermIndex(snapshot.getTermIndex());
        }
    }

    private NamespaceStore open() throws IOException {
        try {
            return NamespaceStore.open(storage.databaseDir());
        } catch (StoreFailure e) {
            throw new IOException(e.getMessage(), e);
        }
    }

    /** Ratis pauses the state machine before it installs a snapshot from the leader. */
    @Override
    public synchronized void pause() {
        if (getLifeCycleState() == LifeCycle.State.RUNNING) {
            getLifeCycle().transition(LifeCycle.State.PAUSING);
            getLifeCycle().transition(LifeCycle.State.PAUSED);
        }
    }

    /** Reopens the store from the snapshot just installed, then resumes. */
    @Override
    public synchronized void reinitialize() throws IOException {
        store.close();
        load();
        if (getLifeCycleState() == LifeCycle.State.PAUSED) {
            getLifeCycle().transition(LifeCycle.State.STARTING);
            getLifeCycle().transition(LifeCycle.State.RUNNING);
        }
    }

    @Override
    public CheckpointStorage getStateMachineStorage() {
        return storage;
    }

    @Override
    public CompletableFuture<Message> applyTransaction(TransactionContext trx) {
        LogEntryProto entry = trx.getLogEntry();
        TermIndex termIndex = TermIndex.valueOf(entry);
        NamespaceStore s = store;
        byte[] reply;
        if (failed.get()) {
            // nothing after an entry that failed may be applied: this replica is stopping
            return CompletableFuture.failedFuture(new IOException("metadata store failed; not applying " + termIndex));
        } else if (termIndex.getIndex() <= s.applied().index()) {
            reply = REPLAYED;
        } else {
            byte[] data = entry.getStateMachineLogEntry().getLogData().toByteArray();
            try {
                long index = termIndex.getIndex();
                UUID client = ClientId.valueOf(entry.getStateMachineLogEntry().getClientId()).getUuid();
                reply = s.apply(new LogPosition(termIndex.getTerm(), index), tx -> CommandDispatcher.apply(tx, data, leases,
                        c -> changes.applied(index, client, c)));
            } catch (RuntimeException e) {
                // the store cannot apply entries any more: stop this replica rather than diverge
                LOG.error("cannot apply log entry {}", termIndex, e);
                if (failed.compareAndSet(false, true)) {
                    onFailure.accept(e);
                }
                return CompletableFuture.failedFuture(e);
            }
        }
        updateLastAppliedTermIndex(termIndex);
        changes.advance(termIndex.getIndex());
        appliedEntries.incrementAndGet();
        return CompletableFuture.completedFuture(Message.valueOf(UnsafeByteOperations.unsafeWrap(reply)));
    }

    @Override
    public CompletableFuture<Message> query(Message request) {
        return query(request.getContent().toByteArray()).thenApply(reply -> Message.valueOf(UnsafeByteOperations.unsafeWrap(reply)));
    }

    /** Answers an encoded query from the applied state, on the query pool. */
    CompletableFuture<byte[]> query(byte[] query) {
        try {
            return CompletableFuture.supplyAsync(() -> store.read(ns -> CommandDispatcher.query(ns, reports, changes, leases, query)), queries);
        } catch (RejectedExecutionException e) {
            return CompletableFuture.failedFuture(new IOException("metadata server is closing", e));
        }
    }

    /** Answers a query of a caller in this process from the applied state, on the query pool, with no codec between. */
    <R> CompletableFuture<R> answer(MetadataQuery<R> query) {
        try {
            return CompletableFuture.supplyAsync(() -> store.read(ns -> CommandDispatcher.answer(ns, reports, changes, leases, query)), queries);
        } catch (RejectedExecutionException e) {
            return CompletableFuture.failedFuture(new IOException("metadata server is closing", e));
        }
    }

    /** The term of this peer's division; nodes report only to the leader, so it is the leader's term there. */
    private long currentTerm() {
        try {
            return getServer().join().getDivision(getGroupId()).getInfo().getCurrentTerm();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public long takeSnapshot() throws IOException {
        TermIndex applied = getLastAppliedTermIndex();
        if (applied == null || applied.getIndex() < 0) {
            return RaftLog.INVALID_LOG_INDEX;
        }
        return storage.takeSnapshot(applied, store::checkpoint);
    }

    long appliedEntries() {
        return appliedEntries.get();
    }

    /** Mounts this peer knows as leader (none on a follower: reports go to the leader). */
    int knownMounts() {
        return leases.mounts(MountRegistry.FORGET_AFTER_MILLIS).size();
    }

    @Override
    public void close() {
        queries.shutdown();
        NamespaceStore s = store;
        if (s != null) {
            s.close();
        }
    }
}
