package io.mooseng.core.chunk.ec;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Where codecs come from: one shared {@link ErasureCodec} per (k, m), all on the kernel
 * chosen once per process: ISA-L for memory segments when libisal.so.2 loads and native access
 * is enabled, the Vector API kernel for heap arrays (and segments without ISA-L) when module
 * jdk.incubator.vector is present, else the scalar one.
 * {@value #KERNEL_PROPERTY}={@code hybrid|isal|vector|scalar} forces one (and fails start-up
 * if it cannot run).
 */
public final class ErasureCodecs {
    public static final String KERNEL_PROPERTY = "mooseng.ec.kernel";

    private static final CodingKernel KERNEL = CodingKernel.choose(System.getProperty(KERNEL_PROPERTY));
    private static final Map<Long, ErasureCodec> SHARED = new ConcurrentHashMap<>();

    private ErasureCodecs() {
    }

    /**
     * The codec for k data and m parity shards, shared by all callers.
     *
     * @throws IllegalArgumentException unless k >= 1, m >= 0 and k + m <= 64
     */
    public static ErasureCodec of(int k, int m) {
        return SHARED.computeIfAbsent(((long) k << 32) | m, key -> new ReedSolomonCodec(k, m, KERNEL));
    }

    /**
     * The kernel in use, for admin status and /metrics: "isa-l 2.30 (native memory) + java-vector
     * (heap)", "isa-l 2.30", "java-vector" or "java-scalar".
     */
    public static String kernel() {
        return KERNEL.displayName();
    }
}
