package io.mooseng.core.model;

import java.util.Map;

/**
 * A chunkserver as registered with the metadata service.
 *
 * @param id        stable id, unique in the cluster (e.g. "cs1")
 * @param address   host:port of its shard service
 * @param labels    failure-domain labels: zone, rack, host (missing ones default to the id)
 * @param capacityBytes total bytes of its disk
 * @param usedBytes bytes in use
 * @param heartbeatMillis the chunkserver's wall-clock time when it last reported (0: never)
 */
public record ChunkserverInfo(String id, String address, Map<String, String> labels, long capacityBytes, long usedBytes,
                              long heartbeatMillis) {
    public ChunkserverInfo {
        labels = Map.copyOf(labels);
    }

    public ChunkserverInfo(String id, String address, Map<String, String> labels, long capacityBytes, long usedBytes) {
        this(id, address, labels, capacityBytes, usedBytes, 0);
    }

    public String label(String name) {
        return labels.getOrDefault(name, id);
    }
}
