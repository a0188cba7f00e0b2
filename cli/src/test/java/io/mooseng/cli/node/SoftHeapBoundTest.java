package io.mooseng.cli.node;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

class SoftHeapBoundTest {
    private static final long GIB = 1L << 30;

    @Test
    void theDefaultIsAGibibyteOrAnEighthOfTheHeapNeverAboveIt() {
        assertEquals(256L << 20, SoftHeapBound.forHeap(256L << 20));
        assertEquals(GIB, SoftHeapBound.forHeap(6 * GIB));
        assertEquals(4 * GIB, SoftHeapBound.forHeap(32 * GIB));
    }

    @Test
    void aLaterCallLowersTheBoundAndItNeverExceedsTheMaximumHeap() {
        long max = Runtime.getRuntime().maxMemory();
        assertEquals(SoftHeapBound.forHeap(max), SoftHeapBound.applyDefault());
        assertEquals(Math.min(512L << 20, max), SoftHeapBound.apply(512L << 20), "as the mount does after the default");
        assertEquals(max, SoftHeapBound.apply(Long.MAX_VALUE));
    }
}
