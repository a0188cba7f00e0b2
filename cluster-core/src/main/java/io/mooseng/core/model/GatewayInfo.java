package io.mooseng.core.model;

/**
 * An S3 gateway as registered with the metadata service (for the cluster status view).
 *
 * @param id              stable id, unique in the cluster (e.g. "gw1")
 * @param address         host:port of its S3 endpoint
 * @param heartbeatMillis the gateway's wall-clock time when it last reported
 * @param ecKernel        the erasure-coding kernel the gateway codes with (e.g. "java-vector")
 */
public record GatewayInfo(String id, String address, long heartbeatMillis, String ecKernel) {
}
