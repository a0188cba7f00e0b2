package io.mooseng.core.model;

/**
 * A FUSE mount as it reports itself to the leader (kept in the leader's memory, never in the
 * log), for the cluster status view.
 *
 * @param id             the mount's lease holder identity (a UUID, new at every mount)
 * @param host           the host it runs on
 * @param mountPoint     where it is mounted on that host
 * @param version        the MooseNG version it runs
 * @param startedMillis  its wall-clock time when it mounted
 * @param lastSeenMillis the leader's wall-clock time when it last heard from the mount (any request counts); 0 in a report
 */
public record MountInfo(String id, String host, String mountPoint, String version, long startedMillis, long lastSeenMillis) {
    public MountInfo withLastSeen(long millis) {
        return new MountInfo(id, host, mountPoint, version, startedMillis, millis);
    }
}
