package io.mooseng.core.status;

import io.mooseng.core.model.ChunkserverInfo;
import io.mooseng.core.model.GatewayInfo;
import io.mooseng.core.model.MaintenanceReport;
import io.mooseng.core.model.MountInfo;

import java.util.List;

/**
 * What the masters answered for a status view, before it is judged: the view's states
 * (LIVE, LOST) depend on the viewer's lost-after, so one reading serves every viewer
 * ({@link StatusCache}).
 *
 * @param error what could not be read, else null
 */
public record StatusReading(List<MemberStatus> masters, List<ChunkserverInfo> chunkservers, List<GatewayInfo> gateways,
                            List<MountInfo> mounts, MaintenanceReport maintenance, String error) {

    /** The view at {@code nowMillis}: a node or mount silent longer than {@code lostAfterMillis} is LOST. */
    public ClusterStatus view(long nowMillis, long lostAfterMillis) {
        return new ClusterStatus(masters, chunkservers.stream().map(c -> NodeStatus.of(c, nowMillis, lostAfterMillis)).toList(),
                gateways.stream().map(g -> NodeStatus.of(g, nowMillis, lostAfterMillis)).toList(),
                mounts.stream().map(m -> MountStatus.of(m, nowMillis, lostAfterMillis)).toList(), maintenance, error);
    }
}
