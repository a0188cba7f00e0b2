package io.mooseng.core.maintenance;

import io.mooseng.core.chunk.ChunkserverDirectory;
import io.mooseng.core.model.ChunkserverInfo;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;

/** The registered chunkservers as one cycle sees them: who is live, who is lost, who has room. */
record ClusterView(Map<String, ChunkserverInfo> registered, Set<String> lost) {
    static ClusterView of(List<ChunkserverInfo> registered, Set<String> lost) {
        return new ClusterView(registered.stream().collect(Collectors.toMap(ChunkserverInfo::id, Function.identity())), lost);
    }

    List<String> liveIds() {
        return registered.keySet().stream().filter(id -> !lost.contains(id)).sorted().toList();
    }

    boolean live(String id) {
        return registered.containsKey(id) && !lost.contains(id);
    }

    /** Live chunkservers with room for new shards. */
    List<ChunkserverInfo> writable() {
        return registered.values().stream().filter(cs -> !lost.contains(cs.id()) && !ChunkserverDirectory.full(cs)).toList();
    }

    ChunkserverFleet fleet() {
        int up = 0;
        long capacity = 0;
        long used = 0;
        for (ChunkserverInfo cs : registered.values()) {
            if (!lost.contains(cs.id())) {
                up++;
                capacity += cs.capacityBytes();
                used += cs.usedBytes();
            }
        }
        return new ChunkserverFleet(up, registered.size() - up, capacity, used);
    }

    String address(String id) {
        ChunkserverInfo cs = registered.get(id);
        return cs == null ? "" : cs.address();
    }
}
