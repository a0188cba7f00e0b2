package io.mooseng.cli.node;

import io.mooseng.core.memory.ByteBudget;
import io.mooseng.core.object.ObjectServiceConfig;
import io.mooseng.fuse.FuseMount;
import io.mooseng.fuse.MountConfig;
import io.mooseng.fuse.MountIdentity;
import io.mooseng.fuse.MountKey;
import io.mooseng.fuse.MountStats;
import io.mooseng.chunkserver.transport.ChunkClientOptions;
import io.mooseng.core.security.ClusterTls;
import io.mooseng.metadata.client.MetadataClientConfig;
import io.mooseng.metadata.client.RaftMetadataService;
import io.mooseng.cli.Version;
import io.mooseng.core.model.MountInfo;
import io.vertx.core.Vertx;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

/**
 * A FUSE mount with its own metadata client and data path, as {@code mooseng mount} runs it
 * (tests start several in one JVM to play several clients). It describes itself to the leader
 * every {@link #REPORT_INTERVAL} (status views: host, mount point, version, start) and says
 * goodbye when it unmounts; its liveness the leader knows from its requests anyway.
 */
public final class MountNode implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(MountNode.class);
    /** A new leader knows the mount again within this (a report is a question to the leader's memory, not a log entry). */
    static final Duration REPORT_INTERVAL = Duration.ofSeconds(3);

    private final Vertx vertx;
    private final RaftMetadataService metadata;
    private final DataPath data;
    private final FuseMount mount;
    private final MountIdentity identity;
    private Heartbeat report;

    private MountNode(Vertx vertx, RaftMetadataService metadata, DataPath data, FuseMount mount, MountIdentity identity) {
        this.vertx = vertx;
        this.metadata = metadata;
        this.data = data;
        this.mount = mount;
        this.identity = identity;
    }

    /**
     * @param tls the mount's certificate for the internal ports, or null for plaintext
     * @param key the access key the mount acts with (its user's policies decide), or null for every right
     * @throws io.mooseng.core.error.MooseException INVALID_ARGUMENT when the key cannot mount (see {@link MountIdentity#open})
     */
    public static MountNode start(List<String> masters, ClusterTls tls, MountConfig config, ObjectServiceConfig dataConfig, Path mountPoint,
                                  List<String> fuseOptions, ByteBudget budget, MountStats stats, MountKey key) throws Exception {
        Vertx vertx = ProcessVertx.create();
        RaftMetadataService metadata = null;
        DataPath data = null;
        MountIdentity identity = null;
        try {
            // a mount holds directory leases: its changes there are answered before they commit, and
            // nobody waits for most of its writes; one entry in flight lets more of them share each
            // entry (twice as many commands per entry under fsbench's mkdir/rename/rmdir, a third less master CPU)
            metadata = RaftMetadataService.connectLeaseHolder(masters, MetadataClientConfig.DEFAULTS.withTls(tls).withMaxWritesInFlight(1));
            identity = key == null ? null : MountIdentity.open(metadata, key, tls != null, System::currentTimeMillis);
            data = DataPath.open(vertx, metadata, dataConfig, budget, System::currentTimeMillis, ChunkClientOptions.defaults().withTls(tls));
            MountNode node = new MountNode(vertx, metadata, data, FuseMount.mount(data.objects(), config, mountPoint, fuseOptions, stats,
                    identity), identity);
            node.startReports(mountPoint);
            return node;
        } catch (Exception | Error e) {
            if (identity != null) {
                identity.close();
            }
            if (data != null) {
                data.close();
            }
            if (metadata != null) {
                metadata.close();
            }
            vertx.close();
            throw e;
        }
    }

    private void startReports(Path mountPoint) {
        MountInfo info = new MountInfo(metadata.leaseHolder().toString(), hostName(), mountPoint.toAbsolutePath().toString(), Version.NUMBER,
                System.currentTimeMillis(), 0);
        // the mount serves whether or not a report gets through: a failed one is logged and tried again
        report = Heartbeat.startInBackground(vertx, "mount " + mountPoint, REPORT_INTERVAL, () -> metadata.reportMount(info));
    }

    private static String hostName() {
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (UnknownHostException e) {
            return "unknown";
        }
    }

    /** The id status views show this mount under (its lease holder identity). */
    public UUID leaseHolder() {
        return metadata.leaseHolder();
    }

    public FuseMount mount() {
        return mount;
    }

    public Vertx vertx() {
        return vertx;
    }

    /** Unmounts (committing open files; nothing to unmount if that was done from outside), then stops the clients. */
    @Override
    public void close() {
        if (report != null) {
            report.close();
        }
        try {
            mount.close();
        } finally {
            try {
                metadata.reportUnmount().get(5, TimeUnit.SECONDS);
            } catch (Exception e) {
                // the leader forgets a silent mount by itself
                LOG.debug("saying goodbye to the masters failed: {}", e.toString());
            }
            if (identity != null) {
                identity.close();
            }
            data.close();
            metadata.close();
            vertx.close();
        }
    }
}
