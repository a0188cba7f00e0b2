package io.mooseng.s3;

import io.micrometer.core.instrument.MeterRegistry;
import io.mooseng.core.object.ObjectService;
import io.mooseng.core.status.ClusterStatusReader;
import io.mooseng.core.status.MetadataGroupStatus;
import io.mooseng.core.status.MultisiteLag;
import io.mooseng.s3.handler.ConsoleStatus;
import io.mooseng.s3.auth.Credentials;
import io.mooseng.s3.auth.SessionTokens;
import io.mooseng.s3.auth.SigV4Authenticator;
import io.mooseng.s3.error.S3Error;
import io.mooseng.s3.handler.S3Request;
import io.mooseng.s3.xml.ErrorDocument;
import io.mooseng.s3.xml.S3Xml;
import io.netty.handler.codec.http.TooLongHttpHeaderException;
import io.netty.handler.codec.http.TooLongHttpLineException;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.net.ServerSSLOptions;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * The S3 front door: an HTTP/1.1 server answering the S3 API over an {@link ObjectService},
 * plus {@code GET /health/ready} and, when given a scrape, {@code GET /metrics}. Those two
 * paths need no signature; a signed request to them is S3 (a bucket may be named "health").
 *
 * <pre>
 *   S3Gateway gw = new S3Gateway(vertx, objects, Credentials.single(ak, sk),
 *           S3GatewayConfig.of("0.0.0.0", 9000), registry, prometheus::scrape);
 *   gw.start().onSuccess(port -> ...);   // or .await() from a thread that is not an event loop
 * </pre>
 */
public final class S3Gateway {
    private static final Logger LOG = LoggerFactory.getLogger(S3Gateway.class);
    /** Request line and header section limits; beyond them the client gets 400, not a hang. */
    static final int MAX_INITIAL_LINE_BYTES = 16 * 1024;
    static final int MAX_HEADER_BYTES = 16 * 1024;
    /**
     * Header lines per request (Netty counts none): bounds the work of every header scan. S3's
     * own headers and 2 KiB of user metadata in short names fit well below it.
     */
    static final int MAX_HEADER_COUNT = 256;
    /** Body bytes per network read handed on; larger than Netty's 8 KiB default to cut per-piece overhead. */
    static final int BODY_CHUNK_BYTES = 64 * 1024;
    private static final long SHUTDOWN_GRACE_SECONDS = 10;
    /** One server per core, each on its own event loop, sharing the port: one loop cannot keep up with small requests. */
    private static final int INSTANCES = Runtime.getRuntime().availableProcessors();
    private static final long CERTIFICATE_CHECK_MILLIS = 5_000;
    private static final String PROMETHEUS_TEXT = "text/plain; version=0.0.4; charset=utf-8";

    private final Vertx vertx;
    private final S3GatewayConfig config;
    private final S3Router router;
    private final AuditLog audit;
    private final Supplier<String> metricsScrape;
    private final List<HttpServer> servers = new CopyOnWriteArrayList<>();
    private final List<String> deployments = new CopyOnWriteArrayList<>();
    private volatile boolean ready;
    private long certificateTimer = -1;

    /**
     * @param metricsScrape the Prometheus text for {@code GET /metrics}, or null to serve none;
     *                      called on a worker thread
     */
    public S3Gateway(Vertx vertx, ObjectService objects, Credentials credentials, S3GatewayConfig config,
                     MeterRegistry registry, Supplier<String> metricsScrape) {
        this(vertx, objects, credentials, config, registry, metricsScrape, null, null);
    }

    /**
     * @param masters   the metadata group's members for the web console's status call (blocking: called on a
     *                  worker thread), or null to show none
     * @param multisite this zone's lag behind its peer zones for the console (blocking), or null to show no zonegroup
     */
    public S3Gateway(Vertx vertx, ObjectService objects, Credentials credentials, S3GatewayConfig config,
                     MeterRegistry registry, Supplier<String> metricsScrape, MetadataGroupStatus masters, MultisiteLag multisite) {
        this.vertx = Objects.requireNonNull(vertx, "vertx");
        this.config = Objects.requireNonNull(config, "config");
        this.metricsScrape = metricsScrape;
        this.audit = config.auditLog() == null ? null : new AuditLog(config.auditLog());
        S3Metrics metrics = new S3Metrics(Objects.requireNonNull(registry, "registry"));
        if (audit != null) {
            metrics.auditDrops(audit::dropped);
        }
        // temporary credentials are sealed with a key derived from the cluster key: only a gateway holding it issues or accepts them
        SessionTokens sessions = config.clusterKey() == null ? null : new SessionTokens(config.clusterKey(), System::currentTimeMillis);
        this.router = new S3Router(Objects.requireNonNull(objects, "objects"),
                new SigV4Authenticator(Objects.requireNonNull(credentials, "credentials"), config.region(), Clock.systemUTC(), sessions),
                sessions, config, metrics, audit, new ConsoleStatus(new ClusterStatusReader(masters, objects.nodes(), objects.mounts(),
                        objects.maintenanceReports()), multisite));
    }

    /**
     * Binds and serves; completes with the bound port (useful with port 0: the instances of one
     * deployment share one random port).
     */
    public Future<Integer> start() {
        return vertx.deployVerticle(Listener::new, new DeploymentOptions().setInstances(INSTANCES)).map(id -> {
            deployments.add(id);
            ready = true;
            if (config.tls() != null) {
                watchCertificate(config.tls());
            }
            return servers.get(0).actualPort();
        });
    }

    /** Serves a replaced certificate to new connections, checked every few seconds: renewal without a restart. */
    private void watchCertificate(S3Certificate certificate) {
        String[] seen = {certificate.stamp()};
        // the files' times are read off the event loop (file system calls block)
        certificateTimer = vertx.setPeriodic(CERTIFICATE_CHECK_MILLIS, t -> vertx.executeBlocking(certificate::stamp, false).onSuccess(now -> {
            if (!now.equals(seen[0])) {
                seen[0] = now;
                ServerSSLOptions ssl = new ServerSSLOptions().setKeyCertOptions(certificate.options());
                Future.all(servers.stream().map(s -> s.updateSSLOptions(ssl, true)).toList()).onComplete(ar -> {
                    if (ar.succeeded()) {
                        LOG.info("s3: serving the renewed certificate {}", certificate.certFile());
                    } else {
                        LOG.warn("s3: {} changed but does not load, keeping the previous certificate: {}", certificate.certFile(),
                                ar.cause().getMessage());
                    }
                });
            }
        }));
    }

    /** Stops taking requests (health turns 503), lets those in flight finish for a few seconds, unbinds. */
    public Future<Void> stop() {
        ready = false;
        vertx.cancelTimer(certificateTimer);
        return Future.join(servers.stream().map(s -> s.shutdown(SHUTDOWN_GRACE_SECONDS, TimeUnit.SECONDS)).toList())
                .transform(ar -> Future.join(deployments.stream().map(vertx::undeploy).toList()))
                .<Void>mapEmpty()
                .onComplete(ar -> {
                    servers.clear();
                    deployments.clear();
                    if (audit != null) {
                        audit.close(); // after the last request: every line queued is appended
                    }
                });
    }

    /** One server on the event loop of its verticle instance. */
    private final class Listener extends VerticleBase {
        @Override
        public Future<?> start() {
            return vertx.createHttpServer(options())
                    .requestHandler(S3Gateway.this::handle)
                    .invalidRequestHandler(S3Gateway::invalidRequest)
                    .listen()
                    .onSuccess(servers::add);
        }
    }

    private HttpServerOptions options() {
        HttpServerOptions o = new HttpServerOptions();
        if (config.tls() != null) {
            o.setSsl(true).setKeyCertOptions(config.tls().options());
        }
        return o
                // S3 is HTTP/1.1: an h2c upgrade would hand requests over without a Host header, which SigV4 signs
                .setHttp2ClearTextEnabled(false)
                .setHost(config.host())
                .setPort(config.port())
                .setMaxInitialLineLength(MAX_INITIAL_LINE_BYTES)
                .setMaxHeaderSize(MAX_HEADER_BYTES)
                .setMaxChunkSize(BODY_CHUNK_BYTES)
                .setIdleTimeout(config.idleTimeoutSeconds())
                .setIdleTimeoutUnit(TimeUnit.SECONDS);
    }

    private void handle(HttpServerRequest http) {
        boolean unsigned = !http.headers().contains("authorization") && (http.query() == null || !http.query().contains("X-Amz-"));
        if (unsigned && http.method() == HttpMethod.GET && "/health/ready".equals(http.path())) {
            http.response().setStatusCode(ready ? 200 : 503).end(ready ? "OK" : "stopping");
        } else if (unsigned && http.method() == HttpMethod.GET && "/metrics".equals(http.path()) && metricsScrape != null) {
            vertx.executeBlocking(metricsScrape::get, false).onComplete(ar -> {
                if (ar.succeeded()) {
                    http.response().putHeader("Content-Type", PROMETHEUS_TEXT).end(ar.result());
                } else {
                    http.response().setStatusCode(500).end();
                }
            });
        } else {
            router.handle(http);
        }
    }

    /** Requests Netty could not decode: answered as S3 errors, then the connection closes. */
    private static void invalidRequest(HttpServerRequest http) {
        Throwable cause = http.decoderResult().cause();
        S3Error error = cause instanceof TooLongHttpHeaderException ? S3Error.REQUEST_HEADER_SECTION_TOO_LARGE
                : cause instanceof TooLongHttpLineException ? S3Error.INVALID_URI : S3Error.INVALID_REQUEST;
        String message = cause instanceof TooLongHttpLineException ? "The request line is longer than " + MAX_INITIAL_LINE_BYTES + " bytes."
                : error.message();
        String requestId = S3Request.newRequestId();
        S3Request.commonHeaders(http.response(), requestId);
        byte[] body = S3Xml.write(new ErrorDocument(error.code(), message, null, "/", requestId));
        http.response().setStatusCode(error.status()).putHeader("Content-Type", "application/xml").putHeader("Connection", "close")
                .end(Buffer.buffer(body)).onComplete(ar -> http.connection().close());
    }
}
