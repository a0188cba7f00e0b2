package io.mooseng.cli.node;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

class SoftHeapBoundTest {
    @Test
    void theBoundIsSetOnceAtMostTheMaximumHeapAndABoundSetBeforeStays() {
        long bound = SoftHeapBound.apply(256L << 20);
        assertEquals(Math.min(256L << 20, Runtime.getRuntime().maxMemory()), bound);
        assertEquals(bound, SoftHeapBound.apply(1L << 20), "a bound set before (here by the first call, as by MOOSENG_JAVA_OPTS) stays");
    }
}
