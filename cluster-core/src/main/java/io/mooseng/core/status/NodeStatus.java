package io.mooseng.core.status;

import io.mooseng.core.chunk.ChunkserverDirectory;
import io.mooseng.core.model.ChunkserverInfo;
import io.mooseng.core.model.GatewayInfo;

import java.util.Map;

/**
 * A registered node as status views show it ({@code mooseng admin status}, the web console):
 * LIVE, FULL (a chunkserver that takes no new shards) or LOST (silent longer than lost-after).
 *
 * @param ecKernel the erasure-coding kernel of a gateway, null for a chunkserver
 */
public record NodeStatus(String id, String address, Map<String, String> labels, long capacityBytes, long usedBytes, long freeBytes,
                         long lastSeenMillisAgo, String state, String ecKernel) {

    public static NodeStatus of(ChunkserverInfo c, long nowMillis, long lostAfterMillis) {
        long ago = nowMillis - c.heartbeatMillis();
        String state = ChunkserverDirectory.full(c) && ago <= lostAfterMillis ? "FULL" : state(ago, lostAfterMillis);
        return new NodeStatus(c.id(), c.address(), c.labels(), c.capacityBytes(), c.usedBytes(), c.freeBytes(), ago, state, null);
    }

    public static NodeStatus of(GatewayInfo g, long nowMillis, long lostAfterMillis) {
        long ago = nowMillis - g.heartbeatMillis();
        return new NodeStatus(g.id(), g.address(), Map.of(), 0, 0, 0, ago, state(ago, lostAfterMillis), g.ecKernel());
    }

    private static String state(long ago, long lostAfterMillis) {
        return ago <= lostAfterMillis ? "LIVE" : "LOST";
    }
}
