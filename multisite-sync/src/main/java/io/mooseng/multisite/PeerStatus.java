package io.mooseng.multisite;

import io.mooseng.core.model.AntiEntropyRun;

import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;

/**
 * What this zone's agent knows of its progress through one peer's log, for metrics and
 * status: per shard the cursor, the peer's head and since when the oldest entry not yet
 * applied waits; totals of changes and bytes applied and failures.
 */
public final class PeerStatus {
    private final String peer;
    private final AtomicLongArray cursors = new AtomicLongArray(io.mooseng.core.model.SyncEntry.SHARDS);
    private final AtomicLongArray heads = new AtomicLongArray(io.mooseng.core.model.SyncEntry.SHARDS);
    private final AtomicLongArray waitingSince = new AtomicLongArray(io.mooseng.core.model.SyncEntry.SHARDS);
    private final AtomicLong applied = new AtomicLong();
    private final AtomicLong bytes = new AtomicLong();
    private final AtomicLong failures = new AtomicLong();
    private final AtomicLong listed = new AtomicLong();
    private final AtomicLong lastLatencyMillis = new AtomicLong();
    private volatile int parked;
    private volatile boolean fullSync;
    private volatile String lastError = "";
    private volatile AntiEntropyRun antiEntropy;
    private final AtomicLong antiEntropyRuns = new AtomicLong();
    private final AtomicLong antiEntropyRanges = new AtomicLong();
    private final AtomicLong antiEntropyRepaired = new AtomicLong();

    PeerStatus(String peer) {
        this.peer = peer;
    }

    public String peer() {
        return peer;
    }

    void shard(int shard, long cursor, long head, long oldestWaitingMillis) {
        cursors.set(shard, cursor);
        heads.set(shard, head);
        waitingSince.set(shard, cursor >= head ? 0 : oldestWaitingMillis);
    }

    void applied(long byteCount, long latencyMillis) {
        applied.incrementAndGet();
        bytes.addAndGet(byteCount);
        lastLatencyMillis.set(Math.max(0, latencyMillis));
    }

    void failed(String error) {
        failures.incrementAndGet();
        lastError = error;
    }

    void parked(int count) {
        parked = count;
    }

    void listed() {
        listed.incrementAndGet();
    }

    void fullSync(boolean running) {
        fullSync = running;
    }

    void antiEntropy(AntiEntropyRun run) {
        antiEntropy = run;
        antiEntropyRuns.incrementAndGet();
        antiEntropyRanges.addAndGet(run.ranges());
        antiEntropyRepaired.addAndGet(run.repaired());
    }

    /** The last anti-entropy comparison with the peer since this agent started, or null. */
    public AntiEntropyRun lastAntiEntropy() {
        return antiEntropy;
    }

    public long antiEntropyRuns() {
        return antiEntropyRuns.get();
    }

    public long antiEntropyRanges() {
        return antiEntropyRanges.get();
    }

    public long antiEntropyRepaired() {
        return antiEntropyRepaired.get();
    }

    /** Changes of the peer's log not applied here yet. */
    public long pendingOperations() {
        long n = 0;
        for (int s = 0; s < heads.length(); s++) {
            n += Math.max(0, heads.get(s) - cursors.get(s));
        }
        return n;
    }

    /** How long the oldest change not yet applied has waited, in milliseconds (0 when caught up). */
    public long lagMillis(long nowMillis) {
        long oldest = 0;
        for (int s = 0; s < waitingSince.length(); s++) {
            long t = waitingSince.get(s);
            if (t > 0 && (oldest == 0 || t < oldest)) {
                oldest = t;
            }
        }
        return oldest == 0 ? 0 : Math.max(0, nowMillis - oldest);
    }

    public long appliedOperations() {
        return applied.get();
    }

    public long appliedBytes() {
        return bytes.get();
    }

    public long failures() {
        return failures.get();
    }

    public int parked() {
        return parked;
    }

    public boolean fullSyncRunning() {
        return fullSync;
    }

    public long fullSyncListed() {
        return listed.get();
    }

    /** From the change's stamp to its application here, of the last change applied. */
    public long lastLatencyMillis() {
        return lastLatencyMillis.get();
    }

    public String lastError() {
        return lastError;
    }
}
