package io.mooseng.cli;

import io.mooseng.core.config.HostPort;
import io.mooseng.core.model.StorageClass;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;

/** {@code mooseng server}: the whole cluster in one process, like {@code minio server}. */
@Command(name = "server", mixinStandardHelpOptions = true,
        description = "Run metadata, chunkservers and the S3 gateway in one process on local folders.")
final class ServerCommand implements Callable<Integer> {

    @Option(names = "--data", required = true, paramLabel = "DIR",
            description = "Data folder; repeat once per disk to spread the chunkservers over them.")
    List<Path> data;

    @Option(names = "--s3-address", defaultValue = "127.0.0.1:9000", paramLabel = "HOST:PORT",
            description = "Where the S3 API listens (default: ${DEFAULT-VALUE}).")
    String s3Address;

    @Option(names = "--raft-address", defaultValue = "127.0.0.1:9419", paramLabel = "HOST:PORT",
            description = "Where the metadata (Raft) service listens; mounts and gateways connect here (default: ${DEFAULT-VALUE}).")
    String raftAddress;

    @Option(names = "--chunkservers", defaultValue = "6", paramLabel = "N",
            description = "Chunkservers to run (default: ${DEFAULT-VALUE}).")
    int chunkservers;

    @Option(names = "--storage-class", defaultValue = "EC_4_2", paramLabel = "CLASS",
            description = "Default class of new buckets: EC_k_m or REPLICATED_n (default: ${DEFAULT-VALUE}).")
    String storageClass;

    @Option(names = "--scrub-rate-mib", defaultValue = "8", paramLabel = "MIB",
            description = "MiB/s of shards re-verified in the background on each data folder, shared by its chunkservers; 0 turns scrubbing off (default: ${DEFAULT-VALUE}).")
    long scrubRateMib;

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
    TlsOption tls;

    @Mixin
    SyncOption sync;

    @Mixin
    PeerReadOption peerReads;

    @Override
    public Integer call() throws Exception {
        if (scrubRateMib < 0 || scrubRateMib > Long.MAX_VALUE >> 20) {
            System.err.println("mooseng server: --scrub-rate-mib must be between 0 and " + (Long.MAX_VALUE >> 20) + ": " + scrubRateMib);
            return 2;
        }
        StorageClass sc = StorageClass.parse(storageClass);
        HostPort s3 = HostPort.parse(s3Address);
        CredentialsFile creds = CredentialsFile.load(data.get(0));
        EmbeddedCluster cluster = EmbeddedCluster.start(new EmbeddedCluster.Options(data, s3, HostPort.parse(raftAddress),
                chunkservers, sc, creds.accessKey(), creds.secretKey(), null).withMemoryBudget(memory.totalBytes()).withRegion(region.region)
                .withVirtualHostDomain(virtualHost.domain).withAuditLog(auditLog.file).withS3Tls(s3Tls.certificate())
                .withTls(tls.resolve(data.get(0).resolve("tls"), List.of(raftAddress))).withSyncSettings(sync.settings())
                .withPeerReadTimeout(peerReads.millis).withScrubRate(scrubRateMib << 20));
        Runtime.getRuntime().addShutdownHook(new Thread(cluster::close, "mooseng-shutdown"));
        System.out.printf("""
                MooseNG server is ready.
                  S3 endpoint:    %s
                  Access key:     %s
                  Secret key:     %s%s
                  Storage class:  %s on %d chunkservers
                  Metadata (Raft): %s
                  Data:           %s
                Try: AWS_ACCESS_KEY_ID=%s AWS_SECRET_ACCESS_KEY=%s aws --endpoint-url %s s3 ls
                """, cluster.endpoint(), creds.accessKey(), creds.secretKey(),
                creds.generated() ? "   (generated now, stored in " + data.get(0).resolve("credentials") + ")" : "",
                sc, chunkservers, cluster.raftAddress(), data, creds.accessKey(), creds.secretKey(), cluster.endpoint());
        System.out.flush();
        // SIGTERM/Ctrl-C run the shutdown hook and end the JVM; returning here would race it
        Thread.currentThread().join();
        return 0;
    }
}
