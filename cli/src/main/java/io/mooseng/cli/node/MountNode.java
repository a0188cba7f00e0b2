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
import io.vertx.core.Vertx;

import java.nio.file.Path;
import java.util.List;

/**
 * A FUSE mount with its own metadata client and data path, as {@code mooseng mount} runs it
 * (tests start several in one JVM to play several clients).
 */
public final class MountNode implements AutoCloseable {
    private final Vertx vertx;
    private final RaftMetadataService metadata;
    private final DataPath data;
    private final FuseMount mount;
    private final MountIdentity identity;

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
        Vertx vertx = Vertx.vertx();
        RaftMetadataService metadata = null;
        DataPath data = null;
        MountIdentity identity = null;
        try {
            // a mount holds directory leases: its changes there are answered before they commit
            metadata = RaftMetadataService.connectLeaseHolder(masters, MetadataClientConfig.DEFAULTS.withTls(tls));
            identity = key == null ? null : MountIdentity.open(metadata, key, tls != null, System::currentTimeMillis);
            data = DataPath.open(vertx, metadata, dataConfig, budget, System::currentTimeMillis, ChunkClientOptions.defaults().withTls(tls));
            return new MountNode(vertx, metadata, data, FuseMount.mount(data.objects(), config, mountPoint, fuseOptions, stats, identity), identity);
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

    public FuseMount mount() {
        return mount;
    }

    public Vertx vertx() {
        return vertx;
    }

    /** Unmounts (committing open files; nothing to unmount if that was done from outside), then stops the clients. */
    @Override
    public void close() {
        try {
            mount.close();
        } finally {
            if (identity != null) {
                identity.close();
            }
            data.close();
            metadata.close();
            vertx.close();
        }
    }
}
