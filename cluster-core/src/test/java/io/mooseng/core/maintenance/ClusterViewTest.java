package io.mooseng.core.maintenance;

import io.mooseng.core.model.ChunkserverInfo;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;

class ClusterViewTest {
    @Test
    void theFleetCountsLostChunkserversButNotTheirCapacity() {
        ClusterView view = ClusterView.of(List.of(
                new ChunkserverInfo("cs1", "a:1", Map.of(), 1000, 100),
                new ChunkserverInfo("cs2", "a:2", Map.of(), 2000, 300),
                new ChunkserverInfo("cs3", "a:3", Map.of(), 4000, 700)), Set.of("cs3"));
        assertEquals(new ChunkserverFleet(2, 1, 3000, 400), view.fleet());
    }
}
