package io.mooseng.s3.handler;

import io.mooseng.core.model.SyncRule;
import io.mooseng.core.model.SyncState;
import io.mooseng.core.model.ZoneStamp;
import io.mooseng.core.model.Zonegroup;
import io.mooseng.core.object.ObjectService;
import io.mooseng.s3.auth.Credentials;
import io.mooseng.s3.auth.Presigner;
import io.vertx.core.Future;
import io.vertx.core.http.HttpClientRequest;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.http.RequestOptions;

import java.net.URI;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * GETs and HEADs served from a peer zone: when this zone holds no current object of a key that
 * the bucket's sync rule would bring here from a peer (sync has not brought it yet), those peers'
 * gateways are asked in turn (presigned with the zonegroup's sync key, each within the timeout),
 * and the first that has it answers through this gateway, its bytes streamed to the client, with
 * {@value #SERVED_BY_HEADER} naming the zone, unless this zone holds a tombstone newer than the
 * peer's version. Range and conditional headers go along. Nothing is stored here: sync brings it.
 */
final class PeerReads {
    static final String SERVED_BY_HEADER = "x-mooseng-served-by-zone";
    /** Marks a gateway's request to a peer: answered from that zone's own data, never passed on again. */
    static final String PARAM = "mooseng-peer-read";
    private static final int SIGNED_SECONDS = 60;
    private static final List<String> PASSED_HEADERS = List.of("range", "if-match", "if-none-match", "if-modified-since",
            "if-unmodified-since", "x-amz-checksum-mode", "x-amz-server-side-encryption-customer-algorithm",
            "x-amz-server-side-encryption-customer-key", "x-amz-server-side-encryption-customer-key-md5");
    /** The peer's answers relayed: the object (whole or a range) and what conditions or ranges make of it. */
    private static final Set<Integer> RELAYED = Set.of(200, 206, 304, 412, 416);
    private static final Set<String> HOP_BY_HOP = Set.of("connection", "keep-alive", "transfer-encoding", "date", "server",
            "x-amz-request-id", "x-amz-id-2");

    private final ObjectService objects;
    private final Supplier<CompletableFuture<SyncState>> zoneState;
    private final Credentials credentials;
    private final PeerHttpClient http;
    private final long timeoutMillis;

    /**
     * @param zoneState     this zone's state, as recently read
     * @param timeoutMillis how long each peer has to answer; 0: reads are never served from a peer
     */
    PeerReads(ObjectService objects, Supplier<CompletableFuture<SyncState>> zoneState, Credentials credentials, PeerHttpClient http,
              long timeoutMillis) {
        this.objects = objects;
        this.zoneState = zoneState;
        this.credentials = credentials;
        this.http = http;
        this.timeoutMillis = timeoutMillis;
    }

    /** Whether a read of a key missing here may be answered by a peer: of the current version, asked by a client (not by a peer or a sync agent). */
    boolean applies(S3Request req) {
        return timeoutMillis > 0 && req.param("versionId") == null && req.param(PARAM) == null && req.param(SyncHandler.STAMP_PARAM) == null;
    }

    /** Answers the read from the first peer that has the key; fails with {@code missing} (the local answer) when none does. */
    Future<Void> serve(S3Request req, boolean withBody, Throwable missing) {
        return req.call(zoneState::get).compose(state -> {
            if (!state.zoned()) {
                return Future.failedFuture(missing);
            }
            Credentials.Key key = credentials.key(state.zonegroup().syncAccessKey());
            if (key == null) {
                return Future.failedFuture(missing);
            }
            return req.call(() -> objects.recentBucket(req.bucket())).compose(bucket -> {
                SyncRule rule = bucket.policy().syncRule();
                // the object's tags are the peer's to know: a rule's tag filter does not narrow where it is asked for
                List<Zonegroup.Zone> peers = state.zonegroup().zones().stream()
                        .filter(z -> !z.name().equals(state.localZone()) && !z.endpoints().isEmpty()
                                && rule.flows(z.name(), state.localZone(), req.key(), null))
                        .toList();
                if (peers.isEmpty()) {
                    return Future.failedFuture(missing);
                }
                return req.call(() -> objects.sync().keyStamp(req.bucket(), req.key()))
                        .compose(here -> ask(req, withBody, peers, 0, state.zonegroup().syncAccessKey(), key.secretKey(), here, missing));
            });
        });
    }

    private Future<Void> ask(S3Request req, boolean withBody, List<Zonegroup.Zone> peers, int next, String accessKey, String secretKey,
                             ZoneStamp here, Throwable missing) {
        if (next == peers.size()) {
            return Future.failedFuture(missing);
        }
        Zonegroup.Zone zone = peers.get(next);
        Map<String, String> params = new HashMap<>(Map.of(PARAM, "1"));
        if (req.param("partNumber") != null) {
            params.put("partNumber", req.param("partNumber"));
        }
        HttpMethod method = withBody ? HttpMethod.GET : HttpMethod.HEAD;
        String url = new Presigner(URI.create(zone.endpoints().getFirst()), accessKey, secretKey, "us-east-1")
                .presign(method.name(), req.bucket(), req.key(), params, SIGNED_SECONDS);
        HttpClientRequest[] sent = new HttpClientRequest[1];
        return http.get(req.context().owner()).request(new RequestOptions().setMethod(method).setAbsoluteURI(url))
                .compose(r -> {
                    sent[0] = r;
                    for (String h : PASSED_HEADERS) {
                        if (req.header(h) != null) {
                            r.putHeader(h, req.header(h));
                        }
                    }
                    return r.send();
                })
                .timeout(timeoutMillis, TimeUnit.MILLISECONDS)
                .compose(r -> {
                    if (RELAYED.contains(r.statusCode()) && newerThan(r, here)) {
                        return relay(req, zone, r, withBody);
                    }
                    r.request().reset(); // not this one: its body is not wanted
                    return ask(req, withBody, peers, next + 1, accessKey, secretKey, here, missing);
                }, e -> {
                    if (sent[0] != null) {
                        sent[0].reset();
                    }
                    return ask(req, withBody, peers, next + 1, accessKey, secretKey, here, missing);
                });
    }

    /** Whether the peer's version beats what this zone holds of the key (a tombstone, or nothing). */
    private static boolean newerThan(HttpClientResponse r, ZoneStamp here) {
        String stamp = r.getHeader(SyncHandler.STAMP_HEADER);
        if (stamp == null) {
            return here.equals(ZoneStamp.NONE); // a version from before the zonegroup: only where nothing was deleted here
        }
        try {
            return ZoneStamp.parse(stamp).after(here);
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    private static Future<Void> relay(S3Request req, Zonegroup.Zone zone, HttpClientResponse r, boolean withBody) {
        HttpServerResponse out = req.response();
        out.setStatusCode(r.statusCode());
        r.headers().forEach((name, value) -> {
            if (!HOP_BY_HOP.contains(name.toLowerCase(Locale.ROOT))) {
                out.headers().add(name, value);
            }
        });
        out.putHeader(SERVED_BY_HEADER, zone.name());
        if (r.statusCode() / 100 == 2) {
            out.putHeader(ReplicationStatus.HEADER, "REPLICA");
        }
        if (!withBody) {
            return out.end();
        }
        if (r.getHeader("content-length") == null) {
            out.setChunked(true);
        }
        return r.pipeTo(out);
    }
}
