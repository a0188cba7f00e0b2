package io.mooseng.cli;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.mooseng.chunkserver.ChunkServer;
import io.mooseng.chunkserver.ChunkServerOptions;
import io.mooseng.chunkserver.rpc.ChunkClientOptions;
import io.mooseng.chunkserver.rpc.ChunkClientPool;
import io.mooseng.core.chunk.ChunkserverDirectory;
import io.mooseng.core.config.HostPort;
import io.mooseng.core.model.ChunkserverInfo;
import io.mooseng.core.model.StorageClass;
import io.mooseng.core.object.ObjectService;
import io.mooseng.core.object.ObjectServiceConfig;
import io.mooseng.core.placement.RendezvousPlacement;
import io.mooseng.metadata.client.MetadataClientConfig;
import io.mooseng.metadata.client.RaftMetadataService;
import io.mooseng.metadata.raft.MetadataServer;
import io.mooseng.metadata.raft.MetadataServerConfig;
import io.mooseng.s3.S3Gateway;
import io.mooseng.s3.S3GatewayConfig;
import io.mooseng.s3.auth.Credentials;
import io.vertx.core.Vertx;
import io.vertx.core.net.SocketAddress;
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
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The whole cluster in one process: a single-peer Raft metadata group, N chunkservers on
 * the data folders (each its own gRPC server on a loopback port), the object service and
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
     */
    public record Options(List<Path> dataDirs, HostPort s3Address, HostPort raftAddress, int chunkservers,
                          StorageClass storageClass, String accessKey, String secretKey, ObjectServiceConfig objects) {
        public Options {
            dataDirs = List.copyOf(dataDirs);
            if (dataDirs.isEmpty()) {
                throw new IllegalArgumentException("at least one --data folder is needed");
            }
            if (chunkservers < storageClass.shardCount()) {
                throw new IllegalArgumentException(storageClass + " needs at least " + storageClass.shardCount()
                        + " chunkservers, got " + chunkservers);
            }
        }
    }

    private final Options options;
    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final List<ChunkServer> chunkServers = new ArrayList<>();
    private final ExecutorService codingPool;
    private Vertx vertx;
    private MetadataServer metadataServer;
    private RaftMetadataService metadata;
    private ChunkClientPool clients;
    private ObjectService objectService;
    private S3Gateway gateway;
    private HostPort raftAddress;
    private int s3Port;

    private EmbeddedCluster(Options options) {
        this.options = options;
        AtomicInteger n = new AtomicInteger();
        this.codingPool = Executors.newFixedThreadPool(Runtime.getRuntime().availableProcessors(), r -> {
            Thread t = new Thread(r, "mooseng-coding-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
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
        vertx = Vertx.vertx();
        raftAddress = options.raftAddress().port() == 0
                ? new HostPort(options.raftAddress().host(), freePort(options.raftAddress().host())) : options.raftAddress();
        metadataServer = new MetadataServer(MetadataServerConfig.singleNode(raftAddress.toString(), first.resolve("meta")));
        metadataServer.start();
        if (!metadataServer.awaitLeader(Duration.ofSeconds(30))) {
            throw new IOException("metadata service at " + raftAddress + " elected no leader within 30 s");
        }
        // reads are answered by the local peer directly (it leads a group of one)
        metadata = RaftMetadataService.connect(List.of(raftAddress.toString()), MetadataClientConfig.DEFAULTS,
                metadataServer::queryLocally);
        startChunkservers();
        ChunkserverDirectory directory = new ChunkserverDirectory(metadata, 5_000, 10_000, System::currentTimeMillis);
        directory.refresh().get(30, TimeUnit.SECONDS);
        clients = new ChunkClientPool(vertx, id -> directory.addressOf(id)
                .map(a -> { HostPort hp = HostPort.parse(a); return SocketAddress.inetSocketAddress(hp.port(), hp.host()); })
                .orElseThrow(() -> new IllegalStateException("unknown chunkserver " + id)), ChunkClientOptions.defaults());
        ObjectServiceConfig oc = options.objects() != null ? options.objects() : ObjectServiceConfig.defaults(options.storageClass());
        objectService = new ObjectService(metadata, clients, directory, new RendezvousPlacement(), oc, codingPool,
                System::currentTimeMillis);
        registerMetrics();
        gateway = new S3Gateway(vertx, objectService, Credentials.single(options.accessKey(), options.secretKey()),
                S3GatewayConfig.of(options.s3Address().host(), options.s3Address().port()), registry, registry::scrape);
        s3Port = gateway.start().toCompletionStage()
                .toCompletableFuture().get(30, TimeUnit.SECONDS);
        LOG.info("cluster ready: s3=http://{}:{} raft={} chunkservers={} class={}", options.s3Address().host(), s3Port,
                raftAddress, chunkServers.size(), options.storageClass());
    }

    private void startChunkservers() throws Exception {
        List<Path> dirs = options.dataDirs();
        for (int i = 1; i <= options.chunkservers(); i++) {
            String id = "cs" + i;
            Path dir = dirs.get((i - 1) % dirs.size()).resolve("chunkserver-" + i);
            ChunkServer cs = new ChunkServer(vertx, id, ChunkServerOptions.defaults(dir).withHost("127.0.0.1").withPort(0));
            cs.start().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
            chunkServers.add(cs);
            register(cs);
        }
    }

    private void register(ChunkServer cs) throws Exception {
        var usage = cs.store().usage();
        metadata.registerChunkserver(new ChunkserverInfo(cs.nodeId(), "127.0.0.1:" + cs.port(), Map.of(),
                usage.capacityBytes(), usage.diskBytes())).get(30, TimeUnit.SECONDS);
    }

    private void registerMetrics() {
        new JvmMemoryMetrics().bindTo(registry);
        new JvmGcMetrics().bindTo(registry);
        Gauge.builder("mooseng_raft_term", () -> metadataServer.status().term()).register(registry);
        Gauge.builder("mooseng_raft_commit_index", () -> metadataServer.status().commitIndex()).register(registry);
        Gauge.builder("mooseng_raft_applied_index", () -> metadataServer.status().lastAppliedIndex()).register(registry);
        Gauge.builder("mooseng_raft_leader", () -> metadataServer.status().leader() ? 1 : 0).register(registry);
        for (ChunkServer cs : chunkServers) {
            Gauge.builder("mooseng_chunkserver_shards", () -> cs.store().usage().shards()).tag("node", cs.nodeId()).register(registry);
            Gauge.builder("mooseng_chunkserver_live_bytes", () -> cs.store().usage().liveBytes()).tag("node", cs.nodeId()).register(registry);
            Gauge.builder("mooseng_chunkserver_disk_bytes", () -> cs.store().usage().diskBytes()).tag("node", cs.nodeId()).register(registry);
            Gauge.builder("mooseng_chunkserver_free_bytes", () -> cs.store().usage().freeBytes()).tag("node", cs.nodeId()).register(registry);
        }
    }

    public int s3Port() {
        return s3Port;
    }

    public String endpoint() {
        return "http://" + options.s3Address().host() + ":" + s3Port;
    }

    public HostPort raftAddress() {
        return raftAddress;
    }

    public ObjectService objects() {
        return objectService;
    }

    public List<ChunkServer> chunkServers() {
        return List.copyOf(chunkServers);
    }

    /** Stops one chunkserver (tests: lose a machine); its data stays on disk. */
    public void stopChunkserver(int index) throws Exception {
        chunkServers.get(index).stop().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
    }

    @Override
    public void close() {
        // reverse order of start; each step tolerates a partial start
        quietly("gateway", () -> { if (gateway != null) gateway.stop().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS); });
        quietly("chunk clients", () -> { if (clients != null) clients.close(); });
        for (ChunkServer cs : chunkServers) {
            quietly("chunkserver " + cs.nodeId(), () -> cs.stop().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS));
        }
        quietly("metadata client", () -> { if (metadata != null) metadata.close(); });
        quietly("metadata server", () -> { if (metadataServer != null) metadataServer.close(); });
        quietly("vertx", () -> { if (vertx != null) vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS); });
        codingPool.shutdownNow();
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
