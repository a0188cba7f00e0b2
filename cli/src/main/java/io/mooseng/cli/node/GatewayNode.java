package io.mooseng.cli.node;

import io.mooseng.core.status.MetadataGroupStatus;
import io.mooseng.core.status.MultisiteLag;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.mooseng.chunkserver.transport.ChunkClientOptions;
import io.mooseng.core.chunk.ec.ErasureCodecs;
import io.mooseng.core.memory.ByteBudget;
import io.mooseng.core.metadata.MetadataService;
import io.mooseng.core.model.GatewayInfo;
import io.mooseng.core.object.ObjectService;
import io.mooseng.core.object.ObjectServiceConfig;
import io.mooseng.s3.S3Gateway;
import io.mooseng.s3.S3GatewayConfig;
import io.mooseng.s3.auth.Credentials;
import io.vertx.core.Vertx;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

/**
 * The S3 front door over a metadata service: chunkserver directory, shard clients, the
 * object service and the S3 HTTP server, registered with the metadata service under an id
 * and heartbeating. {@code mooseng gateway} runs one; {@code mooseng server} embeds one.
 */
public final class GatewayNode implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(GatewayNode.class);
    private DataPath data;
    private S3Gateway gateway;
    private Heartbeat heartbeat;
    private int port;

    private GatewayNode() {
    }

    /**
     * @param id the gateway's id in the cluster status view
     */
    public static GatewayNode start(Vertx vertx, MetadataService metadata, String id, Credentials credentials,
                                    S3GatewayConfig config, ObjectServiceConfig objectConfig,
                                    ByteBudget budget, PrometheusMeterRegistry registry, Duration heartbeatInterval)
            throws Exception {
        return start(vertx, metadata, id, credentials, config, objectConfig, budget, registry, heartbeatInterval, System::currentTimeMillis,
                ChunkClientOptions.defaults(), null, null);
    }

    /**
     * @param clock        the wall clock writes are dated by (a test skews it)
     * @param chunkClients settings of its shard clients (with TLS: the gateway's certificate)
     * @param masters      the metadata group's members for the web console's status, or null to show none
     * @param multisite    this zone's lag behind its peer zones for the console, or null to show no zonegroup
     */
    public static GatewayNode start(Vertx vertx, MetadataService metadata, String id, Credentials credentials,
                                    S3GatewayConfig config, ObjectServiceConfig objectConfig,
                                    ByteBudget budget, PrometheusMeterRegistry registry, Duration heartbeatInterval,
                                    LongSupplier clock, ChunkClientOptions chunkClients, MetadataGroupStatus masters,
                                    MultisiteLag multisite) throws Exception {
        GatewayNode node = new GatewayNode();
        try {
            node.startAll(vertx, metadata, id, credentials, config, objectConfig, budget, registry, heartbeatInterval, clock, chunkClients,
                    masters, multisite);
            return node;
        } catch (Exception | Error e) {
            node.close();
            throw e;
        }
    }

    private void startAll(Vertx vertx, MetadataService metadata, String id, Credentials credentials, S3GatewayConfig config,
                          ObjectServiceConfig objectConfig, ByteBudget budget, PrometheusMeterRegistry registry,
                          Duration heartbeatInterval, LongSupplier clock, ChunkClientOptions chunkClients, MetadataGroupStatus masters,
                          MultisiteLag multisite) throws Exception {
        data = DataPath.open(vertx, metadata, objectConfig, budget, clock, chunkClients);
        Metrics.bindBudget(registry, budget);
        registry.gauge("mooseng_placement_full_chunkservers", data.directory(), d -> d.fullCount());
        gateway = new S3Gateway(vertx, data.objects(), credentials, config, registry, registry::scrape, masters, multisite);
        port = gateway.start().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
        String address = config.host() + ":" + port;
        heartbeat = Heartbeat.start(vertx, id, heartbeatInterval,
                () -> metadata.registerGateway(new GatewayInfo(id, address, System.currentTimeMillis(), ErasureCodecs.kernel())));
        LOG.info("gateway ready: id={} s3={}://{}", id, config.scheme(), address);
    }

    public int port() {
        return port;
    }

    public ObjectService objects() {
        return data.objects();
    }

    @Override
    public void close() {
        if (heartbeat != null) {
            heartbeat.close();
        }
        try {
            if (gateway != null) {
                gateway.stop().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
            }
        } catch (Exception e) {
            LOG.warn("stopping the S3 server: {}", e.toString());
        }
        if (data != null) {
            data.close();
        }
    }
}
