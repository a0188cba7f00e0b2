package io.mooseng.cli;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

class ProgressLineTest {
    @Test
    void operationsWithRateAndTimeLeft() {
        assertEquals("PUT 4 KiB: 2,500/20,000  500 ops/s  ETA 0:35", ProgressLine.of("PUT 4 KiB", 2_500, 20_000, 5, ProgressLine.OPERATIONS));
    }

    @Test
    void bytesWithRateAndTimeLeft() {
        assertEquals("restoring: 1.00 GiB/4.00 GiB  100 MiB/s  ETA 0:31",
                ProgressLine.of("restoring", 1L << 30, 4L << 30, 10.24, ByteSizes::approximate));
    }

    @Test
    void theTimeLeftIsUnknownBeforeAnyProgressAndZeroWhenDone() {
        assertEquals("--:--", ProgressLine.eta(100, 0));
        assertEquals("0:00", ProgressLine.eta(0, 0));
        assertEquals("1:01:40", ProgressLine.eta(3_700, 1));
    }
}
