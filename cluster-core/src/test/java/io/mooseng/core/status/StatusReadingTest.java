package io.mooseng.core.status;

import io.mooseng.core.model.MountInfo;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

class StatusReadingTest {
    @Test
    void aMountIsLiveUntilSilentLongerThanLostAfter() {
        MountInfo m = new MountInfo("id1", "host1", "/mnt", "0.1.0", 1_000, 9_000);
        StatusReading reading = new StatusReading(List.of(), List.of(), List.of(), List.of(m), null, null);
        assertEquals(List.of(new MountStatus("id1", "host1", "/mnt", "0.1.0", 10_000, 2_000, "LIVE")),
                reading.view(11_000, 2_000).mounts());
        assertEquals("LOST", reading.view(11_001, 2_000).mounts().getFirst().state());
    }
}
