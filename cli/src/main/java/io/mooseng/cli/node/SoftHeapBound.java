package io.mooseng.cli.node;

import com.sun.management.HotSpotDiagnosticMXBean;
import com.sun.management.VMOption;

import java.lang.management.ManagementFactory;
import java.util.Set;

/**
 * Keeps a process near a soft heap bound ({@code SoftMaxHeapSize}, which ZGC collects to stay
 * under while the hard limit stays where it is, so nothing fails for it). Without one, ZGC lets
 * the heap grow towards its maximum (a quarter of the RAM by default) before collecting, and
 * every allocation until then touches memory never used before: a mount doing random reads
 * spent most of its time faulting in and zeroing fresh pages, and a server taking 64 MiB PUTs a
 * quarter of its CPU (docs/BENCHMARKS.md, "The mount vs MooseFS 3" and "S3 data path").
 * Every command starts with {@link #forHeap} of its maximum heap; the mount lowers it further.
 */
public final class SoftHeapBound {
    private static final String OPTION = "SoftMaxHeapSize";
    /** Where a bound is the operator's (MOOSENG_JAVA_OPTS, JDK_JAVA_OPTIONS, a flags file): never changed. */
    private static final Set<VMOption.Origin> OPERATOR = Set.of(VMOption.Origin.VM_CREATION, VMOption.Origin.ENVIRON_VAR,
            VMOption.Origin.CONFIG_FILE);

    private SoftHeapBound() {
    }

    /** The default bound: 1 GiB or an eighth of the maximum heap, whichever is larger, at most the maximum. */
    public static long forHeap(long maxHeap) {
        return Math.min(maxHeap, Math.max(1L << 30, maxHeap / 8));
    }

    /** Sets the default bound for this JVM's maximum heap; @return the bound in effect */
    public static long applyDefault() {
        return apply(forHeap(Runtime.getRuntime().maxMemory()));
    }

    /**
     * Sets the soft bound to {@code bytes} (at most the maximum heap), unless the operator set one;
     * @return the bound in effect
     */
    public static long apply(long bytes) {
        HotSpotDiagnosticMXBean vm = ManagementFactory.getPlatformMXBean(HotSpotDiagnosticMXBean.class);
        // the JVM's own value is 90% of the maximum heap (origin ERGONOMIC); an earlier call's is MANAGEMENT
        if (!OPERATOR.contains(vm.getVMOption(OPTION).getOrigin())) {
            vm.setVMOption(OPTION, Long.toString(Math.min(bytes, Runtime.getRuntime().maxMemory())));
        }
        return Long.parseLong(vm.getVMOption(OPTION).getValue());
    }
}
