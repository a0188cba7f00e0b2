package io.mooseng.cli.node;

import com.sun.management.HotSpotDiagnosticMXBean;
import com.sun.management.VMOption;

import java.lang.management.ManagementFactory;

/**
 * Keeps a process with a small live heap near a soft bound ({@code SoftMaxHeapSize}, which ZGC
 * collects to stay under while the hard limit stays where it is). Without one, ZGC lets the heap
 * grow towards its maximum (a quarter of the RAM by default) before collecting, and every
 * allocation until then touches memory never used before: a mount doing random reads spent most
 * of its time faulting in and zeroing fresh pages (docs/BENCHMARKS.md, "The mount vs MooseFS 3").
 */
public final class SoftHeapBound {
    private static final String OPTION = "SoftMaxHeapSize";

    private SoftHeapBound() {
    }

    /**
     * Sets the soft bound to {@code bytes} (at most the maximum heap), unless it was set on the command line
     * (MOOSENG_JAVA_OPTS); @return the bound in effect
     */
    public static long apply(long bytes) {
        HotSpotDiagnosticMXBean vm = ManagementFactory.getPlatformMXBean(HotSpotDiagnosticMXBean.class);
        VMOption current = vm.getVMOption(OPTION);
        // the JVM's own value is the maximum heap (origin ERGONOMIC); one from the command line is the user's
        if (current.getOrigin() == VMOption.Origin.DEFAULT || current.getOrigin() == VMOption.Origin.ERGONOMIC) {
            vm.setVMOption(OPTION, Long.toString(Math.min(bytes, Runtime.getRuntime().maxMemory())));
        }
        return Long.parseLong(vm.getVMOption(OPTION).getValue());
    }
}
