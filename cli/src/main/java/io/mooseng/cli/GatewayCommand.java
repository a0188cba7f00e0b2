package io.mooseng.cli;

import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.mooseng.cli.node.GatewayNode;
import io.mooseng.cli.node.Metrics;
import io.mooseng.chunkserver.transport.ChunkClientOptions;
import io.mooseng.cli.node.ProcessVertx;
import io.mooseng.core.metadata.KeySecrets;
import io.mooseng.core.config.HostPort;
import io.mooseng.core.model.StorageClass;
import io.mooseng.core.object.ObjectServiceConfig;
import io.mooseng.metadata.client.GroupAdmin;
import io.mooseng.multisite.SyncLag;
import io.mooseng.metadata.client.MetadataClientConfig;
import io.mooseng.metadata.client.RaftMetadataService;
import io.mooseng.core.security.ClusterKey;
import io.mooseng.core.security.ClusterKeys;
import io.mooseng.core.security.ClusterTls;
import io.mooseng.s3.S3GatewayConfig;
import io.mooseng.s3.auth.NamespaceCredentials;
import io.vertx.core.Vertx;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Callable;

/** {@code mooseng gateway}: an S3 endpoint over the cluster; run as many as you like. */
@Command(name = "gateway", mixinStandardHelpOptions = true,
        description = "Run an S3 gateway over the masters' namespace and the registered chunkservers.")
final class GatewayCommand implements Callable<Integer> {
    @Mixin
    MastersOption masters;

    @Option(names = "--s3-address", defaultValue = "127.0.0.1:9000", paramLabel = "HOST:PORT",
            description = "Where the S3 API listens (default: ${DEFAULT-VALUE}).")
    String s3Address;

    @Option(names = "--data", required = true, paramLabel = "DIR",
            description = "Folder of the administrator's first key pair (`credentials`, generated at the cluster's first start unless MOOSENG_ACCESS_KEY/SECRET_KEY are set) and of the cluster key (`cluster.key`, and during a rotation the old one as `cluster.key.previous`) unless the TLS folder has one; gateways of one cluster share it.")
    Path data;

    @Option(names = "--id", paramLabel = "ID", description = "Gateway id in the status view (default: gw-HOST_PORT).")
    String id;

    @Option(names = "--storage-class", defaultValue = "EC_4_2", paramLabel = "CLASS",
            description = "Default class of new buckets: EC_k_m or REPLICATED_n (default: ${DEFAULT-VALUE}).")
    String storageClass;

    @Option(names = "--heartbeat-ms", defaultValue = "2000", paramLabel = "MS",
            description = "Interval of liveness reports to the masters (default: ${DEFAULT-VALUE}).")
    long heartbeatMs;

    @Mixin
    MemoryOption memory;

    @Mixin
    RegionOption region;

    @Mixin
    VirtualHostOption virtualHost;

    @Mixin
    AuditLogOption auditLog;

    @Mixin
    S3TlsOption s3Tls;

    @Mixin
    PeerReadOption peerReads;

    @Override
    public Integer call() throws Exception {
        HostPort s3 = HostPort.parse(s3Address);
        StorageClass sc = StorageClass.parse(storageClass);
        CredentialsFile creds = CredentialsFile.load(data);
        String gatewayId = id != null ? id : "gw-" + s3.host() + "_" + s3.port();
        Vertx vertx = ProcessVertx.create();
        PrometheusMeterRegistry registry = Metrics.processRegistry();
        ClusterTls tls = masters.tls(data.resolve("tls"));
        RaftMetadataService metadata = RaftMetadataService.connect(masters.addresses(), MetadataClientConfig.DEFAULTS.withTls(tls));
        // the cluster key: the one `admin cert issue --role gateway` put beside the certificate, else this gateway's own
        Path keyInTls = masters.tlsDir(data.resolve("tls")).resolve(ClusterKey.FILE);
        Path clusterKey = Files.exists(keyInTls) ? keyInTls : data.resolve(ClusterKey.FILE);
        // beside it during a rotation, the old pair (cluster.key.previous); both files are re-read when they change
        ClusterKeys key = ClusterKeys.load(clusterKey);
        NamespaceCredentials credentials = NamespaceCredentials.open(metadata, key, creds.accessKey(), creds.secretKey(),
                System::currentTimeMillis);
        // the console's multisite lag asks peer zones with the sync key, whose secret opens with the same key
        KeySecrets secrets = KeySecrets.of(metadata, key);
        // SSE-S3 data keys are sealed to the same cluster key as users' secrets
        S3GatewayConfig config = S3GatewayConfig.of(s3.host(), s3.port()).withRegion(region.region)
                .withVirtualHostDomain(virtualHost.domain).withAuditLog(auditLog.file)
                .withTls(s3Tls.certificate()).withClusterKey(key).withPeerReadTimeout(peerReads.millis);
        GatewayNode node = GatewayNode.start(vertx, metadata, gatewayId, credentials, config, ObjectServiceConfig.defaults(sc),
                memory.plan(true, false).objects(), registry, Duration.ofMillis(heartbeatMs), System::currentTimeMillis,
                ChunkClientOptions.defaults().withTls(tls), GroupAdmin.connect(masters.addresses(), tls),
                () -> SyncLag.status(metadata, secrets, System.currentTimeMillis()));
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            node.close();
            credentials.close();
            metadata.close();
            vertx.close();
        }, "mooseng-shutdown"));
        System.out.printf("""
                MooseNG gateway %s is ready.
                  S3 endpoint:  %s://%s:%d
                  Access key:   %s
                  Secret key:   %s%s
                  Masters:      %s
                """, gatewayId, config.scheme(), s3.host(), node.port(), creds.accessKey(), creds.secretKey(),
                creds.generated() ? "   (generated now, stored in " + data.resolve("credentials") + ")" : "",
                masters.addresses());
        System.out.flush();
        Thread.currentThread().join();
        return 0;
    }
}
