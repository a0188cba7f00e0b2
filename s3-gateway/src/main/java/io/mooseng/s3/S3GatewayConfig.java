package io.mooseng.s3;

import io.mooseng.core.security.ClusterKeys;

import java.nio.file.Path;

/**
 * Where and how the gateway listens.
 *
 * @param host               address to bind, e.g. "0.0.0.0"
 * @param port               port to bind; 0 picks a free one ({@link S3Gateway#start()} answers which)
 * @param region             the region clients must sign for, and GetBucketLocation answers; null
 *                           (not configured) accepts whichever region a client signs for, as
 *                           MinIO does (s3cmd signs for "US" by default), and answers
 *                           {@value #DEFAULT_REGION}
 * @param virtualHostDomain  with "s3.example.com", Host "b.s3.example.com" addresses bucket "b"
 *                           (virtual-host style); null serves path style only
 * @param idleTimeoutSeconds a connection silent this long is closed (slow or vanished clients)
 * @param auditLog           the file S3 writes and refused requests are appended to ({@link AuditLog}); null for none
 * @param tls                the HTTPS certificate; null serves plain HTTP
 * @param clusterKey         the cluster key pairs (see {@link ClusterKeys}) SSE-S3 data keys are sealed to and opened with;
 *                           null: SSE-S3 is not available
 * @param peerReadTimeoutMillis in a zone of a zonegroup, how long a peer zone has to answer a GET or HEAD of a key this zone
 *                           has not received yet (served from that peer); 0: never asked
 */
public record S3GatewayConfig(String host, int port, String region, String virtualHostDomain, int idleTimeoutSeconds, Path auditLog,
                              S3Certificate tls, ClusterKeys clusterKey, long peerReadTimeoutMillis) {
    public static final String DEFAULT_REGION = "us-east-1";
    public static final int DEFAULT_IDLE_TIMEOUT_SECONDS = 120;
    public static final long DEFAULT_PEER_READ_TIMEOUT_MILLIS = 2_000;

    public S3GatewayConfig {
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("port out of range: " + port);
        }
        if (peerReadTimeoutMillis < 0) {
            throw new IllegalArgumentException("the peer read timeout must be 0 (off) or more: " + peerReadTimeoutMillis);
        }
        region = region == null || region.isBlank() ? null : region;
        virtualHostDomain = virtualHostDomain == null || virtualHostDomain.isBlank() ? null : virtualHostDomain.toLowerCase(java.util.Locale.ROOT);
    }

    /** Path style, any region, default idle timeout. */
    public static S3GatewayConfig of(String host, int port) {
        return new S3GatewayConfig(host, port, null, null, DEFAULT_IDLE_TIMEOUT_SECONDS, null, null, null,
                DEFAULT_PEER_READ_TIMEOUT_MILLIS);
    }

    /** The region named in answers (GetBucketLocation, x-amz-bucket-region). */
    public String answeredRegion() {
        return region == null ? DEFAULT_REGION : region;
    }

    public S3GatewayConfig withRegion(String newRegion) {
        return new S3GatewayConfig(host, port, newRegion, virtualHostDomain, idleTimeoutSeconds, auditLog, tls, clusterKey, peerReadTimeoutMillis);
    }

    public S3GatewayConfig withVirtualHostDomain(String domain) {
        return new S3GatewayConfig(host, port, region, domain, idleTimeoutSeconds, auditLog, tls, clusterKey, peerReadTimeoutMillis);
    }

    public S3GatewayConfig withAuditLog(Path file) {
        return new S3GatewayConfig(host, port, region, virtualHostDomain, idleTimeoutSeconds, file, tls, clusterKey, peerReadTimeoutMillis);
    }

    public S3GatewayConfig withTls(S3Certificate certificate) {
        return new S3GatewayConfig(host, port, region, virtualHostDomain, idleTimeoutSeconds, auditLog, certificate, clusterKey,
                peerReadTimeoutMillis);
    }

    /** @param millis how long a peer zone has to answer a read of a key missing in this zone; 0: reads are never served from a peer */
    public S3GatewayConfig withPeerReadTimeout(long millis) {
        return new S3GatewayConfig(host, port, region, virtualHostDomain, idleTimeoutSeconds, auditLog, tls, clusterKey, millis);
    }

    public S3GatewayConfig withClusterKey(ClusterKeys key) {
        return new S3GatewayConfig(host, port, region, virtualHostDomain, idleTimeoutSeconds, auditLog, tls, key, peerReadTimeoutMillis);
    }

    /** Without the key pairs: a configuration may be logged, key material never is. */
    @Override
    public String toString() {
        return "S3GatewayConfig[host=" + host + ", port=" + port + ", region=" + region + ", virtualHostDomain=" + virtualHostDomain
                + ", idleTimeoutSeconds=" + idleTimeoutSeconds + ", auditLog=" + auditLog + ", tls=" + (tls != null)
                + ", clusterKey=" + (clusterKey != null) + ", peerReadTimeoutMillis=" + peerReadTimeoutMillis + "]";
    }

    /** http or https. */
    public String scheme() {
        return tls == null ? "http" : "https";
    }
}
