package io.mooseng.core.status;

import io.mooseng.core.model.MountInfo;

/**
 * A FUSE mount as status views show it: LIVE, or LOST when the leader has not heard from it
 * for lost-after (it crashed or lost the network; the leader forgets it after
 * {@link io.mooseng.core.metadata.MountRegistry#FORGET_AFTER_MILLIS}, and at once when it unmounts).
 *
 * @param uptimeMillis how long it has been mounted (by the mount's clock at its start, the leader's now)
 */
public record MountStatus(String id, String host, String mountPoint, String version, long uptimeMillis, long lastSeenMillisAgo,
                          String state) {
    public static MountStatus of(MountInfo m, long nowMillis, long lostAfterMillis) {
        long ago = Math.max(0, nowMillis - m.lastSeenMillis());
        return new MountStatus(m.id(), m.host(), m.mountPoint(), m.version(), Math.max(0, nowMillis - m.startedMillis()), ago,
                ago <= lostAfterMillis ? "LIVE" : "LOST");
    }
}
