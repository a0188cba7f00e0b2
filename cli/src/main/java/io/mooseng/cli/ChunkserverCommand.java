package io.mooseng.cli;

import io.mooseng.chunkserver.ChunkServerOptions;
import io.mooseng.chunkserver.store.StoreOptions;
import io.mooseng.cli.node.ChunkserverNode;
import io.mooseng.core.config.HostPort;
import io.mooseng.core.security.ClusterTls;
import io.mooseng.metadata.client.MetadataClientConfig;
import io.mooseng.core.memory.ByteBudget;
import io.mooseng.metadata.client.RaftMetadataService;
import io.vertx.core.Vertx;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.mooseng.cli.node.Metrics;
import io.mooseng.cli.node.MetricsEndpoint;
import io.mooseng.cli.node.ProcessVertx;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Callable;

/** {@code mooseng chunkserver}: stores shards on one folder and reports to the masters. */
@Command(name = "chunkserver", mixinStandardHelpOptions = true,
        description = "Run a chunkserver on a data folder and register it with the masters.")
final class ChunkserverCommand implements Callable<Integer> {
    @Mixin
    MastersOption masters;

    @Option(names = "--data", required = true, paramLabel = "DIR", description = "Folder of the shard store (one per disk).")
    Path data;

    @Option(names = "--address", defaultValue = "127.0.0.1:9420", paramLabel = "HOST:PORT",
            description = "Where the shard service listens; clients connect here (default: ${DEFAULT-VALUE}).")
    String address;

    @Option(names = "--id", paramLabel = "ID",
            description = "Chunkserver id (default: the one stored in DIR/node-id, generated at first start).")
    String id;

    @Option(names = "--labels", paramLabel = "K=V,...", defaultValue = "",
            description = "Failure domains: zone=..,rack=..,host=.. (missing ones default to the id).")
    String labels;

    @Option(names = "--heartbeat-ms", defaultValue = "2000", paramLabel = "MS",
            description = "Interval of capacity/liveness reports to the masters (default: ${DEFAULT-VALUE}).")
    long heartbeatMs;

    @Option(names = "--scrub-rate-mib", defaultValue = "8", paramLabel = "MIB",
            description = "MiB/s of shards re-verified in the background; 0 turns scrubbing off (default: ${DEFAULT-VALUE}).")
    long scrubRateMib;

    @Option(names = "--compact-dead-ratio", defaultValue = "0.5", paramLabel = "F",
            description = "Rewrite a sealed segment once this fraction of it is dead, in (0, 1] (default: ${DEFAULT-VALUE}).")
    double compactDeadRatio;

    @Option(names = "--metrics-address", paramLabel = "HOST:PORT",
            description = "Serve Prometheus metrics (store, scrubbing, compaction) at HOST:PORT/metrics (HTTPS with a client certificate of the cluster CA required when TLS is on) (default: off).")
    String metricsAddress;

    @Mixin
    MemoryOption memory;

    @Override
    public Integer call() throws Exception {
        HostPort listen = HostPort.parse(address);
        if (listen.host().equals("0.0.0.0") || listen.host().equals("::")) {
            throw new IllegalArgumentException("--address must name the host clients reach this chunkserver at, not a wildcard");
        }
        String nodeId = id != null ? id : storedId(data);
        Vertx vertx = ProcessVertx.create();
        ClusterTls tls = masters.tls(data.resolve("tls"), address, metricsAddress);
        RaftMetadataService metadata = RaftMetadataService.connect(masters.addresses(), MetadataClientConfig.DEFAULTS.withTls(tls));
        ByteBudget receive = memory.plan(false, true).shardReceive();
        ChunkserverNode node = ChunkserverNode.start(vertx, metadata, nodeId,
                options(data, listen).withReceiveBudget(receive).withTls(tls), listen.host(),
                parseLabels(labels), Duration.ofMillis(heartbeatMs));
        if (metricsAddress != null) {
            PrometheusMeterRegistry registry = Metrics.processRegistry();
            Metrics.bindChunkserver(registry, node.server());
            Metrics.bindBudget(registry, receive);
            MetricsEndpoint.start(vertx, registry, HostPort.parse(metricsAddress), tls);
        }
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try {
                node.close();
            } catch (Exception e) {
                System.err.println("mooseng: stopping chunkserver " + nodeId + ": " + e);
            }
            metadata.close();
            vertx.close();
        }, "mooseng-shutdown"));
        System.out.printf("MooseNG chunkserver %s is running at %s:%d (data %s)%n", nodeId, listen.host(), node.server().port(), data);
        System.out.flush();
        Thread.currentThread().join();
        return 0;
    }

    private ChunkServerOptions options(Path dir, HostPort listen) {
        return ChunkServerOptions.defaults(dir).withHost(listen.host()).withPort(listen.port())
                .withScrubBytesPerSecond(scrubRateMib << 20)
                .withStore(StoreOptions.defaults().withCompactDeadRatio(compactDeadRatio));
    }

    /** The id kept with the data, so a restarted chunkserver is recognized as the same one. */
    static String storedId(Path dir) throws Exception {
        Path file = dir.resolve("node-id");
        if (Files.exists(file)) {
            return Files.readString(file).trim();
        }
        Files.createDirectories(dir);
        String generated = "cs-" + UUID.randomUUID().toString().substring(0, 8);
        Files.writeString(file, generated + "\n");
        return generated;
    }

    static Map<String, String> parseLabels(String spec) {
        Map<String, String> out = new LinkedHashMap<>();
        for (String part : spec.split(",")) {
            if (part.isBlank()) {
                continue;
            }
            int eq = part.indexOf('=');
            if (eq <= 0 || eq == part.length() - 1) {
                throw new IllegalArgumentException("label must be key=value, got '" + part + "'");
            }
            out.put(part.substring(0, eq).trim(), part.substring(eq + 1).trim());
        }
        return out;
    }
}
