package io.mooseng.core.status;

import io.mooseng.core.model.MaintenanceReport;

import java.util.List;

/**
 * What {@code mooseng admin status --json} prints and the web console's status call answers.
 *
 * @param maintenance the leader's last maintenance report, or null before the first
 * @param error       what could not be read (the masters or the node registry), else null
 */
public record ClusterStatus(List<MemberStatus> masters, List<NodeStatus> chunkservers, List<NodeStatus> gateways,
                            List<MountStatus> mounts, MaintenanceReport maintenance, String error) {
}
