package io.mooseng.s3.handler;

import io.mooseng.core.status.ClusterStatusReader;
import io.mooseng.core.status.MultisiteLag;
import io.mooseng.core.status.MultisiteStatus;
import io.mooseng.core.status.StatusCache;
import io.mooseng.core.status.StatusReading;

import java.time.Duration;

/**
 * The readings behind the web console's status calls, each shared by every caller for
 * {@link #MAX_AGE}: a console left open in many browsers costs the masters (and the peer
 * zones) one reading per second at most, not one per tab and refresh.
 */
public final class ConsoleStatus {
    static final Duration MAX_AGE = Duration.ofSeconds(1);

    private final StatusCache<StatusReading> cluster;
    private final StatusCache<MultisiteStatus> multisite;

    /** @param multisite this zone's lag behind its peers, or null where the gateway cannot measure it (shown as no zonegroup) */
    public ConsoleStatus(ClusterStatusReader reader, MultisiteLag multisite) {
        this.cluster = new StatusCache<>(reader::read, MAX_AGE, System::currentTimeMillis);
        this.multisite = new StatusCache<>(multisite == null ? () -> MultisiteStatus.NONE : multisite::measure, MAX_AGE,
                System::currentTimeMillis);
    }

    /** Blocking (a worker thread). */
    StatusReading cluster() throws Exception {
        return cluster.get();
    }

    /** Blocking (a worker thread). */
    MultisiteStatus multisite() throws Exception {
        return multisite.get();
    }
}
