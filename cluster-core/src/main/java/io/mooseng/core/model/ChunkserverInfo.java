package io.mooseng.core.model;

import java.util.Map;

/**
 * A chunkserver as registered with the metadata service.
 *
 * @param id        stable id, unique in the cluster (e.g. "cs1")
 * @param address   host:port of its shard service
 * @param labels    failure-domain labels: zone, rack, host (missing ones default to the id)
 * @param capacityBytes total bytes of its disk
 * @param usedBytes bytes of live shards it stores (what rebalancing evens out)
 * @param freeBytes bytes still free on its disk (placement skips a nearly full chunkserver)
 * @param heartbeatMillis the chunkserver's wall-clock time when it last reported (0: never)
 */
public record ChunkserverInfo(String id, String address, Map<String, String> labels, long capacityBytes, long usedBytes,
                              long freeBytes, long heartbeatMillis) {
    public ChunkserverInfo {
        labels = Map.copyOf(labels);
    }

    public ChunkserverInfo(String id, String address, Map<String, String> labels, long capacityBytes, long usedBytes) {
        this(id, address, labels, capacityBytes, usedBytes, capacityBytes - usedBytes, 0);
    }

    public String label(String name) {
        return labels.getOrDefault(name, id);
    }

    /** Fraction of its capacity its shards use; 0 for an unknown capacity. */
    public double usage() {
        return capacityBytes <= 0 ? 0 : (double) usedBytes / capacityBytes;
    }
}
