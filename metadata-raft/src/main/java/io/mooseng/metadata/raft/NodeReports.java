package io.mooseng.metadata.raft;

import io.mooseng.core.model.BlockId;
import io.mooseng.core.model.ChunkserverInfo;
import io.mooseng.core.model.GatewayInfo;
import io.mooseng.core.model.MaintenanceReport;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.LongSupplier;

/**
 * What is reported to the leader and kept in its memory instead of the log: the nodes'
 * heartbeats (free space, usage, time of the last report) and the maintenance loop's latest
 * report. At a thousand chunkservers beating every two seconds the heartbeats would be five
 * hundred log entries a second; with them out of the log an idle cluster writes nothing. What identifies a node (its address, labels, capacity,
 * erasure-coding kernel) stays in the log; a report that differs from it is refused, and the
 * node registers again through the log.
 *
 * <p>Reports belong to one term. A new leader starts empty and shows every registered node as
 * reported at the start of its term (so placement keeps using them, and liveness starts their
 * timeout then); each node's next heartbeat, within one interval, replaces that.
 */
final class NodeReports {
    /** Blocks queued as damaged, most endangered first, at most this many (the census finds the rest). */
    static final int MAX_DAMAGED = 100_000;

    private record Term(long term, long sinceMillis, Map<String, ChunkserverInfo> chunkservers, Map<String, GatewayInfo> gateways,
                        AtomicReference<MaintenanceReport> maintenance, DamagedQueue damaged) {
        Term(long term, long sinceMillis) {
            this(term, sinceMillis, new ConcurrentHashMap<>(), new ConcurrentHashMap<>(), new AtomicReference<>(), new DamagedQueue(MAX_DAMAGED));
        }
    }

    private final LongSupplier currentTerm;
    private final LongSupplier clock;
    private final AtomicReference<Term> current = new AtomicReference<>(new Term(-1, 0));

    /**
     * @param currentTerm the leader's current term (read when a report or listing is answered)
     * @param clock       wall-clock milliseconds
     */
    NodeReports(LongSupplier currentTerm, LongSupplier clock) {
        this.currentTerm = currentTerm;
        this.clock = clock;
    }

    /** Keeps a chunkserver's report; false (nothing kept) if it must register first. */
    boolean report(ChunkserverInfo report, Optional<ChunkserverInfo> registered) {
        if (registered.isEmpty() || !sameRegistration(report, registered.get())) {
            return false;
        }
        term().chunkservers().put(report.id(), report);
        return true;
    }

    /** Keeps a gateway's report; false (nothing kept) if it must register first. */
    boolean report(GatewayInfo report, Optional<GatewayInfo> registered) {
        if (registered.isEmpty() || !sameRegistration(report, registered.get())) {
            return false;
        }
        term().gateways().put(report.id(), report);
        return true;
    }

    /** Keeps the maintenance loop's latest report (the loop runs on the leader). */
    void maintenance(MaintenanceReport report) {
        term().maintenance().set(report);
    }

    /** The maintenance loop's latest report in this term; empty until its first cycle. */
    Optional<MaintenanceReport> maintenance() {
        return Optional.ofNullable(term().maintenance().get());
    }

    /**
     * Queues a block with shards found missing or corrupt (by a reader, a chunkserver, or the
     * loss of one); false if the queue is full.
     */
    boolean damaged(BlockId block, List<Integer> shards, int parityShards) {
        DamagedQueue queue = term().damaged();
        synchronized (queue) {
            return queue.add(block, shards, parityShards);
        }
    }

    /** Removes and returns up to {@code limit} queued blocks with their damaged shards, most endangered first. */
    List<Map.Entry<BlockId, List<Integer>>> takeDamaged(int limit) {
        DamagedQueue queue = term().damaged();
        synchronized (queue) {
            return queue.take(limit);
        }
    }

    /** The registered chunkservers, each as last reported in this term. */
    List<ChunkserverInfo> chunkservers(List<ChunkserverInfo> registered) {
        Term t = term();
        List<ChunkserverInfo> out = new ArrayList<>(registered.size());
        for (ChunkserverInfo r : registered) {
            ChunkserverInfo reported = t.chunkservers().get(r.id());
            out.add(reported != null && sameRegistration(reported, r) ? reported
                    : new ChunkserverInfo(r.id(), r.address(), r.labels(), r.capacityBytes(), r.usedBytes(), r.freeBytes(),
                    seen(r.heartbeatMillis(), t)));
        }
        return out;
    }

    /** The registered gateways, each as last reported in this term. */
    List<GatewayInfo> gateways(List<GatewayInfo> registered) {
        Term t = term();
        List<GatewayInfo> out = new ArrayList<>(registered.size());
        for (GatewayInfo r : registered) {
            GatewayInfo reported = t.gateways().get(r.id());
            out.add(reported != null && sameRegistration(reported, r) ? reported
                    : new GatewayInfo(r.id(), r.address(), seen(r.heartbeatMillis(), t), r.ecKernel()));
        }
        return out;
    }

    /** A registration's heartbeat as shown in term {@code t}; 0 (registered without a clock) stays 0. */
    private static long seen(long registeredHeartbeat, Term t) {
        return registeredHeartbeat == 0 ? 0 : Math.max(registeredHeartbeat, t.sinceMillis());
    }

    private Term term() {
        long term = currentTerm.getAsLong();
        Term t = current.get();
        while (t.term() < term) {
            Term fresh = new Term(term, clock.getAsLong());
            if (current.compareAndSet(t, fresh)) {
                return fresh;
            }
            t = current.get();
        }
        return t;
    }

    private static boolean sameRegistration(ChunkserverInfo a, ChunkserverInfo b) {
        return a.address().equals(b.address()) && a.labels().equals(b.labels()) && a.capacityBytes() == b.capacityBytes();
    }

    private static boolean sameRegistration(GatewayInfo a, GatewayInfo b) {
        return a.address().equals(b.address()) && Objects.equals(a.ecKernel(), b.ecKernel());
    }
}
