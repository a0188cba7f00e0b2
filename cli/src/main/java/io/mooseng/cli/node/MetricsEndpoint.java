package io.mooseng.cli.node;

import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.mooseng.core.config.HostPort;
import io.mooseng.core.security.ClusterTls;
import io.vertx.core.Vertx;
import io.vertx.core.http.ClientAuth;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.net.KeyCertOptions;
import io.vertx.core.net.TrustOptions;

import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * GET /metrics in Prometheus text format, for processes without an S3 server (masters,
 * chunkservers, metaloggers, mounts). When the process runs TLS it is HTTPS like every other
 * port of the process: TLS 1.3, the node's certificate, and a client certificate of the cluster
 * CA required at the handshake (any role may scrape; scrapers get {@code monitor} certificates,
 * which may call nothing else). The node's key and trust managers are asked at every handshake,
 * so renewed files serve the next scrape without a restart. Plain HTTP when TLS is off.
 */
public final class MetricsEndpoint {
    private MetricsEndpoint() {
    }

    /** @param tls the process's identity, or null for plain HTTP */
    public static HttpServer start(Vertx vertx, PrometheusMeterRegistry registry, HostPort address, ClusterTls tls) throws Exception {
        return vertx.createHttpServer(options(tls)).requestHandler(req -> {
            if (!req.path().equals("/metrics")) {
                req.response().setStatusCode(404).end();
                return;
            }
            // scraping walks every meter: off the event loop
            vertx.executeBlocking(registry::scrape).onComplete(r -> {
                if (r.succeeded()) {
                    req.response().putHeader("content-type", "text/plain; version=0.0.4; charset=utf-8").end(r.result());
                } else {
                    req.response().setStatusCode(500).end();
                }
            });
        }).listen(address.port(), address.host()).toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
    }

    private static HttpServerOptions options(ClusterTls tls) {
        HttpServerOptions options = new HttpServerOptions();
        if (tls == null) {
            return options;
        }
        options.setSsl(true).setClientAuth(ClientAuth.REQUIRED)
                .setKeyCertOptions(KeyCertOptions.wrap(tls.keyManager()))
                .setTrustOptions(TrustOptions.wrap(tls.trustManager()))
                .setEnabledSecureTransportProtocols(Set.of("TLSv1.3"));
        ClusterTls.cipherSuites().forEach(options::addEnabledCipherSuite);
        return options;
    }
}
