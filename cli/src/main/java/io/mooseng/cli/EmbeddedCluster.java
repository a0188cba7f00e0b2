package io.mooseng.cli;

import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.mooseng.chunkserver.ChunkServer;
import io.mooseng.chunkserver.ChunkServerOptions;
import io.mooseng.chunkserver.transport.ChunkClientOptions;
import io.mooseng.chunkserver.transport.LocalShards;
import io.mooseng.cli.node.ChunkserverNode;
import io.mooseng.cli.node.GatewayNode;
import io.mooseng.cli.node.MemoryPlan;
import io.mooseng.cli.node.MaintenanceNode;
import io.mooseng.cli.node.SyncNode;
import io.mooseng.multisite.SyncSettings;
import io.mooseng.core.metadata.KeySecrets;
import io.mooseng.core.notify.NotificationSender;
import io.mooseng.core.maintenance.MaintenanceConfig;
import io.mooseng.core.maintenance.MaintenanceService;
import io.mooseng.cli.node.Metrics;
import io.mooseng.cli.node.ProcessVertx;
import io.mooseng.cli.node.RaftMetrics;
import io.mooseng.core.config.HostPort;
import io.mooseng.core.model.StorageClass;
import io.mooseng.core.object.ObjectService;
import io.mooseng.core.object.ObjectServiceConfig;
import io.mooseng.metadata.client.GroupAdmin;
import io.mooseng.multisite.SyncLag;
import io.mooseng.metadata.client.MetadataClientConfig;
import io.mooseng.metadata.client.RaftMetadataService;
import io.mooseng.metadata.raft.MetadataServer;
import io.mooseng.metadata.raft.MetadataServerConfig;
import io.mooseng.s3.S3Certificate;
import io.mooseng.s3.S3GatewayConfig;
import io.mooseng.core.security.ClusterKey;
import io.mooseng.core.security.ClusterKeys;
import io.mooseng.core.security.ClusterTls;
import io.mooseng.core.security.Role;
import io.mooseng.s3.auth.NamespaceCredentials;
import io.vertx.core.Vertx;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.LongSupplier;

/**
 * The whole cluster in one process: a single-peer Raft metadata group, N chunkservers on
 * the data folders (each serving the shard transport on its own loopback port, all sharing
 * one receive budget), the object service and
 * the S3 gateway. This is {@code mooseng server}, and the in-process cluster the tests use.
 */
public final class EmbeddedCluster implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(EmbeddedCluster.class);

    /**
     * @param dataDirs     one folder per disk; metadata lives on the first, chunkservers round-robin
     * @param s3Address    where the S3 API listens (port 0: any free port)
     * @param raftAddress  where the metadata service listens (port 0: any free port)
     * @param chunkservers how many chunkservers to run
     * @param storageClass default class of new buckets
     * @param objects      data path tuning; null for defaults
     * @param maintenance  repair/GC/rebalance tuning of the embedded master
     * @param heartbeat    interval of chunkserver and gateway heartbeats
     * @param memoryBudget bytes data in flight may hold in the process, <= 0 for the default
     * @param region       the region S3 requests must be signed for; null accepts any
     * @param virtualHostDomain with "s3.example.com", Host "b.s3.example.com" addresses bucket "b"; null: path style only
     * @param clock        the wall clock the gateway dates writes by (tests skew one zone's)
     * @param auditLog     the audit log file (the gateway's S3 writes and refused requests, the master's admin actions); null for none
     * @param s3Tls        the S3 endpoint's HTTPS certificate; null for plain HTTP
     * @param tls          the certificate on the metadata (Raft) port and of the process's metadata
     *                     clients (a master's); null for plaintext
     * @param shardTls     the certificate each role uses on the shard transport (chunkservers, the
     *                     gateway's and the master's shard clients); null: plain TCP (the chunkservers
     *                     of one process listen on loopback only)
     * @param sync         the multisite sync agent's tuning
     * @param peerReadTimeoutMillis how long a peer zone has to answer a read of a key not here yet; 0: never asked
     */
    public record Options(List<Path> dataDirs, HostPort s3Address, HostPort raftAddress, int chunkservers,
                          StorageClass storageClass, String accessKey, String secretKey, ObjectServiceConfig objects,
                          MaintenanceConfig maintenance, Duration heartbeat, long memoryBudget, String region, String virtualHostDomain,
                          LongSupplier clock,
                          Path auditLog, S3Certificate s3Tls, ClusterTls tls,
                          Function<Role, ClusterTls> shardTls, SyncSettings sync, long peerReadTimeoutMillis,
                          long scrubBytesPerSecond, boolean localShards) {
        public Options(List<Path> dataDirs, HostPort s3Address, HostPort raftAddress, int chunkservers,
                       StorageClass storageClass, String accessKey, String secretKey, ObjectServiceConfig objects) {
            this(dataDirs, s3Address, raftAddress, chunkservers, storageClass, accessKey, secretKey, objects,
                    MaintenanceConfig.DEFAULTS, Duration.ofSeconds(5), 0, null, null, System::currentTimeMillis, null, null, null, null,
                    SyncSettings.DEFAULTS, S3GatewayConfig.DEFAULT_PEER_READ_TIMEOUT_MILLIS, ChunkServerOptions.DEFAULT_SCRUB_BYTES_PER_SECOND,
                    true);
        }

        public Options withMaintenance(MaintenanceConfig config, Duration heartbeatInterval) {
            return copy(f -> {
                f.maintenance = config;
                f.heartbeat = heartbeatInterval;
            });
        }

        public Options withMemoryBudget(long bytes) {
            return copy(f -> f.memoryBudget = bytes);
        }

        public Options withRegion(String name) {
            return copy(f -> f.region = name);
        }

        public Options withVirtualHostDomain(String domain) {
            return copy(f -> f.virtualHostDomain = domain);
        }

        public Options withClock(LongSupplier wallClockMillis) {
            return copy(f -> f.clock = wallClockMillis);
        }

        public Options withAuditLog(Path file) {
            return copy(f -> f.auditLog = file);
        }

        public Options withS3Tls(S3Certificate certificate) {
            return copy(f -> f.s3Tls = certificate);
        }

        public Options withTls(ClusterTls identity) {
            return copy(f -> f.tls = identity);
        }

        public Options withSyncSettings(SyncSettings settings) {
            return copy(f -> f.sync = settings);
        }

        public Options withPeerReadTimeout(long millis) {
            return copy(f -> f.peerReadTimeoutMillis = millis);
        }

        public Options withShardTls(Function<Role, ClusterTls> identitiesByRole) {
            return copy(f -> f.shardTls = identitiesByRole);
        }

        /** Shard bytes scrubbed per second on each data folder, shared by the chunkservers on it (0: off). */
        public Options withScrubRate(long bytesPerSecond) {
            return copy(f -> f.scrubBytesPerSecond = bytesPerSecond);
        }

        /**
         * Whether the gateway writes and reads the shards of this process's chunkservers without a
         * connection (the default); false: over the shard transport, as separate processes do.
         */
        public Options withLocalShards(boolean direct) {
            return copy(f -> f.localShards = direct);
        }

        /** This record with what {@code change} sets on a mutable copy of its fields: the one place the withers build an Options. */
        private Options copy(Consumer<Fields> change) {
            Fields f = new Fields(this);
            change.accept(f);
            return new Options(f.dataDirs, f.s3Address, f.raftAddress, f.chunkservers, f.storageClass, f.accessKey, f.secretKey, f.objects,
                    f.maintenance, f.heartbeat, f.memoryBudget, f.region, f.virtualHostDomain, f.clock,
                    f.auditLog, f.s3Tls, f.tls, f.shardTls, f.sync, f.peerReadTimeoutMillis, f.scrubBytesPerSecond, f.localShards);
        }

        /** The fields of an Options, settable, for {@link #copy}. */
        private static final class Fields {
            private List<Path> dataDirs;
            private HostPort s3Address;
            private HostPort raftAddress;
            private int chunkservers;
            private StorageClass storageClass;
            private String accessKey;
            private String secretKey;
            private ObjectServiceConfig objects;
            private MaintenanceConfig maintenance;
            private Duration heartbeat;
            private long memoryBudget;
            private String region;
            private String virtualHostDomain;
            private LongSupplier clock;
            private Path auditLog;
            private S3Certificate s3Tls;
            private ClusterTls tls;
            private Function<Role, ClusterTls> shardTls;
            private SyncSettings sync;
            private long peerReadTimeoutMillis;
            private long scrubBytesPerSecond;
            private boolean localShards;

            private Fields(Options o) {
                dataDirs = o.dataDirs;
                s3Address = o.s3Address;
                raftAddress = o.raftAddress;
                chunkservers = o.chunkservers;
                storageClass = o.storageClass;
                accessKey = o.accessKey;
                secretKey = o.secretKey;
                objects = o.objects;
                maintenance = o.maintenance;
                heartbeat = o.heartbeat;
                memoryBudget = o.memoryBudget;
                region = o.region;
                virtualHostDomain = o.virtualHostDomain;
                clock = o.clock;
                auditLog = o.auditLog;
                s3Tls = o.s3Tls;
                tls = o.tls;
                shardTls = o.shardTls;
                sync = o.sync;
                peerReadTimeoutMillis = o.peerReadTimeoutMillis;
                scrubBytesPerSecond = o.scrubBytesPerSecond;
                localShards = o.localShards;
            }
        }

        /** The certificate of the cluster's processes of {@code role} on the shard transport; null: plain TCP. */
        ClusterTls shardIdentity(Role role) {
            return shardTls == null ? null : shardTls.apply(role);
        }

        public Options {
            dataDirs = List.copyOf(dataDirs);
            if (dataDirs.isEmpty()) {
                throw new IllegalArgumentException("at least one --data folder is needed");
            }
            if (chunkservers < storageClass.shardCount()) {
                throw new IllegalArgumentException(storageClass + " needs at least " + storageClass.shardCount()
                        + " chunkservers, got " + chunkservers);
            }
            if (scrubBytesPerSecond < 0) {
                throw new IllegalArgumentException("the scrub rate must not be negative: " + scrubBytesPerSecond);
            }
        }

        /**
         * The scrub rate of chunkserver {@code number} (1-based): its folder's rate shared with the
         * other chunkservers on the folder (one disk), at least one byte a second while it is on.
         */
        long scrubRateOf(int number) {
            int folders = dataDirs.size();
            int onFolder = chunkservers / folders + ((number - 1) % folders < chunkservers % folders ? 1 : 0);
            return scrubBytesPerSecond == 0 ? 0 : Math.max(1, scrubBytesPerSecond / onFolder);
        }
    }

    private final Options options;
    private final MemoryPlan memory;
    private final PrometheusMeterRegistry registry = Metrics.processRegistry();
    private final List<ChunkserverNode> chunkServers = new ArrayList<>();
    /** The latest chunkserver started under each id, read by the gateway's event loops. */
    private final Map<String, ChunkserverNode> serving = new ConcurrentHashMap<>();
    private MaintenanceNode maintenance;
    private SyncNode sync;
    private KeySecrets keySecrets;
    private NotificationSender notifications;
    private Vertx vertx;
    private MetadataServer metadataServer;
    private RaftMetadataService metadata;
    private RaftMetadataService maintenanceMetadata;
    private GatewayNode gateway;
    private NamespaceCredentials credentials;
    private HostPort raftAddress;

    private EmbeddedCluster(Options options) {
        this.options = options;
        this.memory = MemoryPlan.of(options.memoryBudget(), true, true);
    }

    public static EmbeddedCluster start(Options options) throws Exception {
        EmbeddedCluster c = new EmbeddedCluster(options);
        try {
            c.startAll();
            return c;
        } catch (Exception | Error e) {
            c.close();
            throw e;
        }
    }

    private void startAll() throws Exception {
        Path first = options.dataDirs().get(0);
        Files.createDirectories(first);
        vertx = ProcessVertx.create();
        raftAddress = options.raftAddress().port() == 0
                ? new HostPort(options.raftAddress().host(), freePort(options.raftAddress().host())) : options.raftAddress();
        // one trail: the gateway's S3 writes and refusals and the master's admin actions share the file
        metadataServer = new MetadataServer(MetadataServerConfig.singleNode(raftAddress.toString(), first.resolve("meta")).withTls(options.tls())
                .withAuditLog(options.auditLog()));
        metadataServer.start();
        if (!metadataServer.awaitLeader(Duration.ofSeconds(30))) {
            throw new IOException("metadata service at " + raftAddress + " elected no leader within 30 s");
        }
        // reads are answered by the local peer directly (it leads a group of one)
        metadata = RaftMetadataService.connect(List.of(raftAddress.toString()), MetadataClientConfig.DEFAULTS.withTls(options.tls()),
                metadataServer::queryLocally);
        for (int i = 1; i <= options.chunkservers(); i++) {
            chunkServers.add(startChunkserver(i));
        }
        registerMetrics();
        ObjectServiceConfig oc = options.objects() != null ? options.objects() : ObjectServiceConfig.defaults(options.storageClass());
        // the cluster key: the one `admin cert issue` put beside the certificate, else this server's own (as a gateway's)
        Path keyInTls = options.tls() == null ? null : options.tls().dir().resolve(ClusterKey.FILE);
        ClusterKeys clusterKey = ClusterKeys.load(keyInTls != null && Files.exists(keyInTls) ? keyInTls : first.resolve(ClusterKey.FILE));
        credentials = NamespaceCredentials.open(metadata, clusterKey, options.accessKey(), options.secretKey(), options.clock());
        keySecrets = KeySecrets.of(metadata, clusterKey);
        KeySecrets secrets = keySecrets;
        gateway = GatewayNode.start(vertx, metadata, "gw1", credentials,
                S3GatewayConfig.of(options.s3Address().host(), options.s3Address().port()).withRegion(options.region())
                        .withVirtualHostDomain(options.virtualHostDomain())
                        .withAuditLog(options.auditLog()).withTls(options.s3Tls()).withClusterKey(clusterKey)
                        .withPeerReadTimeout(options.peerReadTimeoutMillis()), oc, memory.objects(), registry,
                options.heartbeat(), options.clock(), ChunkClientOptions.defaults().withTls(options.shardIdentity(Role.GATEWAY))
                        .withLocal(options.localShards() ? this::localShards : null),
                GroupAdmin.connect(List.of(raftAddress.toString()), options.tls()), () -> SyncLag.status(metadata, secrets, System.currentTimeMillis()));
        // maintenance reads the namespace as committed: it must not recall the leases of mounts at work
        maintenanceMetadata = RaftMetadataService.connectBackground(List.of(raftAddress.toString()),
                MetadataClientConfig.DEFAULTS.withTls(options.tls()), metadataServer::queryLocally);
        maintenance = MaintenanceNode.start(vertx, maintenanceMetadata, options.maintenance(), metadataServer::leading, "m1",
                memory.objects(), registry, ChunkClientOptions.defaults().withTls(options.shardIdentity(Role.MASTER)));
        notifications = NotificationSender.start(maintenanceMetadata, metadataServer::leading,
                options.region() != null ? options.region() : NotificationSender.DEFAULT_REGION, NotificationSender.Settings.DEFAULTS);
        sync = SyncNode.start(vertx, metadata, metadataServer::leading, memory.objects(), registry, options.sync(), keySecrets,
                ChunkClientOptions.defaults().withTls(options.shardIdentity(Role.MASTER)));
        LOG.info("cluster ready: s3={} raft={} chunkservers={} class={}", endpoint(), raftAddress, chunkServers.size(),
                options.storageClass());
    }

    private void registerMetrics() {
        RaftMetrics.bind(registry, metadataServer);
        chunkServers.forEach(cs -> Metrics.bindChunkserver(registry, cs.server()));
        Metrics.bindBudget(registry, memory.shardReceive());
    }

    public int s3Port() {
        return gateway.port();
    }

    public String endpoint() {
        return (options.s3Tls() == null ? "http" : "https") + "://" + options.s3Address().host() + ":" + gateway.port();
    }

    public HostPort raftAddress() {
        return raftAddress;
    }

    public ObjectService objects() {
        return gateway.objects();
    }

    /** The multisite sync agent (idle until the cluster is a zone of a group). */
    /** This cluster's own key secrets, opened with its cluster key (what its sync agent signs with). */
    public KeySecrets keySecrets() {
        return keySecrets;
    }

    public SyncNode sync() {
        return sync;
    }

    public List<ChunkServer> chunkServers() {
        return chunkServers.stream().map(ChunkserverNode::server).toList();
    }

    /** The shard calls of a chunkserver of this cluster while it serves, for the gateway's data path. */
    private LocalShards localShards(String nodeId) {
        ChunkserverNode node = serving.get(nodeId);
        return node == null ? null : node.server().local();
    }

    /** Chunkserver {@code number} (1-based, id cs&lt;number&gt;) on its folder, on a free port. */
    private ChunkserverNode startChunkserver(int number) throws Exception {
        List<Path> dirs = options.dataDirs();
        Path dir = dirs.get((number - 1) % dirs.size()).resolve("chunkserver-" + number);
        ChunkserverNode node = ChunkserverNode.start(vertx, metadata, "cs" + number,
                ChunkServerOptions.defaults(dir).withHost("127.0.0.1").withPort(0).withReceiveBudget(memory.shardReceive())
                        .withScrubBytesPerSecond(options.scrubRateOf(number)).withTls(options.shardIdentity(Role.CHUNKSERVER)), "127.0.0.1", Map.of(), options.heartbeat());
        serving.put(node.server().nodeId(), node);
        return node;
    }

    /** Stops one chunkserver (tests: lose a machine); its data stays on disk. */
    public void stopChunkserver(int index) throws Exception {
        chunkServers.get(index).stop();
    }

    /** Starts a stopped chunkserver again on its folder and id, listening on any free port (a new address). */
    public void restartChunkserver(int index) throws Exception {
        chunkServers.set(index, startChunkserver(index + 1));
    }

    /** Adds a chunkserver (a new machine); @return its index. */
    public int addChunkserver() throws Exception {
        ChunkserverNode cs = startChunkserver(chunkServers.size() + 1);
        chunkServers.add(cs);
        Metrics.bindChunkserver(registry, cs.server());
        return chunkServers.size() - 1;
    }

    /** The master's maintenance service (repair, GC, rebalancing, re-coding, trash expiry). */
    public MaintenanceService maintenance() {
        return maintenance.service();
    }

    /** The metadata service client this cluster's nodes share. */
    public RaftMetadataService metadata() {
        return metadata;
    }

    @Override
    public void close() {
        // reverse order of start; each step tolerates a partial start
        quietly("sync agent", () -> { if (sync != null) sync.close(); });
        quietly("notification sender", () -> { if (notifications != null) notifications.close(); });
        quietly("maintenance", () -> { if (maintenance != null) maintenance.close(); });
        quietly("gateway", () -> { if (gateway != null) gateway.close(); });
        quietly("credentials", () -> { if (credentials != null) credentials.close(); });
        for (ChunkserverNode cs : chunkServers) {
            quietly("chunkserver " + cs.server().nodeId(), cs::close);
        }
        quietly("metadata client", () -> { if (metadata != null) metadata.close(); });
        quietly("maintenance's metadata client", () -> { if (maintenanceMetadata != null) maintenanceMetadata.close(); });
        quietly("metadata server", () -> { if (metadataServer != null) metadataServer.close(); });
        quietly("vertx", () -> { if (vertx != null) vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS); });
        registry.close();
    }

    private interface Step {
        void run() throws Exception;
    }

    private static void quietly(String what, Step step) {
        try {
            step.run();
        } catch (Exception e) {
            LOG.warn("shutdown step failed: component={} cause={}", what, e.toString());
        }
    }

    /** A port free on {@code host} right now (Ratis needs a concrete port, not 0). */
    public static int freePort(String host) throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getByName(host))) {
            return s.getLocalPort();
        }
    }
}
