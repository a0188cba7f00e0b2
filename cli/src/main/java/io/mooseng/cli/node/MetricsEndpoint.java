package io.mooseng.cli.node;

import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.mooseng.core.config.HostPort;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;

import java.util.concurrent.TimeUnit;

/** GET /metrics in Prometheus text format, for processes without an S3 server (masters, chunkservers). */
public final class MetricsEndpoint {
    private MetricsEndpoint() {
    }

    public static HttpServer start(Vertx vertx, PrometheusMeterRegistry registry, HostPort address) throws Exception {
        return vertx.createHttpServer().requestHandler(req -> {
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
}
