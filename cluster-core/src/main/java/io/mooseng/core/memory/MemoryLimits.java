package io.mooseng.core.memory;

import com.sun.management.HotSpotDiagnosticMXBean;

import java.lang.management.ManagementFactory;

/**
 * The byte budget a process gets by default: a share of the smaller of its heap and
 * direct-memory limits, leaving the rest to metadata caches, Raft, RocksDB's Java side
 * and the garbage collector's headroom.
 */
public final class MemoryLimits {
    /** Share of the memory limit that data in flight may hold. */
    static final double DATA_SHARE = 0.4;
    /** Below this a process cannot move one block of each kind at a time. */
    static final long MIN_BUDGET = 32L << 20;

    private MemoryLimits() {
    }

    /** The smaller of the maximum heap and the maximum direct memory, in bytes. */
    public static long processLimit() {
        long heap = Runtime.getRuntime().maxMemory();
        return Math.min(heap, maxDirectMemory(heap));
    }

    /** The default budget: {@value #DATA_SHARE} of {@link #processLimit()}, at least {@value #MIN_BUDGET} bytes. */
    public static long defaultBudget() {
        return Math.max(MIN_BUDGET, (long) (processLimit() * DATA_SHARE));
    }

    /** -XX:MaxDirectMemorySize, which defaults (0) to the maximum heap. */
    private static long maxDirectMemory(long heap) {
        try {
            HotSpotDiagnosticMXBean hotspot = ManagementFactory.getPlatformMXBean(HotSpotDiagnosticMXBean.class);
            long configured = Long.parseLong(hotspot.getVMOption("MaxDirectMemorySize").getValue());
            return configured > 0 ? configured : heap;
        } catch (RuntimeException e) {
            return heap;
        }
    }
}
