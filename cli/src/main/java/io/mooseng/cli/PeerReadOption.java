package io.mooseng.cli;

import io.mooseng.s3.S3GatewayConfig;
import picocli.CommandLine.Option;

/** {@code --sync-peer-read-timeout-ms}: a gateway's reads of keys sync has not brought yet, served from a peer zone. */
final class PeerReadOption {
    @Option(names = "--sync-peer-read-timeout-ms", defaultValue = "${env:MOOSENG_SYNC_PEER_READ_TIMEOUT_MS:-"
            + S3GatewayConfig.DEFAULT_PEER_READ_TIMEOUT_MILLIS + "}", paramLabel = "MS",
            description = "In a zone of a zonegroup: a GET or HEAD of a key this zone has not received yet, which the bucket's sync "
                    + "rule brings from a peer zone, is served from the first peer that has it within this time "
                    + "(env MOOSENG_SYNC_PEER_READ_TIMEOUT_MS; default: ${DEFAULT-VALUE}); 0: never, answer 404.")
    long millis;
}
